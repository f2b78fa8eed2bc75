"""The served model: the version a URI names, swapped in when the alias moves, run on one thread.

All model work (agent requests and single chat turns) goes through one worker thread: torch on
CPU gains nothing from two generate calls at once, and one thread means a bad model output can
only fail its own request. Waiting agent requests are batched into one `run_batch` call, the
fastest way to serve many requests on CPU (see `flowgen_core.evaluation.agent`).

A poller resolves the URI every `poll_s` seconds; when it names another version, that version
is loaded beside the old one and the reference is swapped. A batch takes the reference once, so
requests in flight finish on the model they started with and none is dropped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flowgen_core.agent.interface import INTERFACE_VERSION
from flowgen_core.catalog.model import Catalog
from flowgen_core.dsl.model import Workflow
from flowgen_core.errors import InvalidInput
from flowgen_core.evaluation.agent import Agent, AgentConfig, AgentResult
from flowgen_core.serving.turn import final_prompt_tokens

log = logging.getLogger("flowgen.serving")


@dataclass(frozen=True)
class ServeConfig:
    """What to serve and how."""

    model_uri: str = "models:/flowgen-agent@champion"  # or a model folder (never reloaded)
    poll_s: float = 30.0  # seconds between registry polls; 0 = never reload
    batch_size: int = 16  # agent requests one generate batch serves at most
    max_queue: int = 256  # waiting requests beyond which new ones get 503
    agent: AgentConfig = field(default_factory=AgentConfig)  # loop limits, same as evaluation
    # -- the trust boundary (flowgen_core/serving/guard.py) --
    max_body_bytes: int = 1_048_576  # a larger request body is refused (413) unread
    rate_per_s: float = 5.0  # requests per second one token may send, sustained
    burst: int = 20  # requests one token may send at once
    auth_cache_s: float = 30.0  # a revoked token stops working within this many seconds
    # -- bounded work --
    max_input_tokens: int = 4096  # tokens of the request plus the existing workflow's Python
    parse_threads: int = 2  # threads that parse and transpile client workflows

    def __post_init__(self) -> None:
        if self.poll_s < 0 or self.batch_size < 1 or self.max_queue < 1:
            raise ValueError("serve poll_s must be >= 0, batch_size and max_queue >= 1")
        if min(self.max_body_bytes, self.burst, self.max_input_tokens, self.parse_threads) < 1:
            raise ValueError("serve max_body_bytes, burst, max_input_tokens, parse_threads >= 1")
        if self.rate_per_s <= 0 or self.auth_cache_s < 0:
            raise ValueError("serve rate_per_s must be > 0 and auth_cache_s >= 0")


@dataclass(frozen=True)
class Loaded:
    """A loaded version: its label, the agent over it and when it was loaded."""

    version: str  # flowgen-agent/3, or local:<folder> for a folder
    agent: Agent
    loaded_at: datetime


class Overloaded(Exception):
    """The queue is full (or the model worker is restarting): the client should retry later."""


class WorkerCrashed(Overloaded):
    """The model worker failed outside any one request and was restarted: retry."""


@dataclass
class _Job:
    kind: str  # workflow | call
    args: Any
    future: Future


class Champion:
    """Loads, reloads and runs the served model."""

    def __init__(
        self,
        config: ServeConfig,
        catalog: Catalog,
        resolve: Callable[[str], tuple[str, Path, dict[str, str]]],
    ) -> None:
        self.config = config
        self.catalog = catalog
        self._resolve = resolve  # uri -> (version label, model folder, tags)
        self.current: Loaded | None = None
        self.reloads = 0
        self.batches = 0  # agent batches run (for the benchmark: how well requests group)
        self.batched = 0  # agent requests in them
        self.last_reload_error: str | None = None
        self.worker_restarts = 0  # times the model worker was restarted after a failure
        self.last_worker_error: str | None = None
        self._backoff_until = 0.0  # monotonic time before which the worker is restarting
        self._inflight: list[_Job] = []  # the batch the worker is on (failed if it dies)
        self._queue: deque[_Job] = deque()
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Load the version the URI names now (errors raise), then start worker and poller."""
        self.current = self._load(*self._resolve(self.config.model_uri))
        self._threads = [
            threading.Thread(target=self._supervise, name="flowgen-model", daemon=True)
        ]
        if self.config.poll_s and self.config.model_uri.startswith("models:/"):
            self._threads.append(
                threading.Thread(target=self._poll, name="flowgen-poll", daemon=True)
            )
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        """Stop polling; finish queued work; stop the worker."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        for t in self._threads:
            t.join(timeout=60)

    @property
    def worker_ok(self) -> bool:
        """The model worker is running (not dead, not waiting to restart after a failure)."""
        return (
            bool(self._threads)
            and self._threads[0].is_alive()
            and (time.monotonic() >= self._backoff_until)
        )

    @property
    def queued(self) -> int:
        """Jobs waiting for the worker."""
        return len(self._queue)

    def _load(self, version: str, model_dir: Path, tags: dict[str, str]) -> Loaded:
        trained_on = tags.get("interface_version", "unknown")
        if trained_on not in ("unknown", INTERFACE_VERSION):
            raise InvalidInput(
                f"model {version} was trained on interface {trained_on}; this server speaks "
                f"{INTERFACE_VERSION}: serve a model built for it"
            )
        t0 = time.perf_counter()
        agent = Agent(model_dir, self.config.agent, self.catalog)
        log.info("loaded %s from %s in %.1fs", version, model_dir, time.perf_counter() - t0)
        return Loaded(version, agent, datetime.now(UTC))

    def check_once(self) -> bool:
        """Resolve the URI; load and swap in a new version. True when the version changed."""
        version, model_dir, tags = self._resolve(self.config.model_uri)
        if self.current is not None and version == self.current.version:
            return False
        loaded = self._load(version, model_dir, tags)
        previous = self.current.version if self.current else None
        self.current = loaded  # one reference swap: batches already running keep the old one
        self.reloads += 1
        self.last_reload_error = None
        log.info("now serving %s (was %s)", version, previous)
        return True

    def _poll(self) -> None:
        while not self._stop.wait(self.config.poll_s):
            try:
                self.check_once()
            except Exception as exc:  # a registry hiccup or a bad version must not stop serving
                self.last_reload_error = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
                log.warning("reload check failed, still serving the old version: %s", exc)

    # -- model work ------------------------------------------------------------------------
    def _submit(self, kind: str, args: Any) -> Future:
        future: Future = Future()
        with self._cond:
            if len(self._queue) >= self.config.max_queue:
                raise Overloaded(f"{len(self._queue)} requests are waiting; retry later")
            self._queue.append(_Job(kind, args, future))
            self._cond.notify()
        return future

    def workflow(
        self, request: str, existing: Workflow | None, existing_python: str = ""
    ) -> Future:
        """Queue one agent request; the future gives (Loaded, AgentResult, prompt tokens).

        `existing_python`: the existing workflow as the model will read it, counted with the
        request against `max_input_tokens` (InvalidInput when over).
        """
        return self._submit("workflow", (request, existing, existing_python))

    def call(self, fn: Callable[[Agent], Any]) -> Future:
        """Queue one function of the agent (a chat turn); the future gives (Loaded, result)."""
        return self._submit("call", fn)

    def _next_batch(self) -> list[_Job] | None:
        with self._cond:
            while not self._queue:
                if self._stop.is_set():
                    return None
                self._cond.wait(timeout=1.0)
            batch = [self._queue.popleft()]
            if batch[0].kind == "workflow":
                while (
                    self._queue
                    and self._queue[0].kind == "workflow"
                    and len(batch) < self.config.batch_size
                ):
                    batch.append(self._queue.popleft())
            return batch

    def _supervise(self) -> None:
        """Run the worker; when it fails outside a request, fail its batch and restart it."""
        failures = 0
        while not self._stop.is_set():
            try:
                self._work()
                return
            except Exception as exc:  # a bug in the loop itself: keep serving, say so in /ready
                failures += 1
                self.worker_restarts += 1
                self.last_worker_error = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
                log.exception("the model worker failed; restarting it")
                for job in self._inflight:
                    self._settle(job, error=WorkerCrashed("the model worker restarted; retry"))
                self._inflight = []
                wait = min(5.0, 0.1 * 2 ** min(failures, 6))
                self._backoff_until = time.monotonic() + wait
                self._stop.wait(wait)

    @staticmethod
    def _settle(job: _Job, result: Any = None, error: BaseException | None = None) -> None:
        # a client that went away cancelled its future; that must not kill the worker
        if job.future.done():
            return
        with suppress(InvalidStateError):
            if error is not None:
                job.future.set_exception(error)
            else:
                job.future.set_result(result)

    def _work(self) -> None:
        while (batch := self._next_batch()) is not None:
            self._inflight = batch
            loaded = self.current
            assert loaded is not None
            if batch[0].kind == "call":
                job = batch[0]
                try:
                    self._settle(job, (loaded, job.args(loaded.agent)))
                except Exception as exc:
                    self._settle(job, error=exc)
                continue
            batch = [job for job in batch if self._admit(loaded.agent, job)]
            if batch:
                self.batches += 1
                self.batched += len(batch)
                for job, result in zip(batch, self._run(loaded.agent, batch), strict=True):
                    # counted here: the tokenizer is used from this thread only
                    tokens = self._prompt_tokens(loaded.agent, result)
                    self._settle(job, (loaded, result, tokens))
            self._inflight = []

    def _admit(self, agent: Agent, job: _Job) -> bool:
        """Refuse (400) a request whose own text is over `max_input_tokens`."""
        request, _, existing_python = job.args
        limit = self.config.max_input_tokens
        n = len(agent.tokenizer(f"{request}\n{existing_python}")["input_ids"])
        if n <= limit:
            return True
        what = "request and existing_workflow" if existing_python else "request"
        self._settle(job, error=InvalidInput(f"{what}: {n} tokens, over the limit of {limit}"))
        return False

    @staticmethod
    def _prompt_tokens(agent: Agent, result: AgentResult) -> int:
        try:
            return final_prompt_tokens(agent, result.messages)
        except InvalidInput:
            return 0

    def _run(self, agent: Agent, batch: list[_Job]) -> list[AgentResult]:
        """The batch's results; a failure is isolated to the request whose output caused it."""
        try:
            return agent.run_batch([job.args[:2] for job in batch])
        except Exception as exc:
            if len(batch) > 1:
                return [self._run(agent, [job])[0] for job in batch]
            log.exception("the agent failed on one request; answering it with no workflow")
            detail = " ".join(str(exc).split())[:200]
            return [
                AgentResult(error_bucket="agent_error", error=f"{type(exc).__name__}: {detail}")
            ]

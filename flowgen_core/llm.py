"""An OpenAI-compatible chat client for the teacher and the LLM judge.

Retries transient failures (connection errors, 408/409/429/5xx) with exponential backoff,
limits concurrent requests, and caches answers on disk by a hash of the request, so a rerun
of a dataset build costs nothing. The API key is sent only in the Authorization header and
never logged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx

from flowgen_core.errors import FlowgenError
from flowgen_core.redact import register_secret
from flowgen_core.settings import Settings

log = logging.getLogger("flowgen.llm")

RETRY_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})

Message = dict[str, Any]


class LLMError(FlowgenError):
    """The endpoint refused the request or kept failing after all retries."""


@dataclass(frozen=True)
class LLMConfig:
    """Where and how to call an OpenAI-compatible chat endpoint."""

    base_url: str  # e.g. https://api.example.com/v1 (the client appends /chat/completions)
    model: str  # the model name sent in every request
    api_key: str | None = None  # sent as a bearer token; never logged
    timeout_s: float = 60.0  # per request, seconds
    max_retries: int = 4  # retries after the first attempt, for transient failures only
    backoff_s: float = 0.5  # first backoff, doubled per retry
    concurrency: int = 4  # at most this many requests in flight
    cache_dir: Path | None = None  # answers cached here by request hash; None: no cache

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError(f"llm base_url must be http(s)://..., got {self.base_url!r}")
        if self.concurrency < 1:
            raise ValueError("llm concurrency must be at least 1")


class OpenAIChatClient:
    """Chat completions against an OpenAI-compatible endpoint."""

    def __init__(self, config: LLMConfig) -> None:
        self.config = config
        register_secret(config.api_key)
        self._slots = threading.BoundedSemaphore(config.concurrency)
        headers = {"Content-Type": "application/json"}
        if config.api_key:
            headers["Authorization"] = f"Bearer {config.api_key}"
        self._http = httpx.Client(
            base_url=config.base_url.rstrip("/"), headers=headers, timeout=config.timeout_s
        )
        self.requests_sent = 0  # requests that reached the network, retries included

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> OpenAIChatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def complete(self, messages: Sequence[Message], **params: Any) -> str:
        """The assistant's text for one conversation (cached by request hash)."""
        body = {"model": self.config.model, "messages": list(messages), **params}
        key = request_hash(body)
        cached = self._cache_get(key)
        if cached is not None:
            return cached
        with self._slots:
            data = self._post_with_retries(body)
        try:
            text = data["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise LLMError(f"{self.config.base_url}: answer has no choices[0].message") from exc
        if not isinstance(text, str):
            raise LLMError(f"{self.config.base_url}: answer content is not text")
        self._cache_put(key, text)
        return text

    def complete_many(self, conversations: Sequence[Sequence[Message]], **params: Any) -> list[str]:
        """Answers for many conversations, in order, with at most `concurrency` in flight."""
        with ThreadPoolExecutor(max_workers=self.config.concurrency) as pool:
            return list(pool.map(lambda m: self.complete(m, **params), conversations))

    # -- internals ---------------------------------------------------------------------
    def _post_with_retries(self, body: dict[str, Any]) -> dict[str, Any]:
        delay = self.config.backoff_s
        for attempt in range(self.config.max_retries + 1):
            last = attempt == self.config.max_retries
            try:
                self.requests_sent += 1
                resp = self._http.post("/chat/completions", json=body)
            except httpx.TransportError as exc:
                if last:
                    raise LLMError(f"{self.config.base_url}: {type(exc).__name__}") from exc
                log.warning("llm request failed (%s); retry in %.1fs", type(exc).__name__, delay)
            else:
                if resp.status_code < 300:
                    try:
                        return resp.json()
                    except ValueError as exc:
                        raise LLMError(f"{self.config.base_url}: answer is not JSON") from exc
                if resp.status_code not in RETRY_STATUS or last:
                    raise LLMError(
                        f"{self.config.base_url}: HTTP {resp.status_code}: {_error_text(resp)}"
                    )
                log.warning("llm HTTP %s; retry in %.1fs", resp.status_code, delay)
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    def _cache_path(self, key: str) -> Path | None:
        if self.config.cache_dir is None:
            return None
        return self.config.cache_dir / key[:2] / f"{key}.json"

    def _cache_get(self, key: str) -> str | None:
        path = self._cache_path(key)
        if path is None or not path.is_file():
            return None
        return json.loads(path.read_text("utf-8"))["content"]

    def _cache_put(self, key: str, text: str) -> None:
        path = self._cache_path(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{threading.get_ident()}.partial")
        tmp.write_text(json.dumps({"content": text}, ensure_ascii=False), "utf-8")
        tmp.replace(path)


def client_for(settings: Settings, role: Literal["teacher", "judge"]) -> OpenAIChatClient | None:
    """The configured endpoint's client for the teacher or the judge, answers cached under the
    state dir; None when no endpoint is configured (the offline stand-ins are used then)."""
    if not settings.llm_base_url:
        return None
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    model = settings.teacher_model if role == "teacher" else settings.judge_model
    cache = settings.state_path / "llm-cache" / role
    return OpenAIChatClient(LLMConfig(settings.llm_base_url, model, key, cache_dir=cache))


def request_hash(body: dict[str, Any]) -> str:
    """A stable hash of a request body: the cache key."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _error_text(resp: httpx.Response) -> str:
    try:
        err = resp.json().get("error")
        message = err.get("message") if isinstance(err, dict) else err
    except ValueError:
        message = resp.text
    return " ".join(str(message or "").split())[:200]

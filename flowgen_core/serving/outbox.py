"""Answers whose recording failed, kept until the store takes them: no answer is lost.

When the store cannot be written (down, restarting, pool exhausted), the handler puts the
conversation here (its id, time and every column already fixed) and still answers the client
with 200. A background thread retries every `retry_s` seconds and writes the entries, oldest
first, once the store is back. `Recorder.conversation` is idempotent per conversation id, so an
entry whose first write did commit (the connection dropped before the acknowledgement) is
written once all the same.

With a directory (`flowgen serve`: `<state_dir>/serving/outbox`), each entry is one JSON file
written atomically (temporary file, fsync, rename) before the client gets its answer, and
files left by a process that died are picked up at start: an answer survives a crash of the
server too. Without one (tests, the benchmark), entries live for the process's lifetime.

An entry the store refuses for its content (not for being down) is a bug, not an outage: it
is moved to `failed/` and counted in `/ready`, instead of blocking the ones behind it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from flowgen_core.serving.recorder import Recorder, Served

log = logging.getLogger("flowgen.serving.outbox")

# Errors that mean "the store is not reachable now", as opposed to "this row is wrong".
UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, DisconnectionError, PoolTimeout)


def store_unavailable(exc: BaseException) -> bool:
    """True for errors that say the store is down or unreachable, not that a row is bad."""
    if isinstance(exc, UNAVAILABLE):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


class Outbox:
    """Pending conversation writes, flushed to the store by a background thread."""

    def __init__(
        self, recorder: Recorder, directory: Path | None = None, retry_s: float = 1.0
    ) -> None:
        self.recorder = recorder
        self.directory = directory
        self.retry_s = retry_s
        self.written = 0  # entries written to the store after a failed first attempt
        self.failed = 0  # entries the store refused for their content (moved to failed/)
        self._pending: dict[str, dict[str, Any]] = {}  # conversation id -> entry
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            for path in sorted(directory.glob("conv_*.json")):
                entry = json.loads(path.read_text(encoding="utf-8"))
                self._pending[entry["conversation_id"]] = entry
            if self._pending:
                log.warning("outbox: %d answers from an earlier run to record", len(self._pending))

    @property
    def pending(self) -> int:
        """Entries not yet in the store."""
        return len(self._pending)

    def holds(self, conversation_id: str) -> bool:
        """True while the conversation is answered but not yet in the store."""
        return conversation_id in self._pending

    def put(self, served: Served, at: datetime, conversation_id: str) -> None:
        """Keep one answer until it is written (durably first, when there is a directory)."""
        entry = {"conversation_id": conversation_id, "at": at.isoformat(), "served": asdict(served)}
        if self.directory is not None:
            final = self.directory / f"{conversation_id}.json"
            tmp = final.with_suffix(".tmp")
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(entry, f, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, final)
        with self._lock:
            self._pending[conversation_id] = entry
        self._wake.set()

    def start(self) -> None:
        """Start the thread that writes pending entries when the store is back."""
        self._thread = threading.Thread(target=self._run, name="flowgen-outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """One last attempt, then stop (what is left stays on disk for the next start)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self.flush()
        if self._pending:
            where = f"kept in {self.directory}" if self.directory else "LOST (no outbox directory)"
            log.warning("outbox: %d answers not recorded at stop: %s", len(self._pending), where)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.retry_s)
            self._wake.clear()
            if self._pending and not self._stop.is_set():
                self.flush()

    def flush(self) -> int:
        """Write what the store takes now, oldest first; returns how many were written."""
        with self._lock:
            entries = sorted(self._pending.values(), key=lambda e: (e["at"], e["conversation_id"]))
        done = 0
        for entry in entries:
            cid = entry["conversation_id"]
            try:
                self.recorder.conversation(
                    Served(**entry["served"]), datetime.fromisoformat(entry["at"]), cid
                )
            except SQLAlchemyError as exc:
                if store_unavailable(exc):
                    break  # still down: keep everything, try again later
                log.error(
                    "outbox: the store refused %s (%s); moved to failed/",
                    cid,
                    " ".join(str(getattr(exc, "orig", exc)).split())[:200],
                )
                self._set_aside(cid)
                continue
            self._forget(cid)
            done += 1
        if done:
            self.written += done
            log.info("outbox: recorded %d answers (%d pending)", done, len(self._pending))
        return done

    def _forget(self, conversation_id: str) -> None:
        with self._lock:
            self._pending.pop(conversation_id, None)
        if self.directory is not None:
            (self.directory / f"{conversation_id}.json").unlink(missing_ok=True)

    def _set_aside(self, conversation_id: str) -> None:
        self.failed += 1
        with self._lock:
            self._pending.pop(conversation_id, None)
        if self.directory is not None:
            failed = self.directory / "failed"
            failed.mkdir(exist_ok=True, mode=0o700)
            src = self.directory / f"{conversation_id}.json"
            if src.exists():
                os.replace(src, failed / src.name)

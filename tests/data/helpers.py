"""Builders shared by the data tests: workflow records, extractions, a chat server."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from flowgen_core.dsl.flowfile import dump_payload
from flowgen_core.evaluation.suites import load_benchmark
from flowgen_core.store.extract import Extraction, WorkflowRecord

WEEK = "2026-W46"


# -- hand-made workflow records ----------------------------------------------------------------
def payloads() -> list[str]:
    """Valid platform payloads of distinct benchmark workflows."""
    seen: dict[str, str] = {}
    for case in load_benchmark():
        if case.existing is None:
            seen.setdefault(case.category, dump_payload(case.expected))
    return list(seen.values())


def record(
    id: str, shop: str, descriptor: str, runs: int, definition: str, days: int | None = None
) -> WorkflowRecord:
    return WorkflowRecord(
        id=id,
        revision_id=f"rev-{id}",
        shop_id=shop,
        descriptor=descriptor,
        category="orders",
        built_by="merchant",
        active=True,
        created_at="2026-11-01T00:00:00.000000Z",
        updated_at="2026-11-01T00:00:00.000000Z",
        definition=definition,
        runs_7d=runs,
        failures_7d=0,
        run_days_7d=min(runs, 7) if days is None else days,
        changed_in_week=False,
    )


def extraction_of(workflows: list[WorkflowRecord], base: Extraction | None = None) -> Extraction:
    empty = Extraction(WEEK, "", "", (), (), (), {}, "h")
    return replace(base or empty, workflows=tuple(sorted(workflows, key=lambda w: w.id)))


# -- a real chat-completions server ------------------------------------------------------------
class TeacherServer(ThreadingHTTPServer):
    """Answers every chat completion with a merchant request naming the program's function."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.hits = 0
        self.fail_next = 0
        self.bodies: list[dict] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: TeacherServer

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        srv = self.server
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with srv.lock:
            srv.hits += 1
            srv.bodies.append(body)
            fail = srv.fail_next > 0
            srv.fail_next -= 1 if fail else 0
        if fail:
            return self._send(503, {"error": {"message": "overloaded"}})
        program = body["messages"][-1]["content"]
        name = program.split("def ", 1)[1].split("(", 1)[0].replace("_", " ")
        answer = f'"please set up: {name}"\n\nThis workflow does that.'
        self._send(200, {"choices": [{"message": {"role": "assistant", "content": answer}}]})

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

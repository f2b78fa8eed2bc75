"""A real OpenAI-compatible chat-completions endpoint for tests (LLM client, teacher, judge).

Each test gives the reply as a function of the request body; the server is a real HTTP server
on 127.0.0.1, so the client's HTTP, retries and concurrency are exercised for real. Start one
with the `chat_server` fixture (tests/conftest.py).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = Callable[[dict[str, Any]], str]  # request body -> the assistant's reply


class ChatServer(ThreadingHTTPServer):
    """Serves `POST /v1/chat/completions` with `answer(body)` as the assistant message.

    Records every request body and Authorization header. `fail_next` answers the next N
    requests with `status_on_fail`; `delay_s` holds each request open, so that concurrency can
    be observed (`max_in_flight`).
    """

    daemon_threads = True

    def __init__(self, answer: Answer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer
        self.lock = threading.Lock()
        self.hits = 0
        self.bodies: list[dict[str, Any]] = []
        self.auth_headers: list[str | None] = []
        self.fail_next = 0
        self.status_on_fail = 503
        self.delay_s = 0.0
        self.in_flight = 0
        self.max_in_flight = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def start(self) -> ChatServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: ChatServer

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        srv = self.server
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with srv.lock:
            srv.hits += 1
            srv.bodies.append(body)
            srv.auth_headers.append(self.headers.get("Authorization"))
            srv.in_flight += 1
            srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
            fail = srv.fail_next > 0
            srv.fail_next -= 1 if fail else 0
        try:
            time.sleep(srv.delay_s)
            if self.path != "/v1/chat/completions":
                return self._send(404, {"error": {"message": "no such route"}})
            if fail:
                return self._send(srv.status_on_fail, {"error": {"message": "overloaded"}})
            text = srv.answer(body)
            self._send(200, {"choices": [{"message": {"role": "assistant", "content": text}}]})
        finally:
            with srv.lock:
                srv.in_flight -= 1

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

"""The OpenAI-compatible client against a real HTTP server started by the test."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from flowgen_core.llm import LLMConfig, LLMError, OpenAIChatClient


class ChatServer(ThreadingHTTPServer):
    """A chat-completions endpoint that echoes the last user message.

    `fail_next` answers the next N requests with 503; `delay_s` holds each request open so
    that concurrency can be observed.
    """

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.fail_next = 0
        self.status_on_fail = 503
        self.delay_s = 0.0
        self.hits = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.auth_headers: list[str | None] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: ChatServer

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        srv = self.server
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with srv.lock:
            srv.hits += 1
            srv.in_flight += 1
            srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
            srv.auth_headers.append(self.headers.get("Authorization"))
            fail = srv.fail_next > 0
            srv.fail_next -= 1 if fail else 0
        try:
            time.sleep(srv.delay_s)
            if self.path != "/v1/chat/completions":
                return self._send(404, {"error": {"message": "no such route"}})
            if fail:
                return self._send(srv.status_on_fail, {"error": {"message": "overloaded"}})
            text = f"{body['model']}: {body['messages'][-1]['content']}"
            self._send(200, {"choices": [{"message": {"role": "assistant", "content": text}}]})
        finally:
            with srv.lock:
                srv.in_flight -= 1

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server() -> Iterator[ChatServer]:
    srv = ChatServer()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def client(server: ChatServer, tmp_path: Path | None = None, **kw: object) -> OpenAIChatClient:
    config = LLMConfig(
        base_url=server.url,
        model="teacher-1",
        api_key="sk-test-secret-key-123",
        backoff_s=0.01,
        cache_dir=tmp_path,
        **kw,  # type: ignore[arg-type]
    )
    return OpenAIChatClient(config)


def user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def test_completion_and_bearer_key(server: ChatServer) -> None:
    with client(server) as c:
        assert c.complete(user("tag big orders")) == "teacher-1: tag big orders"
    assert server.auth_headers == ["Bearer sk-test-secret-key-123"]


def test_retries_transient_failures_with_backoff(server: ChatServer) -> None:
    server.fail_next = 2
    with client(server) as c:
        assert c.complete(user("hi")) == "teacher-1: hi"
        assert c.requests_sent == 3
    assert server.hits == 3


def test_gives_up_after_max_retries(server: ChatServer) -> None:
    server.fail_next = 10
    with client(server, max_retries=2) as c, pytest.raises(LLMError, match="HTTP 503"):
        c.complete(user("hi"))
    assert server.hits == 3


def test_client_errors_are_not_retried(server: ChatServer) -> None:
    server.fail_next = 1
    server.status_on_fail = 400
    with client(server) as c, pytest.raises(LLMError, match="HTTP 400: overloaded"):
        c.complete(user("hi"))
    assert server.hits == 1


def test_connection_refused_is_an_llm_error() -> None:
    config = LLMConfig(base_url="http://127.0.0.1:9/v1", model="m", max_retries=1, backoff_s=0)
    with OpenAIChatClient(config) as c, pytest.raises(LLMError, match="ConnectError"):
        c.complete(user("hi"))


def test_cache_makes_a_rerun_free(server: ChatServer, tmp_path: Path) -> None:
    with client(server, tmp_path) as c:
        first = [c.complete(user(f"q{i}")) for i in range(3)]
    assert server.hits == 3
    with client(server, tmp_path) as c:
        again = [c.complete(user(f"q{i}")) for i in range(3)]
        assert c.requests_sent == 0
    assert again == first
    assert server.hits == 3
    with client(server, tmp_path) as c:  # a different request is not served from the cache
        c.complete(user("q0"), temperature=0.5)
    assert server.hits == 4


def test_concurrency_limit(server: ChatServer) -> None:
    server.delay_s = 0.05
    with client(server, concurrency=2) as c:
        answers = c.complete_many([user(f"m{i}") for i in range(8)])
    assert answers == [f"teacher-1: m{i}" for i in range(8)]
    assert server.max_in_flight == 2


def test_key_never_reaches_logs(server: ChatServer, caplog: pytest.LogCaptureFixture) -> None:
    server.fail_next = 1
    with caplog.at_level(logging.DEBUG), client(server) as c:
        c.complete(user("hi"))
    assert "sk-test-secret-key-123" not in caplog.text
    assert "retry" in caplog.text


def test_base_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="base_url"):
        LLMConfig(base_url="ftp://x", model="m")

"""The OpenAI-compatible client against a real HTTP server started by the test."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from chat_server import Answer, ChatServer

from flowgen_core.llm import LLMConfig, LLMError, OpenAIChatClient


def echo(body: dict) -> str:
    """The model name and the last message, so a test sees what the client sent."""
    return f"{body['model']}: {body['messages'][-1]['content']}"


@pytest.fixture
def server(chat_server: Callable[[Answer], ChatServer]) -> ChatServer:
    return chat_server(echo)


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


def test_client_for_the_configured_endpoint(server: ChatServer, tmp_path: Path) -> None:
    from flowgen_core.llm import client_for
    from flowgen_core.settings import load_settings

    assert client_for(load_settings(state_dir=tmp_path), "judge") is None  # offline stand-ins
    settings = load_settings(
        state_dir=tmp_path,
        llm_base_url=server.url,
        llm_api_key="sk-test-secret-key-123",
        teacher_model="teacher-1",
        judge_model="judge-1",
    )
    for role, model in (("teacher", "teacher-1"), ("judge", "judge-1")):
        with client_for(settings, role) as c:  # type: ignore[union-attr]
            assert c.complete(user("hi")) == f"{model}: hi"
        assert (tmp_path / "llm-cache" / role).is_dir()  # answers cached per role
    assert server.auth_headers == ["Bearer sk-test-secret-key-123"] * 2

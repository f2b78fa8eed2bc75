"""`/v1/chat/completions`: the OpenAI shape, the agent's tools, and the project's own client."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from flowgen_core.agent.interface import TOOLS
from flowgen_core.llm import LLMConfig, LLMError, OpenAIChatClient

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_first_turn_is_a_tool_call_in_the_openai_shape(
    serve_once: Any, ideal: list[dict[str, Any]]
) -> None:
    r = httpx.post(
        f"{serve_once.url}/v1/chat/completions",
        json={"model": "anything", "messages": ideal[:2], "tools": TOOLS},
        headers=serve_once.auth(),
        timeout=60,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "chat.completion" and body["model"].endswith("/1")
    (choice,) = body["choices"]
    assert choice["finish_reason"] == "tool_calls"
    (call,) = choice["message"]["tool_calls"]
    assert call["type"] == "function" and call["id"].startswith("call_")
    assert call["function"]["name"] == "task_search"
    assert json.loads(call["function"]["arguments"]) == {"query": "tag orders", "limit": 3}
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0


def test_llm_client_against_the_server(serve_once: Any, ideal: list[dict[str, Any]]) -> None:
    """The teacher's client drives the last turn: the model answers with the workflow's Python."""
    config = LLMConfig(
        base_url=f"{serve_once.url}/v1",
        model="flowgen-agent",
        max_retries=0,
        api_key=serve_once.token(),
    )
    with OpenAIChatClient(config) as client:
        answer = client.complete(ideal[:-1], tools=TOOLS)
        assert answer.strip() == ideal[-1]["content"].strip()
        # a short limit cuts the turn: still an answer, no error
        assert len(client.complete(ideal[:-1], max_tokens=3)) > 0
        # a bad request is an LLMError naming the field, not a retry loop
        with pytest.raises(LLMError, match=r"HTTP 422: .*messages\.0\.role"):
            client.complete([{"role": "robot", "content": "hi"}])
        with pytest.raises(LLMError, match="HTTP 400: stream"):
            client.complete(ideal[:2], stream=True)
    assert client.requests_sent == 4


@pytest.mark.parametrize(
    ("messages", "status", "says"),
    [
        ([], 422, "messages: List should have at least 1 item"),
        ([{"role": "user"}], 400, "messages[0].content: required"),
        (
            [{"role": "user", "content": "a"}, {"role": "system", "content": "b"}],
            400,
            "only come first",
        ),
        (
            [
                {
                    "role": "assistant",
                    "content": "",
                    "tool_calls": [{"function": {"name": "task_search", "arguments": "[1]"}}],
                }
            ],
            422,
            "arguments: Value error, must be JSON text of an object",
        ),
        ([{"role": "user", "content": "x" * 20_001}], 422, "at most 20000"),
    ],
)
def test_bad_chat_requests(serve_once: Any, messages: list, status: int, says: str) -> None:
    r = httpx.post(
        f"{serve_once.url}/v1/chat/completions",
        json={"messages": messages},
        headers=serve_once.auth(),
    )
    assert r.status_code == status, r.text
    assert says in r.json()["error"]["message"]


def test_too_long_a_conversation_is_refused(serve_once: Any) -> None:
    words = " ".join(f"w{i}" for i in range(4000))
    messages = [{"role": "user", "content": words[:19_000]}] * 3
    r = httpx.post(
        f"{serve_once.url}/v1/chat/completions",
        json={"messages": messages},
        headers=serve_once.auth(),
    )
    assert r.status_code == 400 and "over the model's limit" in r.json()["error"]["message"]

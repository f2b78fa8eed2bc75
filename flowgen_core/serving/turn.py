"""One assistant turn for `/v1/chat/completions`, rendered exactly as the agent loop renders it.

Messages arrive in the OpenAI shape (tool-call arguments and tool answers as JSON text), the
shape the training rows use; they are parsed into what the chat template takes and rendered
with the interface's tools, so a client driving the loop itself sends the model the same tokens
the agent loop would.
"""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateError

from flowgen_core.agent.interface import TOOLS
from flowgen_core.agent.render import render_prompt
from flowgen_core.errors import InvalidInput
from flowgen_core.evaluation.agent import Agent, parse_tool_calls


@dataclass(frozen=True)
class Turn:
    """What the model said in one turn."""

    content: str  # text before any tool call (the whole text when there is none)
    tool_calls: list[dict[str, Any]]  # well-formed calls, OpenAI shape
    finish_reason: str  # stop | tool_calls | length
    prompt_tokens: int
    completion_tokens: int


def template_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Row-format messages as the chat template takes them; InvalidInput names the message."""
    out = []
    for i, m in enumerate(messages):
        role, content = m["role"], m.get("content")
        where = f"messages[{i}]"
        if role == "system" and i:
            raise InvalidInput(f"{where}: a system message may only come first")
        if role in ("system", "user", "tool") and content is None:
            raise InvalidInput(f"{where}.content: required for a {role} message")
        if role == "tool" and isinstance(content, str):
            # a plain-text tool answer is rendered as a JSON string
            with suppress(ValueError):
                content = json.loads(content)
        entry: dict[str, Any] = {"role": role, "content": content or ""}
        if role == "assistant" and m.get("tool_calls"):
            entry["tool_calls"] = [
                {
                    "type": "function",
                    "function": {
                        "name": tc["function"]["name"],
                        "arguments": json.loads(tc["function"]["arguments"]),
                    },
                }
                for tc in m["tool_calls"]
            ]
        elif m.get("tool_calls"):
            raise InvalidInput(f"{where}.tool_calls: only assistant messages make tool calls")
        out.append(entry)
    return out


def prompt_ids(agent: Agent, messages: list[dict[str, Any]]) -> list[int]:
    """Token ids of the prompt before the next assistant turn (InvalidInput if unrenderable)."""
    try:
        return render_prompt(agent.tokenizer, messages, TOOLS)
    except TemplateError as exc:
        raise InvalidInput(f"messages: cannot be rendered: {exc}") from None


def one_turn(agent: Agent, messages: list[dict[str, Any]], max_new_tokens: int) -> Turn:
    """Generate one assistant turn (greedy, as the agent loop does)."""
    ids = prompt_ids(agent, messages)
    limit = agent.config.max_prompt_tokens
    if len(ids) > limit:
        raise InvalidInput(f"messages: {len(ids)} tokens, over the model's limit of {limit}")
    ((text, n_tokens, ended),) = agent.generate([ids], max_new_tokens)
    calls, bad = parse_tool_calls(text)
    if ended and calls and not bad:
        content = text.split("<tool_call>")[0].strip()
        return Turn(content, calls, "tool_calls", len(ids), n_tokens)
    return Turn(text, [], "stop" if ended else "length", len(ids), n_tokens)


def final_prompt_tokens(agent: Agent, messages: list[dict[str, Any]]) -> int:
    """Tokens the model read before its last turn in a finished conversation."""
    before = messages[:-1] if messages and messages[-1]["role"] == "assistant" else messages
    return len(prompt_ids(agent, template_messages(before))) if before else 0

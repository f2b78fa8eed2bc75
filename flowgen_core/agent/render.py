"""Rows of the dataset contract -> token ids and the assistant-only label mask.

Contract (one row): `id`, `shop_id`, `source`, `category`, `messages` (JSON text: OpenAI-style
system/user/assistant/tool messages; assistant `tool_calls[].function.arguments` and tool
`content` are JSON text) and `tools` (JSON text: OpenAI function tool schemas). Tool-call
arguments and tool responses are parsed here and rendered by the chat template with sorted keys,
so training and serving see byte-identical text for the same data.
"""

from __future__ import annotations

import glob
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from transformers import PreTrainedTokenizerBase

from flowgen_core.errors import InvalidInput, UnreadableInput

IGNORE = -100  # label of a token that is not trained
REQUIRED_COLUMNS = ("id", "shop_id", "source", "category", "messages", "tools")


@dataclass(frozen=True)
class Example:
    """One tokenized conversation: ids, which of them are trained, and where turns start."""

    id: str
    input_ids: tuple[int, ...]
    trained: tuple[bool, ...]  # True where the token belongs to an assistant turn
    assistant_starts: tuple[int, ...]  # token index where each assistant turn's text begins

    @property
    def n_trained(self) -> int:
        """Number of trained tokens."""
        return sum(self.trained)

    def targets(self) -> list[int]:
        """Next-token labels: position t predicts token t+1 when that token is trained."""
        ids, tr = self.input_ids, self.trained
        return [ids[t + 1] if tr[t + 1] else IGNORE for t in range(len(ids) - 1)] + [IGNORE]


def load_split(dataset_dir: Path, split: str) -> list[dict[str, Any]]:
    """The rows of one split (`<dir>/<split>.parquet` or `<dir>/<split>/*.parquet`)."""
    files = sorted(glob.glob(str(dataset_dir / f"{split}.parquet"))) or sorted(
        glob.glob(str(dataset_dir / split / "*.parquet"))
    )
    if not files:
        raise UnreadableInput(f"{dataset_dir}: no {split}.parquet or {split}/*.parquet")
    rows: list[dict[str, Any]] = []
    for f in files:
        table = pq.read_table(f)
        missing = [c for c in REQUIRED_COLUMNS if c not in table.column_names]
        if missing:
            raise InvalidInput(f"{f}: missing column(s) {', '.join(missing)}")
        rows.extend(table.to_pylist())
    return rows


def dataset_hash(dataset_dir: Path) -> str:
    """The dataset's hash from its manifest.json."""
    path = dataset_dir / "manifest.json"
    try:
        value = json.loads(path.read_text())["hash"]
    except (OSError, ValueError, KeyError) as exc:
        raise UnreadableInput(f"{path}: cannot read field 'hash' ({exc})") from exc
    return str(value)


def parse_row(row: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Messages and tools of a row, with every JSON-text argument/response parsed."""
    where = f"row {row.get('id')!r}"
    try:
        messages = json.loads(row["messages"])
        tools = json.loads(row["tools"])
        for m in messages:
            if m["role"] == "tool":
                m["content"] = json.loads(m["content"])
            for tc in m.get("tool_calls") or []:
                tc["function"]["arguments"] = json.loads(tc["function"]["arguments"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"{where}: messages/tools are not valid contract JSON ({exc})") from exc
    if not messages or messages[-1]["role"] != "assistant":
        raise InvalidInput(f"{where}: the last message must be the assistant's Python")
    return messages, tools


def render_text(
    tokenizer: PreTrainedTokenizerBase,
    messages: list[dict[str, Any]],
    tools: list[dict[str, Any]],
    add_generation_prompt: bool = False,
) -> str:
    """The chat-template text of parsed messages."""
    text = tokenizer.apply_chat_template(
        messages,
        tools=tools or None,  # type: ignore[arg-type]
        tokenize=False,
        add_generation_prompt=add_generation_prompt,
    )
    assert isinstance(text, str)
    return text


def render_prompt(
    tokenizer: PreTrainedTokenizerBase,
    messages_before_turn: list[dict[str, Any]],
    tools: list[dict[str, Any]],
) -> list[int]:
    """Token ids serving sends before an assistant turn (with the generation prompt)."""
    text = render_text(tokenizer, messages_before_turn, tools, add_generation_prompt=True)
    return tokenizer(text, add_special_tokens=False)["input_ids"]


def tokenize_row(tokenizer: PreTrainedTokenizerBase, row: dict[str, Any]) -> Example:
    """Tokenize a row and mark its assistant turns (content, tool calls, `<|im_end|>`)."""
    messages, tools = parse_row(row)
    text = render_text(tokenizer, messages, tools)
    spans: list[tuple[int, int]] = []
    for i, m in enumerate(messages):
        if m["role"] != "assistant":
            continue
        start = len(render_text(tokenizer, messages[:i], tools, add_generation_prompt=True))
        through = render_text(tokenizer, messages[: i + 1], tools)
        end = len(through) - len("\n")  # the turn ends at <|im_end|>; its newline is context
        spans.append((start, end))
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    trained = [any(s <= a and b <= e for s, e in spans) and b > a for a, b in enc["offset_mapping"]]
    starts = [
        next(t for t, (a, _b) in enumerate(enc["offset_mapping"]) if a >= s) for s, _e in spans
    ]
    return Example(str(row["id"]), tuple(enc["input_ids"]), tuple(trained), tuple(starts))

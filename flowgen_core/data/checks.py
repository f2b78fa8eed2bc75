"""The checks a dataset passes before it is written; any failure stops the build loudly.

- shops: no shop on two sides of train / validation / held-out;
- duplicates: no example id twice, no (normalized request, normalized workflow) twice;
- contamination: no example repeats a benchmark case (same normalized workflow or request)
  or a held-out traffic case's request;
- answers: every final assistant message parses with `from_python` and validates;
- interface: every row carries the interface's tools, calls only its tool names, and every
  tool response is byte for byte what `run_tool` returns for the call before it;
- parity: for sampled examples, the token ids serving sends before each assistant turn
  (rebuilt from `first_messages` and `run_tool`, rendered by `agent.render.render_prompt`
  as the agent does) are a prefix of the training sequence (`agent.render.tokenize_row`).
  A changed tool order, a prefixed tool name or an extra response field all break it.

Each failure raises InvalidInput naming the check and the offending ids.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from flowgen_core.agent.interface import TOOL_NAMES, TOOLS, first_messages, run_tool
from flowgen_core.agent.render import parse_row, render_prompt, tokenize_row
from flowgen_core.agent.tokenizer import train_tokenizer
from flowgen_core.catalog.model import Catalog, load_catalog
from flowgen_core.data.examples import (
    DataConfig,
    Example,
    HeldoutCase,
    benchmark_keys,
    normalize_request,
)
from flowgen_core.data.select import stable_rank
from flowgen_core.dsl.from_python import from_python
from flowgen_core.dsl.validate import validate
from flowgen_core.errors import FlowgenError, InvalidInput

_SHOWN = 5  # ids named in a failure message


def _fail(check: str, what: str, ids: list[str]) -> None:
    more = f" (+{len(ids) - _SHOWN} more)" if len(ids) > _SHOWN else ""
    raise InvalidInput(f"data check '{check}' failed: {what}: {', '.join(ids[:_SHOWN])}{more}")


def check_shops(splits: dict[str, list[Example]], heldout: list[HeldoutCase]) -> None:
    """No shop on two sides."""
    sides: dict[str, set[str]] = defaultdict(set)
    for split, rows in splits.items():
        for e in rows:
            sides[e.shop_id].add(split)
    for h in heldout:
        sides[h.shop_id].add("heldout")
    both = sorted(f"{shop} ({'/'.join(sorted(s))})" for shop, s in sides.items() if len(s) > 1)
    if both:
        _fail("shops", "shops on more than one side", both)


def check_duplicates(splits: dict[str, list[Example]]) -> None:
    """No id and no (normalized request, workflow) twice, within or across splits."""

    ids: dict[str, int] = defaultdict(int)
    keys: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rows in splits.values():
        for e in rows:
            ids[e.id] += 1
            keys[(normalize_request(e.request), e.workflow_hash)].append(e.id)
    dup_ids = sorted(i for i, n in ids.items() if n > 1)
    if dup_ids:
        _fail("duplicates", "example ids repeated", dup_ids)
    dup = sorted("=".join(v) for v in keys.values() if len(v) > 1)
    if dup:
        _fail("duplicates", "same request and workflow more than once", dup)


def check_contamination(
    splits: dict[str, list[Example]], heldout: list[HeldoutCase] | None = None
) -> None:
    """Nothing from the benchmark (same normalized workflow or request) or a held-out traffic
    case's request in training."""

    by_wf, by_req = benchmark_keys()
    by_req = {**{normalize_request(h.request): h.id for h in heldout or ()}, **by_req}
    hits = []
    for rows in splits.values():
        for e in rows:
            case = by_wf.get(e.workflow_hash) or by_req.get(normalize_request(e.request))
            if case:
                hits.append(f"{e.id}~{case}")
    if hits:
        _fail("contamination", "examples overlap the benchmark (example~case)", sorted(hits))


def _calls(message: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for tc in message.get("tool_calls") or []:
        fn = tc["function"]
        out.append((fn["name"], json.loads(fn["arguments"])))
    return out


def serving_messages(
    example: Example, messages: list[dict[str, Any]], catalog: Catalog
) -> list[dict[str, Any]]:
    """The conversation serving would hold for the same calls: interface text only."""
    out = first_messages(example.request, example.existing_python)
    for m in messages[2:]:
        if m["role"] != "assistant":
            continue
        calls = _calls(m)
        if not calls:
            out.append({"role": "assistant", "content": m["content"]})
            continue
        out.append(
            {
                "role": "assistant",
                "content": m["content"],
                "tool_calls": [
                    {
                        "type": "function",
                        "function": {"name": n, "arguments": json.dumps(a, sort_keys=True)},
                    }
                    for n, a in calls
                ],
            }
        )
        for name, args in calls:
            out.append({"role": "tool", "name": name, "content": run_tool(name, args, catalog)})
    return out


def check_rows(splits: dict[str, list[Example]], catalog: Catalog) -> None:
    """Interface tools and names, tool responses equal to `run_tool`, answers that validate."""
    tools_json = json.dumps(TOOLS)
    bad: dict[str, list[str]] = defaultdict(list)
    for rows in splits.values():
        for e in rows:
            row = e.row()
            if row["tools"] != tools_json:
                bad["tools differ from the interface's"].append(e.id)
            messages = json.loads(e.messages)
            if messages[:2] != first_messages(e.request, e.existing_python):
                bad["first turn differs from first_messages"].append(e.id)
            pending: list[tuple[str, dict[str, Any]]] = []
            for m in messages:
                if m["role"] == "assistant":
                    pending = _calls(m)
                    if any(n not in TOOL_NAMES for n, _ in pending):
                        bad["unknown tool name"].append(e.id)
                        break
                elif m["role"] == "tool":
                    if not pending:
                        bad["tool response without a call"].append(e.id)
                        break
                    name, args = pending.pop(0)
                    try:
                        expected = run_tool(name, args, catalog)
                    except InvalidInput:
                        expected = None
                    if m.get("name") != name or m["content"] != expected:
                        bad["tool response is not run_tool's"].append(e.id)
                        break
            final = messages[-1]
            if final["role"] != "assistant" or final.get("tool_calls"):
                bad["last message is not the final answer"].append(e.id)
                continue
            try:
                wf = from_python(final["content"], catalog)
            except (FlowgenError, SyntaxError, ValueError) as exc:
                bad[f"final answer does not parse ({str(exc)[:60]})"].append(e.id)
                continue
            if validate(wf, catalog, unknown_tasks="error"):  # as the agent judges answers
                bad["final answer does not validate"].append(e.id)
    for what, ids in sorted(bad.items()):
        _fail("rows", what, sorted(ids))


def _parity_tokenizer(samples: list[Example], config: DataConfig) -> Any:
    if config.tokenizer_dir:
        from transformers import AutoTokenizer  # heavy: loaded only for a given tokenizer

        return AutoTokenizer.from_pretrained(config.tokenizer_dir)
    corpus = [e.messages for e in samples] + [json.dumps(TOOLS)]
    return train_tokenizer(corpus, vocab_size=512)


def check_parity(splits: dict[str, list[Example]], config: DataConfig, catalog: Catalog) -> int:
    """Token-level: what serving sends before each assistant turn prefixes the training row."""

    everything = [e for rows in splits.values() for e in rows]
    samples = sorted(everything, key=lambda e: stable_rank(str(config.seed), "parity", e.id))
    samples = samples[: config.parity_samples]
    if not samples:
        return 0
    tokenizer = _parity_tokenizer(samples, config)
    drift = []
    turns = 0
    for e in samples:
        row = e.row()
        trained = tokenize_row(tokenizer, row).input_ids
        messages = json.loads(e.messages)
        try:
            served = serving_messages(e, messages, catalog)
        except (InvalidInput, KeyError, ValueError):
            drift.append(f"{e.id} (a call serving refuses)")
            continue
        parsed_served, _ = parse_row(
            {"id": e.id, "messages": json.dumps(served), "tools": json.dumps(TOOLS)}
        )
        for i, m in enumerate(parsed_served):
            if m["role"] != "assistant":
                continue
            turns += 1
            prompt = render_prompt(tokenizer, parsed_served[:i], TOOLS)
            if tuple(prompt) != trained[: len(prompt)]:
                drift.append(f"{e.id} (turn {i})")
                break
    if drift:
        _fail("parity", "serving's prompt is not a token prefix of the training row", drift)
    return turns


def run_checks(
    splits: dict[str, list[Example]], heldout: list[HeldoutCase], config: DataConfig
) -> dict[str, int]:
    """All checks; returns what was checked (raises InvalidInput on the first failure)."""
    catalog = load_catalog()
    if not splits.get("train"):
        raise InvalidInput(
            "data check 'rows' failed: no training examples (is the week seeded and extracted?)"
        )
    check_shops(splits, heldout)
    check_duplicates(splits)
    check_contamination(splits, heldout)
    check_rows(splits, catalog)
    turns = check_parity(splits, config, catalog)
    return {"rows_checked": sum(len(r) for r in splits.values()), "parity_turns": turns}

"""Checks against silent training failures; each fails the run loudly.

Every check returns a one-line detail on success and raises `GuardFailed` (naming the guard,
the example and the problem) on failure. `Guards.run` records both for the run summary/MLflow.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch.distributed.tensor import DTensor
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from flowgen_core.agent.render import Example, parse_row, render_prompt, render_text
from flowgen_core.errors import InvalidInput
from flowgen_core.training.packing import PackStats, _row

log = logging.getLogger("flowgen.training.guards")


class GuardFailed(InvalidInput):
    """A training guard found a silent failure; the run must stop."""


@dataclass
class Guards:
    """Runs checks and keeps their results (name -> {"passed", "detail"})."""

    results: dict[str, dict[str, Any]] = field(default_factory=dict)

    def run(self, name: str, check: Callable[[], str]) -> str:
        """Run one check; record and re-raise a failure with the guard's name."""
        try:
            detail = check()
        except GuardFailed as exc:
            self.results[name] = {"passed": False, "detail": str(exc)}
            raise GuardFailed(f"training guard '{name}' failed: {exc}") from exc
        self.results[name] = {"passed": True, "detail": detail}
        log.info("guard %s: ok (%s)", name, detail)
        return detail


# -- data guards -----------------------------------------------------------------------------
def check_lengths(stats: PackStats, max_drop_fraction: float) -> str:
    """Over-length examples are dropped and counted; too many of them fail the run."""
    frac = stats.dropped_over_length / stats.examples_in if stats.examples_in else 0.0
    if stats.examples_in and stats.dropped_over_length == stats.examples_in:
        raise GuardFailed("every example is longer than packing.seq_len; nothing to train")
    if frac > max_drop_fraction:
        raise GuardFailed(
            f"{stats.dropped_over_length}/{stats.examples_in} examples exceed packing.seq_len "
            f"({frac:.1%} > guards.max_drop_fraction {max_drop_fraction:.1%}); "
            f"first: {', '.join(stats.dropped_ids[:3])}; raise packing.seq_len"
        )
    return f"{stats.dropped_over_length} of {stats.examples_in} dropped as over-length"


def check_trained_tokens(examples: list[Example]) -> str:
    """Every example has at least one trained token."""
    empty = [e.id for e in examples if e.n_trained == 0]
    if empty:
        raise GuardFailed(f"{len(empty)} example(s) have no trained token, first: {empty[0]}")
    return f"{len(examples)} examples, min trained tokens {min(e.n_trained for e in examples)}"


def check_eos_pad(tokenizer: PreTrainedTokenizerBase) -> str:
    """eos (<|im_end|>) and pad are distinct tokens."""
    if tokenizer.eos_token_id is None or tokenizer.eos_token_id == tokenizer.pad_token_id:
        raise GuardFailed(
            f"eos id {tokenizer.eos_token_id} equals pad id {tokenizer.pad_token_id}: "
            "the model would never learn to stop"
        )
    return f"eos {tokenizer.eos_token!r} != pad {tokenizer.pad_token!r}"


def trained_spans(example: Example) -> list[tuple[int, int]]:
    """[start, end) token ranges of consecutive trained tokens."""
    spans, start = [], None
    for t, on in enumerate((*example.trained, False)):
        if on and start is None:
            start = t
        elif not on and start is not None:
            spans.append((start, t))
            start = None
    return spans


def check_loss_mask(
    tokenizer: PreTrainedTokenizerBase, rows: list[dict[str, Any]], examples: list[Example]
) -> str:
    """Decode the mask: exactly the assistant turns are trained, each ending with eos."""
    eos = tokenizer.eos_token_id
    for row, ex in zip(rows, examples, strict=True):
        messages, _tools = parse_row(row)
        n_turns = sum(m["role"] == "assistant" for m in messages)
        spans = trained_spans(ex)
        if len(spans) != n_turns:
            raise GuardFailed(f"{ex.id}: {len(spans)} trained spans for {n_turns} assistant turns")
        for (a, b), start in zip(spans, ex.assistant_starts, strict=True):
            text = tokenizer.decode(list(ex.input_ids[a:b]))
            if a != start:
                raise GuardFailed(f"{ex.id}: trained span starts off an assistant turn: {text!r}")
            if ex.input_ids[b - 1] != eos:
                raise GuardFailed(f"{ex.id}: trained span does not end with eos: {text[-40:]!r}")
            if any(s in text for s in ("<|im_start|>", "<tool_response>")):
                raise GuardFailed(f"{ex.id}: trained span holds non-assistant text: {text!r}")
    return f"{len(examples)} sampled examples: only assistant turns trained, each ends with eos"


def check_template_drift(
    tokenizer: PreTrainedTokenizerBase, rows: list[dict[str, Any]], examples: list[Example]
) -> str:
    """The serving prompt of every assistant turn is a token prefix of the training sequence."""
    turns = 0
    for row, ex in zip(rows, examples, strict=True):
        messages, tools = parse_row(row)
        for i, m in enumerate(messages):
            if m["role"] != "assistant":
                continue
            prompt = render_prompt(tokenizer, messages[:i], tools)
            if tuple(prompt) != ex.input_ids[: len(prompt)]:
                k = next(
                    (
                        j
                        for j, (p, q) in enumerate(zip(prompt, ex.input_ids, strict=False))
                        if p != q
                    ),
                    min(len(prompt), len(ex.input_ids)),
                )
                raise GuardFailed(
                    f"{ex.id}: serving prompt for assistant turn {i} diverges from training at "
                    f"token {k}: {tokenizer.decode(list(prompt[k : k + 8]))!r} vs "
                    f"{tokenizer.decode(list(ex.input_ids[k : k + 8]))!r}"
                )
            turns += 1
    return f"{turns} assistant turns of {len(examples)} examples: serving prompt is a prefix"


_CALL = re.compile(r"<tool_call>\n(.*?)\n</tool_call>", re.S)
_RESPONSE = re.compile(r"<tool_response>\n(.*?)\n</tool_response>", re.S)


def check_tool_json(tokenizer: PreTrainedTokenizerBase, rows: list[dict[str, Any]]) -> str:
    """Tool calls/responses are JSON text, rendered with sorted keys, and parse back to the source."""
    n = 0
    for row in rows:
        raw = json.loads(row["messages"])
        calls, responses = [], []
        for m in raw:
            for tc in m.get("tool_calls") or []:
                args = tc["function"]["arguments"]
                if not isinstance(args, str):
                    raise GuardFailed(f"{row['id']}: tool-call arguments are not JSON text")
                calls.append({"name": tc["function"]["name"], "arguments": json.loads(args)})
            if m["role"] == "tool":
                if not isinstance(m["content"], str):
                    raise GuardFailed(f"{row['id']}: tool response is not JSON text")
                responses.append(json.loads(m["content"]))
        messages, tools = parse_row(row)
        # Skip the system turn: its tool-call instructions hold a placeholder example.
        text = render_text(tokenizer, messages, tools).split("<|im_end|>", 1)[-1]
        rendered_calls = _CALL.findall(text)
        rendered_responses = _RESPONSE.findall(text)
        for src, out in zip(calls, rendered_calls, strict=False):
            if _parse(out) != src:
                raise GuardFailed(f"{row['id']}: tool call renders as {out!r}, source {src!r}")
            if json.dumps(src["arguments"], sort_keys=True) not in out:
                raise GuardFailed(f"{row['id']}: tool-call arguments not rendered with sorted keys")
        for src, out in zip(responses, rendered_responses, strict=False):
            if _parse(out) != src or out != json.dumps(src, sort_keys=True):
                raise GuardFailed(f"{row['id']}: tool response does not round-trip sorted: {out!r}")
        if len(rendered_calls) < len(calls) or len(rendered_responses) != len(responses):
            raise GuardFailed(f"{row['id']}: rendered tool calls/responses missing")
        n += len(calls) + len(responses)
    return f"{n} tool calls and responses round-trip with sorted keys"


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return ValueError  # never equal to a parsed source


# -- model guards ----------------------------------------------------------------------------
@torch.no_grad()
def check_packed_vs_alone(
    model: PreTrainedModel,
    examples: list[Example],
    pad_id: int,
    atol: float,
    attn_implementations: tuple[str, ...] = ("sdpa", "eager"),
    device: torch.device = torch.device("cpu"),
) -> str:
    """Each packed document's logits equal its logits alone (no cross-document attention)."""
    members = sorted(examples, key=lambda e: len(e.input_ids))[:3]
    if len(members) < 2:
        raise GuardFailed("packed-vs-alone needs at least two sampled examples")
    # A pad tail too, so padding is shown not to leak into the documents either.
    seq_len = sum(len(e.input_ids) for e in members) + 8
    row = {k: v.to(device) for k, v in _row(members, seq_len, pad_id).items()}
    was_training = model.training
    model.eval()
    worst = 0.0
    try:
        for impl in attn_implementations:
            model.set_attn_implementation(impl)
            packed = model(
                input_ids=row["input_ids"][None],
                position_ids=row["position_ids"][None],
                use_cache=False,
            ).logits[0]
            offset = 0
            for e in members:
                n = len(e.input_ids)
                ids = torch.tensor([e.input_ids], device=device)
                alone = model(input_ids=ids, use_cache=False).logits[0]
                diff = (packed[offset : offset + n].float() - alone.float()).abs().max().item()
                worst = max(worst, diff)
                if diff > atol:
                    raise GuardFailed(
                        f"{e.id}: packed logits differ from alone by {diff:.2e} > {atol:g} "
                        f"({impl}); packed documents attend to each other"
                    )
                offset += n
    finally:
        model.set_attn_implementation(attn_implementations[0])
        model.train(was_training)
    return f"{len(members)} packed documents, max |diff| {worst:.2e} ({'/'.join(attn_implementations)})"


def check_fsdp_sharding(model: torch.nn.Module, expected_world_size: int, world_size: int) -> str:
    """Every parameter is a DTensor and the world size is the one asked for."""
    if world_size != expected_world_size:
        raise GuardFailed(
            f"world size {world_size} but parallel.world_size is {expected_world_size}: "
            "the launcher did not start the asked number of processes"
        )
    plain = [n for n, p in model.named_parameters() if not isinstance(p, DTensor)]
    if plain:
        raise GuardFailed(f"{len(plain)} parameter(s) are not sharded (not DTensor): {plain[0]}")
    n = sum(1 for _ in model.parameters())
    return f"{n} parameters are DTensors over world size {world_size}"


def check_global_count(global_count: int, expected: int, step: int) -> str:
    """The all-reduced trained-token count equals what the packing plan says for the step."""
    if global_count != expected:
        raise GuardFailed(
            f"step {step}: all-reduced trained tokens {global_count} != planned {expected}"
        )
    return f"step {step}: {global_count} trained tokens"

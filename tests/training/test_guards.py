"""Each training guard passes on good input and fires on the broken input it exists for."""

from __future__ import annotations

import copy
import json
from dataclasses import replace

import pytest
import torch
from transformers import AutoTokenizer

from flowgen_core.agent.render import tokenize_row
from flowgen_core.agent.tokenizer import CHAT_TEMPLATE
from flowgen_core.training.guards import (
    GuardFailed,
    Guards,
    check_eos_pad,
    check_fsdp_sharding,
    check_global_count,
    check_lengths,
    check_loss_mask,
    check_packed_vs_alone,
    check_template_drift,
    check_tool_json,
    check_trained_tokens,
)
from flowgen_core.training.packing import PackingConfig, pack
from flowgen_core.training.trainer import scaled_loss


def test_guards_record_results_and_name_the_failed_guard() -> None:
    guards = Guards()
    guards.run("ok", lambda: "fine")

    def broken() -> str:
        raise GuardFailed("bad thing")

    with pytest.raises(GuardFailed, match="training guard 'bad' failed: bad thing"):
        guards.run("bad", broken)
    assert guards.results == {
        "ok": {"passed": True, "detail": "fine"},
        "bad": {"passed": False, "detail": "bad thing"},
    }


def test_over_length_guard_fires_when_too_many_are_dropped(tokenizer, rows) -> None:
    examples = [tokenize_row(tokenizer, r) for r in rows[:10]]
    _, fine = pack(examples, PackingConfig(seq_len=4096), tokenizer.pad_token_id)
    assert "0 of 10 dropped" in check_lengths(fine, 0.05)
    limit = sorted(len(e.input_ids) for e in examples)[5]
    _, stats = pack(examples, PackingConfig(seq_len=limit), tokenizer.pad_token_id)
    with pytest.raises(GuardFailed, match=r"exceed packing\.seq_len"):
        check_lengths(stats, 0.05)
    _, none_fit = pack(examples, PackingConfig(seq_len=16), tokenizer.pad_token_id)
    with pytest.raises(GuardFailed, match="every example is longer"):
        check_lengths(none_fit, 1.0)


def test_zero_trained_token_guard_fires(tokenizer, rows) -> None:
    ex = tokenize_row(tokenizer, rows[0])
    check_trained_tokens([ex])
    empty = replace(ex, trained=tuple(False for _ in ex.trained))
    with pytest.raises(GuardFailed, match="no trained token"):
        check_trained_tokens([ex, empty])


def test_eos_pad_guard_fires_when_pad_is_eos(tokenizer, base_dir) -> None:
    check_eos_pad(tokenizer)
    broken = AutoTokenizer.from_pretrained(base_dir)
    broken.pad_token = broken.eos_token
    with pytest.raises(GuardFailed, match="never learn to stop"):
        check_eos_pad(broken)


def test_loss_mask_guard_fires_on_a_shifted_or_widened_mask(tokenizer, rows) -> None:
    ex = tokenize_row(tokenizer, rows[0])
    check_loss_mask(tokenizer, [rows[0]], [ex])
    no_eos = list(ex.trained)  # drop the final <|im_end|> from the mask
    no_eos[max(i for i, on in enumerate(no_eos) if on)] = False
    with pytest.raises(GuardFailed, match=r"does not end with eos"):
        check_loss_mask(tokenizer, [rows[0]], [replace(ex, trained=tuple(no_eos))])
    with pytest.raises(GuardFailed, match=r"assistant turns|off an assistant"):
        check_loss_mask(tokenizer, [rows[0]], [replace(ex, trained=(True,) * len(ex.trained))])


def test_template_drift_guard_fires_when_training_rendered_differently(
    tokenizer, base_dir, rows
) -> None:
    ex = tokenize_row(tokenizer, rows[0])
    check_template_drift(tokenizer, [rows[0]], [ex])
    training_tok = AutoTokenizer.from_pretrained(base_dir)
    training_tok.chat_template = CHAT_TEMPLATE.replace("# Tools", "# Functions")
    drifted = tokenize_row(training_tok, rows[0])
    with pytest.raises(GuardFailed, match="diverges from training at token"):
        check_template_drift(tokenizer, [rows[0]], [drifted])


def test_tool_json_guard_fires_on_mangled_or_unsorted_arguments(tokenizer, base_dir, rows) -> None:
    check_tool_json(tokenizer, rows[:3])
    mangled = copy.deepcopy(rows[0])  # Arrow turned the JSON text into a struct
    messages = json.loads(mangled["messages"])
    tc = messages[2]["tool_calls"][0]["function"]
    tc["arguments"] = json.loads(tc["arguments"])
    mangled["messages"] = json.dumps(messages)
    with pytest.raises(GuardFailed, match="not JSON text"):
        check_tool_json(tokenizer, [mangled])
    unsorted_tok = AutoTokenizer.from_pretrained(base_dir)
    unsorted_tok.chat_template = CHAT_TEMPLATE.replace("tojson(sort_keys=True)", "tojson")
    reordered = copy.deepcopy(rows[0])
    messages = json.loads(reordered["messages"])
    messages[2]["tool_calls"][0]["function"]["arguments"] = json.dumps({"query": "x", "limit": 5})
    reordered["messages"] = json.dumps(messages)
    with pytest.raises(GuardFailed, match="sorted keys"):
        check_tool_json(unsorted_tok, [reordered])


class NoPositionReset(torch.nn.Module):
    """A broken packer: calls the model without the per-document position_ids."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.inner = model

    def forward(self, input_ids, position_ids=None, use_cache=False):  # type: ignore[no-untyped-def]
        return self.inner(input_ids=input_ids, use_cache=use_cache)

    def set_attn_implementation(self, impl: str) -> None:
        self.inner.set_attn_implementation(impl)


def test_packed_vs_alone_guard_fires_when_documents_attend_to_each_other(
    model, tokenizer, rows
) -> None:
    examples = [tokenize_row(tokenizer, r) for r in rows[:3]]
    detail = check_packed_vs_alone(model, examples, tokenizer.pad_token_id, 1e-5)
    assert "sdpa/eager" in detail
    with pytest.raises(GuardFailed, match="attend to each other"):
        check_packed_vs_alone(NoPositionReset(model), examples, tokenizer.pad_token_id, 1e-5)


def test_fsdp_guard_fires_on_unsharded_params_or_wrong_world_size(model) -> None:
    with pytest.raises(GuardFailed, match="did not start the asked number"):
        check_fsdp_sharding(model, expected_world_size=2, world_size=1)
    with pytest.raises(GuardFailed, match="not sharded"):
        check_fsdp_sharding(model, expected_world_size=1, world_size=1)


def test_global_count_guard_fires_on_a_mismatch() -> None:
    check_global_count(10, 10, step=3)
    with pytest.raises(GuardFailed, match="step 3"):
        check_global_count(9, 10, step=3)


def test_loss_normalization_with_uneven_ranks_matches_one_process() -> None:
    torch.manual_seed(0)
    weight = torch.randn(5, 3)
    x = torch.randn(40, 5)
    y = torch.randint(0, 3, (40,))
    y[:25][torch.rand(25) < 0.7] = -100  # rank 0 holds far fewer trained tokens than rank 1
    shards = [(x[:20], y[:20]), (x[20:], y[20:])]
    global_tokens = int((y != -100).sum())

    def grad(loss_fn) -> torch.Tensor:  # type: ignore[no-untyped-def]
        w = weight.clone().requires_grad_()
        loss_fn(w).backward()
        return w.grad

    def token_loss_sum(w: torch.Tensor, xs: torch.Tensor, ys: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.cross_entropy(xs @ w, ys, ignore_index=-100, reduction="sum")

    single = grad(lambda w: token_loss_sum(w, x, y) / global_tokens)
    # What FSDP does: average the per-rank gradients.
    ours = (
        sum(
            grad(lambda w, s=s: scaled_loss(token_loss_sum(w, *s), global_tokens, 2))
            for s in shards
        )
        / 2
    )
    torch.testing.assert_close(ours, single, rtol=1e-6, atol=1e-7)
    naive = (
        sum(grad(lambda w, s=s: token_loss_sum(w, *s) / int((s[1] != -100).sum())) for s in shards)
        / 2
    )
    assert (naive - single).abs().max() > 1e-3  # per-rank means would be wrong

"""`sdpa_packed`: per-document attention gives sdpa's logits and gradients on packed batches."""

from __future__ import annotations

import pytest
import torch

from flowgen_core.agent.render import tokenize_row
from flowgen_core.training.attention import PACKED_SDPA
from flowgen_core.training.packing import PackingConfig, pack


def _loss_and_grads(model, batch: dict[str, torch.Tensor], impl: str):  # type: ignore[no-untyped-def]
    model.set_attn_implementation(impl)
    model.zero_grad(set_to_none=True)
    logits = model(
        input_ids=batch["input_ids"], position_ids=batch["position_ids"], use_cache=False
    ).logits
    loss = torch.nn.functional.cross_entropy(
        logits.flatten(0, 1), batch["labels"].flatten(), ignore_index=-100
    )
    loss.backward()
    return logits.detach(), {n: p.grad.clone() for n, p in model.named_parameters()}


def test_packed_sdpa_matches_sdpa_on_a_batch_of_packed_rows(model, tokenizer, rows) -> None:
    examples = [tokenize_row(tokenizer, r) for r in rows[:6]]
    seq_len = max(len(e.input_ids) for e in examples) * 2
    packed, _ = pack(examples, PackingConfig(seq_len=seq_len), tokenizer.pad_token_id)
    batch = {k: torch.stack([r[k] for r in packed[:2]]) for k in packed[0]}
    assert len(packed) >= 2 and (batch["position_ids"] == 0).sum() >= 4  # several documents
    ref_logits, ref_grads = _loss_and_grads(model, batch, "sdpa")
    logits, grads = _loss_and_grads(model, batch, PACKED_SDPA)
    assert (logits - ref_logits).abs().max().item() < 1e-5
    for name, grad in ref_grads.items():
        torch.testing.assert_close(grads[name], grad, rtol=1e-4, atol=1e-6, msg=name)


def test_packed_sdpa_refuses_a_padding_mask_rather_than_ignore_it(model) -> None:
    model.set_attn_implementation(PACKED_SDPA)
    ids = torch.arange(5, 25)[None]
    padded = torch.ones_like(ids)
    padded[0, :3] = 0
    with pytest.raises(ValueError, match="takes no padding mask"):
        model(input_ids=ids, attention_mask=padded, use_cache=False)

"""`packed`: document-masked attention equals each document run alone, without a dense mask."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F
from support.tiny_qwen3 import tiny_qwen3

from flowgen_core.agent.render import tokenize_row
from flowgen_core.training.attention import (
    FLASH_VARLEN,
    PACKED,
    PACKED_SDPA,
    document_bounds,
    per_document_sdpa,
    varlen_attention,
)
from flowgen_core.training.packing import PackingConfig, pack

DOC_LENGTHS = ((37, 64, 11, 20), (90, 5, 33))  # two rows; the first has a pad-like tail doc
ROW = 132


def packed_rows() -> tuple[torch.Tensor, torch.Tensor, list[list[torch.Tensor]]]:
    """Input ids and position_ids of two packed rows, and each row's documents' ids."""
    gen = torch.Generator().manual_seed(1)
    ids, positions, docs = [], [], []
    for lengths in DOC_LENGTHS:
        assert sum(lengths) <= ROW
        row_docs = [torch.randint(0, 300, (n,), generator=gen) for n in lengths]
        tail = ROW - sum(lengths)
        if tail:  # the pad tail restarts its positions at 0, as packing.py writes it
            row_docs.append(torch.randint(0, 300, (tail,), generator=gen))
        ids.append(torch.cat(row_docs))
        positions.append(torch.cat([torch.arange(len(d)) for d in row_docs]))
        docs.append(row_docs)
    return torch.stack(ids), torch.stack(positions), docs


@torch.no_grad()
def test_packed_logits_equal_each_document_run_alone() -> None:
    model = tiny_qwen3()
    ids, positions, docs = packed_rows()
    model.set_attn_implementation(PACKED)
    packed = model(input_ids=ids, position_ids=positions, use_cache=False).logits
    # The reference: every document alone through plain sdpa (no packing, no mask).
    model.set_attn_implementation("sdpa")
    worst = 0.0
    for b, row_docs in enumerate(docs):
        offset = 0
        for doc in row_docs:
            alone = model(input_ids=doc[None], use_cache=False).logits[0]
            got = packed[b, offset : offset + len(doc)]
            worst = max(worst, (got - alone).abs().max().item())
            offset += len(doc)
    assert worst < 1e-5, worst
    # The same rows without the position resets are one long document: the check sees leakage.
    model.set_attn_implementation(PACKED)
    flat = torch.arange(ROW).expand_as(ids)
    leaky = model(input_ids=ids, position_ids=flat, use_cache=False).logits
    assert (leaky[0, 37:101] - packed[0, 37:101]).abs().max().item() > 1e-3


@torch.no_grad()
def test_the_old_name_runs_the_same_code_bit_for_bit() -> None:
    """The tiny recipe moved from `sdpa_packed` to `packed`: same logits, so the same model."""
    model = tiny_qwen3()
    ids, positions, _docs = packed_rows()
    out = {}
    for impl in (PACKED, PACKED_SDPA):
        model.set_attn_implementation(impl)
        out[impl] = model(input_ids=ids, position_ids=positions, use_cache=False).logits
    assert torch.equal(out[PACKED], out[PACKED_SDPA])


def test_document_bounds_start_at_each_reset_and_each_row() -> None:
    positions = torch.tensor([[0, 1, 2, 0, 1, 0], [3, 4, 0, 1, 2, 3]])
    # row 2 starts mid-document (position 3): a row start is always a bound
    assert document_bounds(positions).tolist() == [0, 3, 5, 6, 8, 12]
    assert document_bounds(positions).dtype == torch.int32


def _old_per_row_sdpa(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, pos: torch.Tensor):  # type: ignore[no-untyped-def]
    """The per-document sdpa `sdpa_packed` ran before this module had a varlen path."""
    rows = []
    for b in range(q.shape[0]):
        starts = (pos[b] == 0).nonzero().flatten().tolist()
        bounds = [*starts, q.shape[2]]
        docs = [
            F.scaled_dot_product_attention(
                q[b : b + 1, :, s:e],
                k[b : b + 1, :, s:e],
                v[b : b + 1, :, s:e],
                is_causal=True,
                enable_gqa=True,
            )
            for s, e in itertools.pairwise(bounds)
        ]
        rows.append(torch.cat(docs, dim=2))
    return torch.cat(rows, dim=0).transpose(1, 2).contiguous()


def _qkv() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    _ids, positions, _docs = packed_rows()
    gen = torch.Generator().manual_seed(2)
    q = torch.randn(2, 4, ROW, 16, generator=gen)
    k = torch.randn(2, 2, ROW, 16, generator=gen)
    v = torch.randn(2, 2, ROW, 16, generator=gen)
    return q, k, v, positions


def test_per_document_sdpa_is_the_old_computation_bit_for_bit() -> None:
    q, k, v, positions = _qkv()
    new = per_document_sdpa(q, k, v, document_bounds(positions), None, 0.0)
    assert torch.equal(new, _old_per_row_sdpa(q, k, v, positions))


def reference_varlen(  # type: ignore[no-untyped-def]
    q, k, v, cu_q, cu_k, max_q, max_k, dropout_p=0.0, softmax_scale=None, causal=False
):
    """flash_attn_varlen_func's contract ([tokens, heads, dim], cu_seqlens), computed on CPU."""
    assert torch.equal(cu_q, cu_k) and max_q == max_k and causal and dropout_p == 0.0
    assert max_q == int((cu_q[1:] - cu_q[:-1]).max())
    out = []
    for s, e in itertools.pairwise(cu_q.tolist()):
        doc = [t[s:e].transpose(0, 1)[None] for t in (q, k, v)]  # [1, heads, n, dim]
        o = F.scaled_dot_product_attention(
            *doc, is_causal=True, scale=softmax_scale, enable_gqa=True
        )
        out.append(o[0].transpose(0, 1))
    return torch.cat(out)


def test_varlen_path_lays_out_the_batch_as_the_kernel_expects() -> None:
    """The flash-attn call's plumbing (layout, cu_seqlens, max length, scale) on CPU."""
    q, k, v, positions = _qkv()
    bounds = document_bounds(positions)
    got = varlen_attention(q, k, v, bounds, 0.3, 0.0, reference_varlen)
    want = per_document_sdpa(q, k, v, bounds, 0.3, 0.0)
    assert got.shape == want.shape == (2, ROW, 4, 16)
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.skipif(
    FLASH_VARLEN is None or not torch.cuda.is_available(), reason="needs a GPU and flash-attn"
)
@torch.no_grad()
def test_flash_varlen_on_gpu_equals_each_document_alone() -> None:
    model = tiny_qwen3().to("cuda", torch.bfloat16)
    ids, positions, docs = packed_rows()
    model.set_attn_implementation(PACKED)
    packed = model(input_ids=ids.cuda(), position_ids=positions.cuda(), use_cache=False).logits
    for b, row_docs in enumerate(docs):
        offset = 0
        for doc in row_docs:
            alone = model(input_ids=doc[None].cuda(), use_cache=False).logits[0]
            got = packed[b, offset : offset + len(doc)]
            torch.testing.assert_close(got.float(), alone.float(), rtol=2e-2, atol=2e-2)
            offset += len(doc)


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


def test_packed_matches_sdpa_logits_and_gradients_on_packed_rows(model, tokenizer, rows) -> None:
    examples = [tokenize_row(tokenizer, r) for r in rows[:6]]
    seq_len = max(len(e.input_ids) for e in examples) * 2
    packed, _ = pack(examples, PackingConfig(seq_len=seq_len), tokenizer.pad_token_id)
    batch = {k: torch.stack([r[k] for r in packed[:2]]) for k in packed[0]}
    assert len(packed) >= 2 and (batch["position_ids"] == 0).sum() >= 4  # several documents
    ref_logits, ref_grads = _loss_and_grads(model, batch, "sdpa")
    logits, grads = _loss_and_grads(model, batch, PACKED)
    assert (logits - ref_logits).abs().max().item() < 1e-5
    for name, grad in ref_grads.items():
        torch.testing.assert_close(grads[name], grad, rtol=1e-4, atol=1e-6, msg=name)


def test_packed_refuses_a_padding_mask_rather_than_ignore_it(model) -> None:
    model.set_attn_implementation(PACKED)
    ids = torch.arange(5, 25)[None]
    padded = torch.ones_like(ids)
    padded[0, :3] = 0
    with pytest.raises(ValueError, match="takes no padding mask"):
        model(input_ids=ids, attention_mask=padded, use_cache=False)

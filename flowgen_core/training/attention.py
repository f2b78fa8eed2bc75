"""Document-masked attention for packed rows, registered with transformers as `packed`.

With plain `sdpa`, packed `position_ids` make transformers build a dense block-diagonal mask,
so every row pays attention over its full length squared (8192^2 in production) however short
its documents are, on the masked kernel, and holds an L x L mask per row. `packed` finds the
documents from the `position_ids` resets and attends within each one only, without building
that mask:

- on CUDA with `flash_attn` installed and 16-bit inputs: flash attention's varlen kernel over
  the whole batch, with `cu_seqlens` from the resets (one kernel call per layer);
- otherwise (CPU, fp32, no flash-attn): causal sdpa per document.

Both give the per-document result: each document's logits equal its logits alone (tested to
1e-5, and checked by the `packed_vs_alone` guard on every run against sdpa and eager). Flex
attention with a document block mask was not used for the CPU path: torch 2.13's
`flex_attention` has no backward on CPU ("FlexAttention does not support backward on CPU"), so
the tiny recipe could not train with it.

`sdpa_packed`, the name of the per-document sdpa path before the varlen backend was added, is
kept as an alias so configs saved with it (checkpoints, resumes) still load; on CPU both names
run the same code. The mask hook is flash attention's: no mask unless a padding mask is
passed, which this function refuses rather than ignore.
"""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from transformers import AttentionInterface
from transformers.masking_utils import AttentionMaskInterface, flash_attention_mask

PACKED = "packed"
PACKED_SDPA = "sdpa_packed"  # the older name of the same implementation (saved configs use it)
IMPLEMENTATIONS = (PACKED, PACKED_SDPA)

# flash_attn_varlen_func(q, k, v, cu_seqlens_q, cu_seqlens_k, max_seqlen_q, max_seqlen_k,
#                        dropout_p, softmax_scale, causal) with q/k/v as [tokens, heads, dim].
VarlenFn = Callable[..., torch.Tensor]


def _flash_varlen() -> VarlenFn | None:
    # Looked up once at import: flash-attn is a CUDA-only build (the image's cuda target).
    if importlib.util.find_spec("flash_attn") is None:
        return None
    from flash_attn import flash_attn_varlen_func

    return flash_attn_varlen_func  # type: ignore[no-any-return]


FLASH_VARLEN: VarlenFn | None = _flash_varlen()


def document_bounds(position_ids: torch.Tensor) -> torch.Tensor:
    """`cu_seqlens` of a packed batch flattened row after row: int32 [documents + 1].

    A document starts where `position_ids` is 0 and at the start of every row; the pad tail
    restarts at 0 too (packing.py), so it is a document of its own and leaks into nothing.
    """
    batch, length = position_ids.shape
    starts = position_ids == 0
    starts[:, 0] = True
    flat = starts.flatten().nonzero().flatten()
    end = torch.tensor([batch * length], device=position_ids.device)
    return torch.cat([flat, end]).to(torch.int32)


def varlen_attention(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    cu_seqlens: torch.Tensor,
    scaling: float | None,
    dropout: float,
    varlen: VarlenFn,
) -> torch.Tensor:
    """A varlen kernel over the batch as one sequence ([B, H, L, D] in, [B, L, H, D] out)."""
    batch, _heads, length, _dim = query.shape

    def tokens(t: torch.Tensor) -> torch.Tensor:  # [B, H, L, D] -> [B * L, H, D]
        return t.transpose(1, 2).reshape(batch * length, t.shape[1], t.shape[3])

    max_len = int((cu_seqlens[1:] - cu_seqlens[:-1]).max())
    out = varlen(
        tokens(query),
        tokens(key),
        tokens(value),
        cu_seqlens,
        cu_seqlens,
        max_len,
        max_len,
        dropout_p=dropout,
        softmax_scale=scaling,
        causal=True,
    )
    return out.reshape(batch, length, *out.shape[1:])


def per_document_sdpa(
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    cu_seqlens: torch.Tensor,
    scaling: float | None,
    dropout: float,
) -> torch.Tensor:
    """Causal sdpa on each document alone ([B, H, L, D] in, [B, L, H, D] out)."""
    batch, _heads, length, _dim = query.shape
    bounds = cu_seqlens.tolist()
    docs = []
    for s, e in itertools.pairwise(bounds):
        b, start = divmod(s, length)  # documents never cross rows (a row start is a bound)
        end = start + (e - s)
        docs.append(
            F.scaled_dot_product_attention(
                query[b : b + 1, :, start:end],
                key[b : b + 1, :, start:end],
                value[b : b + 1, :, start:end],
                dropout_p=dropout,
                is_causal=True,
                scale=scaling,
                enable_gqa=True,
            )
        )
    # [1, H, B * L, D]: the documents in row order -> [B, L, H, D]
    out = torch.cat(docs, dim=2).reshape(query.shape[1], batch, length, -1)
    return out.permute(1, 2, 0, 3).contiguous()


def packed_attention(
    module: torch.nn.Module,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attention_mask: torch.Tensor | None,
    scaling: float | None = None,
    dropout: float = 0.0,
    position_ids: torch.Tensor | None = None,
    **_kwargs: Any,
) -> tuple[torch.Tensor, None]:
    """Causal attention within each document of each row ([B, H, L, D] in, [B, L, H, D] out)."""
    if attention_mask is not None:
        raise ValueError(f"{PACKED} takes no padding mask: pack rows, pass position_ids")
    batch, _heads, length, _dim = query.shape
    if position_ids is None:
        position_ids = torch.arange(length, device=query.device).expand(batch, length)
    cu_seqlens = document_bounds(position_ids)
    # flash-attn computes only in fp16/bf16; an fp32 run on GPU takes the sdpa path.
    if (
        FLASH_VARLEN is not None
        and query.is_cuda
        and query.dtype in (torch.float16, torch.bfloat16)
    ):
        out = varlen_attention(query, key, value, cu_seqlens, scaling, dropout, FLASH_VARLEN)
        return out, None
    return per_document_sdpa(query, key, value, cu_seqlens, scaling, dropout), None


for _name in IMPLEMENTATIONS:
    AttentionInterface.register(_name, packed_attention)
    AttentionMaskInterface.register(_name, flash_attention_mask)

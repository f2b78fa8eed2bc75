"""Per-document attention for packed rows, registered with transformers as `sdpa_packed`.

With plain `sdpa`, packed `position_ids` make transformers build a dense block-diagonal mask,
so every row pays attention over its full length squared (2048^2) however short its
documents are, and the masked kernel is slower than the causal one. `sdpa_packed` splits each
row at its position resets and runs causal sdpa per document: the same result (the
`packed_vs_alone` guard checks it against sdpa and eager), at the cost of each document's own
length squared. Its mask hook is flash attention's: no mask unless a padding mask is passed,
which this function refuses rather than ignore.
"""

from __future__ import annotations

import itertools
from typing import Any

import torch
import torch.nn.functional as F
from transformers import AttentionInterface
from transformers.masking_utils import AttentionMaskInterface, flash_attention_mask

PACKED_SDPA = "sdpa_packed"


def packed_sdpa_attention(
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
    """Causal sdpa within each document of each row ([B, H, L, D] in, [B, L, H, D] out)."""
    if attention_mask is not None:
        raise ValueError(f"{PACKED_SDPA} takes no padding mask: pack rows, pass position_ids")
    batch, _heads, length, _dim = query.shape
    if position_ids is None:
        position_ids = torch.arange(length, device=query.device).expand(batch, length)
    rows = []
    for b in range(batch):
        starts = (position_ids[b] == 0).nonzero().flatten().tolist()
        if not starts or starts[0] != 0:
            starts = [0, *starts]
        bounds = [*starts, length]
        docs = [
            F.scaled_dot_product_attention(
                query[b : b + 1, :, s:e],
                key[b : b + 1, :, s:e],
                value[b : b + 1, :, s:e],
                dropout_p=dropout,
                is_causal=True,
                scale=scaling,
                enable_gqa=True,
            )
            for s, e in itertools.pairwise(bounds)
        ]
        rows.append(torch.cat(docs, dim=2))
    return torch.cat(rows, dim=0).transpose(1, 2).contiguous(), None


AttentionInterface.register(PACKED_SDPA, packed_sdpa_attention)
AttentionMaskInterface.register(PACKED_SDPA, flash_attention_mask)

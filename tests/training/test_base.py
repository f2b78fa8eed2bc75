"""The tiny recipe's base model: the shipped pretrained base, its rebuild, the fallback."""

from __future__ import annotations

from pathlib import Path

import torch
from transformers import AutoModelForCausalLM

from flowgen_core.artifacts import folder_hash
from flowgen_core.training import base


def test_ship_is_bf16_and_bit_for_bit(base_dir: Path, tmp_path: Path) -> None:
    first = base.ship(base_dir, tmp_path / "a")
    second = base.ship(base_dir, tmp_path / "b")
    assert first == second == folder_hash(tmp_path / "a")
    shipped = AutoModelForCausalLM.from_pretrained(tmp_path / "a", dtype=torch.float32)
    source = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32)
    for (name, p), q in zip(shipped.named_parameters(), source.parameters(), strict=True):
        assert torch.equal(p, q.to(torch.bfloat16).float()), name  # bf16 rounding, nothing else


def test_fallback_bootstraps_a_fresh_init_once(tmp_path: Path) -> None:
    calls: list[int] = []

    def corpus() -> list[str]:
        calls.append(1)
        return ["tag orders over $500 as vip", "order_created add_order_tags"] * 20

    path = base.tiny_base(tmp_path, corpus, pretrained=False)
    assert path == tmp_path / "models" / "tiny-base" and (path / "config.json").is_file()
    assert base.tiny_base(tmp_path, corpus, pretrained=False) == path
    assert calls == [1]


def test_the_shipped_base_is_the_recorded_one(tmp_path: Path) -> None:
    """The package ships a base exactly when SHIPPED_HASH records one, and it is that one."""
    if not base.SHIPPED.is_dir():
        assert base.SHIPPED_HASH == ""
        return
    assert folder_hash(base.SHIPPED) == base.SHIPPED_HASH
    assert base.tiny_base(tmp_path, list) == base.SHIPPED

#!/bin/sh
# The image's smoke test, run as the last step of each Dockerfile target (and by hand:
# `docker run --rm IMAGE sh /app/infra/smoke.sh`): the CLI starts, the trainer and the serving
# app import, and the target has the torch build it promises. FLOWGEN_IMAGE_TARGET says which
# (cpu or cuda); unset, only the target-independent checks run (e.g. on a developer's machine).
set -eu
PYTHON="${PYTHON:-python}"
flowgen --help > /dev/null
"$PYTHON" - <<'PY'
import importlib
import os

for module in (
    "flowgen_core.training.trainer",
    "flowgen_core.training.attention",
    "flowgen_core.serving.app",
    "flowgen_core.serving.loading",
    "flows.weekly_retrain",
):
    importlib.import_module(module)

import torch
import transformers
from transformers import AttentionInterface

assert "packed" in AttentionInterface._global_mapping, "the packed attention is not registered"
target = os.environ.get("FLOWGEN_IMAGE_TARGET", "")
if target == "cpu":
    assert torch.version.cuda is None, f"cpu image has a CUDA torch ({torch.version.cuda})"
elif target == "cuda":
    # No GPU at build time: check the build, not a device.
    assert torch.version.cuda is not None, "cuda image has a CPU-only torch"
    from flowgen_core.training.attention import FLASH_VARLEN

    assert FLASH_VARLEN is not None, "flash-attn is missing: packed attention would not be varlen"
elif target:
    raise SystemExit(f"unknown FLOWGEN_IMAGE_TARGET {target!r}")
print(f"smoke ok: target {target or '-'}, torch {torch.__version__}, "
      f"transformers {transformers.__version__}")
PY
if [ "${FLOWGEN_IMAGE_TARGET:-}" = "cuda" ]; then
    vllm --version > /dev/null  # the engine's own virtualenv
fi
echo "smoke ok"

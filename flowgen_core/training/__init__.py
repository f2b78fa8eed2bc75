"""The SFT trainer and its launch.

`Recipe` names the named runs (`recipes.py` builds their configs) and `Init` where a run starts
(`warm_start.py`). They live here, in a module without torch, so flow parameters and the
command line can name them cheaply; so does `start_weights`, which the weekly flow calls.
"""

import logging
from typing import Any, Literal, get_args

Recipe = Literal["tiny", "tiny-pretrain", "qwen3-32b-2x8h200"]
RECIPES: tuple[str, ...] = get_args(Recipe)
# The recipes whose base model is built here (bootstrapped or shipped) when none is given;
# the others need a local base model folder.
TINY_RECIPES: tuple[Recipe, ...] = ("tiny", "tiny-pretrain")
Init = Literal["base", "champion"]  # the base model, or a warm start from the champion
INITS: tuple[str, ...] = get_args(Init)

log = logging.getLogger("flowgen.training")


def start_weights(init: str, champion: dict[str, Any] | None) -> dict[str, Any]:
    """The train parameters for where training starts: the champion's model when `init` is
    champion and there is one (a registry record: version, model_uri, model_hash), else the
    base (saying so in one line)."""
    if init != "champion":
        return {"init": "base"}
    if champion is None:
        log.warning("train.init=champion but there is no champion yet: starting from the base")
        return {"init": "base"}
    return {
        "init": "champion",
        "init_model_uri": champion["model_uri"],
        "init_model_hash": champion["model_hash"],
    }

"""The SFT trainer and its launch.

`Recipe` names the named runs (`recipes.py` builds their configs). It lives here, in a module
without torch, so flow parameters and the command line can name a recipe cheaply.
"""

from typing import Literal, get_args

Recipe = Literal["tiny", "qwen3-32b-2x8h200"]
RECIPES: tuple[str, ...] = get_args(Recipe)

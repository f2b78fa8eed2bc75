"""The conversation an ideal agent has to reach a target workflow, built from the interface.

Layout (three assistant turns, the agent's default step limit):

1. one assistant turn with a `task_search` call per task the program needs that the
   conversation does not already show (an edit shows the existing program's tasks), each
   answered by `run_tool`: names and one-line descriptions, distractors included;
2. one `task_configuration` call for the tasks the program calls, in program order, answered
   with their full schemas;
3. the final answer: the target's Python, exactly as `to_python` writes it.

Every tool response is produced by `interface.run_tool`, so it is the text serving returns.
Queries are chosen per example with a seeded RNG from the task's label, merchant keywords and
name; a query is kept only when its results hold the task (within `limit`), as a real agent
would rephrase until the search finds it.
"""

from __future__ import annotations

import ast
import hashlib
import json
import random
from functools import lru_cache
from typing import Any

from flowgen_core.agent.interface import first_messages, run_tool
from flowgen_core.catalog.model import Catalog, Task
from flowgen_core.errors import InvalidInput

SEARCH_LIMITS = (5, 8, 10)  # the agent asks for a handful of matches, never the whole catalog


def tool_call(name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """One assistant tool call in the row format (arguments as sorted-key JSON text)."""
    return {
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments, sort_keys=True)},
    }


def program_tasks(python: str, catalog: Catalog) -> list[Task]:
    """Catalog tasks a program names (trigger decorator, calls), in order, without duplicates.

    `if` statements are the generic condition step and loops the generic for-each: the model
    writes them as Python, so they need no schema.
    """
    names: list[str] = []
    for node in ast.walk(ast.parse(python)):
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                if isinstance(target, ast.Name):
                    names.append(target.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            names.append(node.func.id)
    tasks = []
    for name in dict.fromkeys(names):
        task = catalog.by_python_name(name)
        if task is not None and task.type not in ("CONDITION", "FOREACH"):
            tasks.append(task)
    return tasks


def _queries(task: Task, rng: random.Random) -> list[str]:
    label = task.label.lower()
    options = [label, task.python_name.replace("_", " "), *(k.lower() for k in task.keywords)]
    first = options[rng.randrange(len(options))]
    return list(dict.fromkeys([first, label, task.python_name.replace("_", " ")]))


@lru_cache(maxsize=8192)
def _search(query: str, limit: int, catalog: Catalog) -> str:
    # Queries repeat across examples (labels, keywords); the answer is a pure function.
    return run_tool("task_search", {"query": query, "limit": limit}, catalog)


def search_call(task: Task, catalog: Catalog, rng: random.Random) -> dict[str, Any]:
    """Arguments of a `task_search` call that finds the task (InvalidInput when none does)."""
    limit = SEARCH_LIMITS[rng.randrange(len(SEARCH_LIMITS))]
    for query in _queries(task, rng):
        for lim in dict.fromkeys((limit, max(SEARCH_LIMITS))):
            found = json.loads(_search(query, lim, catalog))
            if any(hit["name"] == task.python_name for hit in found):
                return {"query": query, "limit": lim}
    raise InvalidInput(f"search: no query finds task {task.python_name}")


def build_messages(
    request: str,
    python: str,
    catalog: Catalog,
    seed_key: str,
    existing_python: str | None = None,
) -> list[dict[str, Any]]:
    """The full conversation, from `first_messages` to the final Python."""
    seed = int.from_bytes(hashlib.sha256(seed_key.encode()).digest()[:8])
    rng = random.Random(seed)
    tasks = program_tasks(python, catalog)
    if not tasks:
        raise InvalidInput("trajectory: the program names no catalog task")
    shown = (
        {t.python_name for t in program_tasks(existing_python, catalog)}
        if existing_python
        else set()
    )
    messages = first_messages(request, existing_python)
    searches = [search_call(t, catalog, rng) for t in tasks if t.python_name not in shown]
    if searches:
        messages.append(
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [tool_call("task_search", a) for a in searches],
            }
        )
        for args in searches:
            messages.append(
                {
                    "role": "tool",
                    "name": "task_search",
                    "content": run_tool("task_search", args, catalog),
                }
            )
    config = {"names": [t.python_name for t in tasks]}
    messages.append(
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [tool_call("task_configuration", config)],
        }
    )
    messages.append(
        {
            "role": "tool",
            "name": "task_configuration",
            "content": run_tool("task_configuration", config, catalog),
        }
    )
    messages.append({"role": "assistant", "content": python})
    return messages

"""The agent's interface: the one definition training, evaluation and serving all render from.

Everything the model sees that is not the merchant's words or the catalog's answers is here:
the system prompt, the tool names (no prefixes), their order, descriptions and JSON schemas,
the shape of the first turn and the exact JSON text of each tool response. Training rows are
built with `first_messages` and `run_tool`, the agent loop calls the same two functions, so a
training sequence and what serving sends are the same tokens: training
mirrors production. Change anything here and bump INTERFACE_VERSION: it goes into every dataset
manifest and model, so a model is never served an interface it was not trained on.

Tool responses are JSON text with sorted keys, holding exactly the
fields `flowgen_core.catalog.tools` returns: names and one-line descriptions from
`task_search` ("small context per step"), full schemas only from `task_configuration`.
"""

from __future__ import annotations

import json
from typing import Any

from flowgen_core.catalog.model import Catalog, load_catalog
from flowgen_core.catalog.tools import MAX_LIMIT, task_configuration, task_search
from flowgen_core.dsl.model import Workflow
from flowgen_core.dsl.to_python import to_python
from flowgen_core.errors import InvalidInput

INTERFACE_VERSION = "flowgen-agent-1"

DEFAULT_SEARCH_LIMIT = 8  # what `task_search` returns when the model gives no `limit`

SYSTEM_PROMPT = (
    "You build Shopify Flow workflows for a merchant. Find the tasks you need with "
    "task_search (names and one-line descriptions), read the schemas of the few you will use "
    "with task_configuration, then answer with the workflow as Python in the flowgen DSL: "
    "a function decorated with its trigger, conditions as if statements, actions as calls "
    "with keyword fields. Answer with the Python only."
)

TOOLS: list[dict[str, Any]] = [
    {
        "type": "function",
        "function": {
            "name": "task_search",
            "description": (
                "Search the task catalog (triggers, conditions, actions) by what the task "
                "does. Returns the best matches: name, task_id and a one-line description."
            ),
            "parameters": {
                "type": "object",
                "properties": {
                    "query": {"type": "string", "description": "What the task should do."},
                    "limit": {
                        "type": "integer",
                        "description": f"Most matches to return (1-{MAX_LIMIT}).",
                    },
                },
                "required": ["query"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "task_configuration",
            "description": (
                "Full configuration schemas of the named tasks: type, fields (id, kind, "
                "required, doc), the scope they provide and the objects they require."
            ),
            "parameters": {
                "type": "object",
                "properties": {
                    "names": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Task names (or task ids) from task_search.",
                    }
                },
                "required": ["names"],
            },
        },
    },
]

TOOL_NAMES = tuple(t["function"]["name"] for t in TOOLS)


def user_content(request: str, existing_python: str | None) -> str:
    """The user turn: the request alone, or for an edit the current workflow then the request."""
    if existing_python is None:
        return request
    return (
        "Current workflow:\n```python\n"
        + existing_python.rstrip("\n")
        + "\n```\n\nChange it: "
        + request
    )


def first_messages(
    request: str, existing: Workflow | str | None, catalog: Catalog | None = None
) -> list[dict[str, Any]]:
    """System and user messages that open a conversation (an edit carries the existing Python).

    `existing` may be the Workflow or its Python already rendered by `to_python`; the agent
    passes the Python, the data build the Workflow, and both give the same text.
    """
    if isinstance(existing, Workflow):
        existing = to_python(existing, catalog or load_catalog())[0]
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": user_content(request, existing)},
    ]


def tool_json(value: Any) -> str:
    """The JSON text of a tool response: sorted keys, non-ASCII kept.

    These are the settings of the chat template's `tojson(sort_keys=True)`, so the stored text
    is the very text the model reads between `<tool_response>` tags.
    """
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _search_args(arguments: dict[str, Any]) -> tuple[str, int]:
    extra = sorted(set(arguments) - {"query", "limit"})
    query = arguments.get("query")
    limit = arguments.get("limit", DEFAULT_SEARCH_LIMIT)
    if extra:
        raise InvalidInput(f"task_search: unknown argument(s) {', '.join(extra)}")
    if not isinstance(query, str) or not query.strip():
        raise InvalidInput("task_search: argument 'query' must be a non-empty string")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"task_search: argument 'limit' must be an integer 1-{MAX_LIMIT}")
    return query, limit


def _configuration_args(arguments: dict[str, Any]) -> list[str]:
    extra = sorted(set(arguments) - {"names"})
    names = arguments.get("names")
    if extra:
        raise InvalidInput(f"task_configuration: unknown argument(s) {', '.join(extra)}")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise InvalidInput("task_configuration: argument 'names' must be a non-empty string list")
    return names


def run_tool(name: str, arguments: dict[str, Any], catalog: Catalog | None = None) -> str:
    """The tool response text serving returns for one call; InvalidInput on a bad call."""
    if not isinstance(arguments, dict):
        raise InvalidInput(f"{name}: arguments must be a JSON object")
    catalog = catalog or load_catalog()
    if name == "task_search":
        query, limit = _search_args(arguments)
        return tool_json(task_search(query, limit, catalog))
    if name == "task_configuration":
        return tool_json(task_configuration(_configuration_args(arguments), catalog))
    raise InvalidInput(f"unknown tool {name!r} (tools: {', '.join(TOOL_NAMES)})")

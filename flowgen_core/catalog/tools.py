"""The agent's two tools over the catalog: `task_search` and `task_configuration`.

Pure functions of the query and the catalog: the same call always gives the same, JSON-serializable
answer (plain dicts, lists, strings, numbers and booleans). The interface definition (system
prompt, tool names, JSON schemas) lives with the data package; this module is the behaviour.

`task_search(query, limit=10)` returns at most `limit` (capped at 50) matches, best first, each
exactly

    {"name": "add_order_tags",                 # the Python name the DSL calls
     "task_id": "shopify::admin::add_order_tags",
     "description": "Adds tags to an order."}  # one line

and `[]` when no word of the query matches. Small context per step: no schemas here.

`task_configuration(names)` returns one entry per requested name, in request order. A name may
be a Python name or a full task id. A known task gives

    {"name": ..., "task_id": ..., "version": "0.1",
     "type": "TRIGGER" | "CONDITION" | "ACTION" | "FOREACH" | "WAIT",
     "label": ..., "description": ..., "area": ...,
     "fields": [{"id": ..., "kind": ..., "required": true|false, "doc": ...,
                 "enum_values": [...]      # only for kind "enum"
                 "minimum": n, "maximum": n  # only when the field is bounded
                 }, ...],
     "provides": [...],   # scope names the step adds (triggers, get-data, count, sum, ...)
     "requires": [...]}   # objects an action needs in scope; any one suffices; [] = none

and an unknown one `{"name": <as given>, "error": "unknown task: <name>"}`; never an exception.

Ranking (deterministic, lexical): query and task text are lowercased, split into words, stripped
of stop words and lightly stemmed. Each query word scores the best place it occurs in a task:
label 3, Python name, app namespace and merchant keywords 2, area and description 1; a
synonym of the word (a small fixed table) scores half. The sum is scaled by the share of query
words found; then bonuses: the share of the label's words the query holds (so "tag order" puts
Add order tags before Add draft order tags), a query that contains a platform task's whole label
or a whole multi-word keyword, and the platform's own tasks over apps. Ties break by Python
name.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from flowgen_core.catalog.model import Catalog, Task, load_catalog

MAX_LIMIT = 50

_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "for",
        "on",
        "in",
        "at",
        "by",
        "with",
        "from",
        "and",
        "or",
        "is",
        "are",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "my",
        "our",
        "your",
        "me",
        "we",
        "us",
        "i",
        "you",
        "they",
        "them",
        "when",
        "whenever",
        "then",
        "please",
        "can",
        "could",
        "would",
        "should",
        "want",
        "need",
        "get",
        "gets",
        "all",
        "any",
        "some",
        "so",
        "as",
        "into",
        "onto",
        "out",
        "up",
    ]
)
# Kept words that the stop list would eat but that carry meaning in a catalog query.
_KEEP = frozenset({"get", "out", "up"})

# Merchant words and the catalog words they mean (stemmed on both sides).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "email": ("mail", "message", "notify"),
    "mail": ("email",),
    "notify": ("email", "alert", "message", "notification"),
    "notification": ("notify", "email", "alert"),
    "alert": ("notify", "email", "message"),
    "message": ("email", "notify"),
    "text": ("sms",),
    "sms": ("text",),
    "tag": ("label", "flag", "mark"),
    "label": ("tag",),
    "flag": ("tag", "risk"),
    "stock": ("inventory", "quantity"),
    "inventory": ("stock", "quantity"),
    "quantity": ("inventory", "stock"),
    "remove": ("delete",),
    "delete": ("remove",),
    "fraud": ("risk", "risky"),
    "risk": ("fraud",),
    "risky": ("risk", "fraud"),
    "hold": ("pause", "delay"),
    "pause": ("hold", "wait"),
    "delay": ("wait", "hold"),
    "wait": ("delay", "pause"),
    "webhook": ("http", "request"),
    "http": ("webhook", "api"),
    "api": ("http", "request"),
    "item": ("product", "line"),
    "customer": ("buyer", "shopper"),
    "buyer": ("customer",),
    "shopper": ("customer",),
    "client": ("customer",),
    "purchase": ("order",),
    "sale": ("order",),
    "cancel": ("void",),
    "refund": ("return",),
    "return": ("refund",),
    "ship": ("fulfill", "fulfillment"),
    "shipment": ("fulfillment",),
    "fulfill": ("ship", "fulfillment"),
    "coupon": ("discount",),
    "discount": ("coupon", "promotion"),
    "schedule": ("scheduled", "time"),
    "daily": ("schedule", "time"),
    "weekly": ("schedule", "time"),
    "hourly": ("schedule", "time"),
    "lookup": ("get", "data"),
    "find": ("get", "data"),
    "loop": ("each",),
    "spreadsheet": ("sheet",),
    "sheet": ("spreadsheet",),
    "archive": ("hide",),
    "hide": ("unpublish",),
    "unpublish": ("hide",),
}

_WEIGHT_LABEL = 3.0
_WEIGHT_NAME = 2.0
_WEIGHT_KEYWORD = 2.0
_WEIGHT_AREA = 1.0
_WEIGHT_DESCRIPTION = 1.0
_SYNONYM_FACTOR = 0.5
_PHRASE_BONUS = 2.0
_LABEL_COVERAGE = 1.0
_PLATFORM_BONUS = 0.5


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    # tagged -> tagg -> tag, cancelled -> cancell -> cancel
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeious":
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


_STEMMED_SYNONYMS = {
    _stem(word): tuple(dict.fromkeys(_stem(s) for s in synonyms))
    for word, synonyms in _SYNONYMS.items()
}


def _words(text: str) -> list[str]:
    """Lowercased, stop-word-free, stemmed words of a text (order kept)."""
    out = []
    for raw in re.findall(r"[a-z0-9]+", text.lower()):
        if raw in _STOP and raw not in _KEEP:
            continue
        out.append(_stem(raw))
    return out


def _phrase(text: str) -> str:
    return " ".join(_words(text))


class _Indexed:
    """One task's searchable text, prepared once."""

    def __init__(self, task: Task) -> None:
        self.task = task
        namespace = task.id.split("::")[0]
        weights: dict[str, float] = {}
        sources = [
            (_words(task.description), _WEIGHT_DESCRIPTION),
            (_words(task.area.replace("_", " ")), _WEIGHT_AREA),
            ([w for k in task.keywords for w in _words(k)], _WEIGHT_KEYWORD),
            (_words(task.python_name.replace("_", " ")), _WEIGHT_NAME),
            ([] if namespace == "shopify" else _words(namespace.replace("_", " ")), _WEIGHT_NAME),
            (_words(task.label), _WEIGHT_LABEL),
        ]
        for words, weight in sources:
            for w in words:
                weights[w] = max(weights.get(w, 0.0), weight)
        self.weights = weights
        self.label_words = frozenset(_words(task.label))
        # Apps' labels are short ("Send email", "Add row"): a query containing one says little.
        self.label_phrase = _phrase(task.label) if namespace == "shopify" else ""
        self.keyword_phrases = tuple(p for p in (_phrase(k) for k in task.keywords) if " " in p)
        self.platform = namespace == "shopify"

    def score(self, terms: list[str], query_phrase: str) -> float:
        total = 0.0
        found = 0
        for term in terms:
            best = self.weights.get(term, 0.0)
            for syn in _STEMMED_SYNONYMS.get(term, ()):
                best = max(best, _SYNONYM_FACTOR * self.weights.get(syn, 0.0))
            if best > 0:
                found += 1
            total += best
        if found == 0:
            return 0.0
        total *= 0.5 + 0.5 * found / len(terms)
        if self.label_words:
            share = len(self.label_words.intersection(terms)) / len(self.label_words)
            total += _LABEL_COVERAGE * share
        padded = f" {query_phrase} "
        if self.label_phrase and f" {self.label_phrase} " in padded:
            total += _PHRASE_BONUS
        if any(f" {p} " in padded for p in self.keyword_phrases):
            total += _PHRASE_BONUS
        if self.platform:
            total += _PLATFORM_BONUS
        return total


@cache
def _index(catalog: Catalog) -> tuple[_Indexed, ...]:
    return tuple(_Indexed(t) for t in catalog.newest)


def task_search(query: str, limit: int = 10, catalog: Catalog | None = None) -> list[dict]:
    """Names and one-line descriptions of the tasks best matching a merchant's query."""
    catalog = catalog or load_catalog()
    limit = max(0, min(int(limit), MAX_LIMIT))
    terms = list(dict.fromkeys(_words(query)))
    if not terms or limit == 0:
        return []
    query_phrase = " ".join(_words(query))
    scored = []
    for item in _index(catalog):
        s = item.score(terms, query_phrase)
        if s > 0:
            scored.append((-round(s, 6), item.task.python_name, item.task))
    scored.sort(key=lambda x: (x[0], x[1]))
    return [
        {"name": t.python_name, "task_id": t.id, "description": t.description}
        for _, _, t in scored[:limit]
    ]


def _field_schema(task: Task) -> list[dict[str, Any]]:
    out = []
    for f in task.fields:
        entry: dict[str, Any] = {"id": f.id, "kind": f.kind, "required": f.required, "doc": f.doc}
        if f.kind == "enum":
            entry["enum_values"] = list(f.enum_values)
        if f.minimum is not None:
            entry["minimum"] = f.minimum
        if f.maximum is not None:
            entry["maximum"] = f.maximum
        out.append(entry)
    return out


def task_schema(task: Task) -> dict[str, Any]:
    """The full schema of one task, as task_configuration returns it."""
    return {
        "name": task.python_name,
        "task_id": task.id,
        "version": task.version,
        "type": task.type,
        "label": task.label,
        "description": task.description,
        "area": task.area,
        "fields": _field_schema(task),
        "provides": list(task.provides),
        "requires": list(task.requires),
    }


def task_configuration(names: list[str], catalog: Catalog | None = None) -> list[dict]:
    """Full schemas of the named tasks (Python names or task ids), in request order."""
    catalog = catalog or load_catalog()
    out: list[dict] = []
    for name in names:
        key = str(name)
        task = catalog.by_python_name(key) or catalog.get(key)
        if task is None:
            out.append({"name": key, "error": f"unknown task: {key}"})
        else:
            out.append(task_schema(task))
    return out

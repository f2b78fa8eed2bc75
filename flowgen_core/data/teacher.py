"""The teacher: writes the request a merchant would have typed to get a given workflow.

Cold start: real workflows are worked backwards into (request, workflow) pairs.
The teacher sees the workflow as DSL Python (what the agent will answer with) and returns one
request per program. Two implementations share the `Teacher` protocol:

- `LLMTeacher`: a stronger model behind an OpenAI-compatible endpoint (flowgen_core.llm:
  retries with backoff, a concurrency limit and an on-disk answer cache, so a rebuild of the
  same week costs nothing).
- `OfflineTeacher`: the default when no endpoint is configured. A deterministic STAND-IN, not
  a language model: it reads the program with `ast` (never executes it) and describes it from
  the catalog's labels and merchant keywords, with several templates per construct (trigger,
  condition, action, else branch, wait, loop, schedule), synonyms, casual openers and the
  details a merchant leaves out (titles, email bodies, ids, headers). Requests vary by the seed
  key, so two workflows of the same kind read differently, and the same key always gives the
  same words. Its requests are narrower than real merchants'; real traffic fills that gap.
"""

from __future__ import annotations

import ast
import hashlib
import random
import re
from collections.abc import Sequence
from typing import Protocol

from flowgen_core.catalog.model import Catalog, Task, load_catalog
from flowgen_core.llm import OpenAIChatClient


class Teacher(Protocol):
    """Writes one merchant request per workflow program."""

    @property
    def name(self) -> str:
        """Identifies the teacher in the build report and the dataset manifest."""
        ...

    def requests(self, programs: Sequence[str], keys: Sequence[str]) -> list[str]:
        """One request per program, in order; `keys` (e.g. workflow ids) seed any variation."""
        ...


# -- the LLM teacher ---------------------------------------------------------------------------
TEACHER_PROMPT = (
    "You write the request a Shopify merchant typed into a chat box to get a workflow built. "
    "You are shown the workflow as Python. Reply with the merchant's request only: one or two "
    "sentences in plain, casual words, no code, no task names. Keep the values that matter "
    "(thresholds, tags, countries, schedules, recipients) and leave out what a merchant would "
    "not say (titles, ids, email bodies, headers)."
)


def _clean(answer: str) -> str:
    """The request in an answer: first paragraph, outer quotes and whitespace removed."""
    text = answer.strip().split("\n\n")[0]
    text = " ".join(text.split())
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`":
        text = text[1:-1].strip()
    return text


class LLMTeacher:
    """Requests written by a chat model; cached on disk by the client (rerun costs nothing)."""

    def __init__(self, client: OpenAIChatClient, temperature: float = 0.0) -> None:
        self.client = client
        self.temperature = temperature

    @property
    def name(self) -> str:
        """`llm:<model>`."""
        return f"llm:{self.client.config.model}"

    def requests(self, programs: Sequence[str], keys: Sequence[str]) -> list[str]:
        """One request per program; empty when the model answered nothing usable."""
        conversations = [
            [{"role": "system", "content": TEACHER_PROMPT}, {"role": "user", "content": p}]
            for p in programs
        ]
        answers = self.client.complete_many(conversations, temperature=self.temperature)
        return [_clean(a) for a in answers]


# -- the offline stand-in ----------------------------------------------------------------------
_OPENERS = ("", "", "", "hey, ", "hi! ", "ok so ")
_ASKS = ("", "", "please ", "can you ", "I want to ", "I'd like to ", "help me ")  # before a verb
_CLOSERS = ("", "", "", " thanks", " thx", " please", "!")
_OPS = {
    ast.Gt: ("is over", "is above", "is more than", "over", ">"),
    ast.GtE: ("is at least", ">=", "is no less than", "of at least"),
    ast.Lt: ("is under", "is below", "is less than", "<", "under"),
    ast.LtE: ("is at most", "is no more than", "<="),
    ast.Eq: ("is", "is", "equals", "="),
    ast.NotEq: ("is not", "isn't", "is anything but"),
    ast.In: ("is one of", "is in"),
    ast.NotIn: ("is not one of",),
}
_METHODS = {"startswith": "starts with", "endswith": "ends with", "contains": "contains"}
_GENERIC_PATH = {"amount", "shopmoney", "presentmentmoney", "id", "value", "edges", "node"}
_ACTION_VERBS = {"add": ("add", "put"), "remove": ("remove", "take off"), "send": ("send",)}
_WAIT_UNITS = {"D": "day", "H": "hour", "M": "minute", "W": "week"}


def _words(name: str) -> str:
    """camelCase / snake_case -> lowercase words ("totalPriceSet" -> "total price")."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").lower()
    parts = [w for w in spaced.split() if w not in ("set", "v2", "item", "foreachitem")]
    return " ".join(parts)


def _path(node: ast.expr) -> list[str]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return parts[::-1]


def _subject(node: ast.expr) -> str:
    """What a condition talks about: the last meaningful segment of an attribute path."""
    parts = [p for p in _path(node) if p.lower() not in _GENERIC_PATH]
    if not parts:
        return "value"
    last = _words(parts[-1])
    if len(parts) >= 3 and parts[-2] not in ("order", "customer", "product"):
        owner = _words(parts[-2])
        if owner and owner not in last and len(owner.split()) == 1:
            return f"{owner} {last}"
    return last or "value"


class _Describer:
    """Turns one program into a request; every choice comes from one seeded RNG."""

    def __init__(self, catalog: Catalog, rng: random.Random) -> None:
        self.catalog = catalog
        self.rng = rng

    def pick(self, options: Sequence[str]) -> str:
        return options[self.rng.randrange(len(options))]

    # values ----------------------------------------------------------------------------------
    def value(self, node: ast.expr) -> str:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            inner = self.value(node.args[0])
            if node.func.id == "Money":
                return self.pick((f"${inner}", f"{inner} dollars", inner, f"${inner}"))
            return inner
        if isinstance(node, ast.Constant):
            return str(node.value)
        if isinstance(node, ast.Attribute):  # an enum member: OrderRiskLevel.HIGH -> high
            return node.attr.lower().replace("_", " ")
        if isinstance(node, (ast.List, ast.Tuple)):
            return self.join([self.quoted(e) for e in node.elts])
        return _subject(node)

    def quoted(self, node: ast.expr) -> str:
        text = self.value(node)
        return self.pick((f"'{text}'", text, f'"{text}"'))

    def join(self, items: list[str], word: str = "and") -> str:
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + f" {word} " + items[-1]

    # conditions ------------------------------------------------------------------------------
    def condition(self, node: ast.expr) -> str:
        if isinstance(node, ast.BoolOp):
            word = "and" if isinstance(node.op, ast.And) else "or"
            return f" {word} ".join(self.condition(v) for v in node.values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return f"not ({self.condition(node.operand)})"
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            op = self.pick(_OPS.get(type(node.ops[0]), ("is",)))
            return f"{self.pick(('the ', '', 'its '))}{_subject(node.left)} {op} {self.value(node.comparators[0])}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            verb = _METHODS.get(node.func.attr, _words(node.func.attr))
            arg = self.value(node.args[0]) if node.args else ""
            return f"the {_subject(node.func.value)} {verb} {arg}".rstrip()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ("any", "all") and node.args:
                gen = node.args[0]
                if isinstance(gen, ast.GeneratorExp) and gen.generators:
                    what = _words(_path(gen.generators[0].iter)[-1]).rstrip("s") or "item"
                    det = "any" if node.func.id == "any" else "every"
                    inner = self.condition(gen.elt).removeprefix("the ").removeprefix("its ")
                    return f"{det} {what} has {inner}"
            if node.func.id == "is_empty" and node.args:
                return f"the {_subject(node.args[0])} is empty"
        return "it matches"

    # steps -----------------------------------------------------------------------------------
    def task_phrase(self, task: Task, call: ast.Call) -> str:
        label = task.label.lower()
        options = [label, label]
        verb, _, rest = label.partition(" ")
        if task.keywords:
            options.append(f"{verb} {rest}" if verb in _ACTION_VERBS else label)
        if task.python_name.endswith("_tags") and verb in ("add", "remove"):
            noun = rest.removesuffix(" tags")
            options += [f"tag the {noun}" if verb == "add" else f"untag the {noun}", f"{verb} tag"]
        if "email" in label:
            options += ["email me", "send an email", "send our team an email", "notify staff"]
        phrase = self.pick(options)
        details = []
        for kw in call.keywords:
            if kw.arg in ("tags", "collection_ids", "to", "url", "method", "namespace", "key"):
                if kw.arg == "collection_ids" and self.rng.random() < 0.6:
                    continue  # a merchant names the collection, not its id
                if kw.arg in ("to", "url", "method") and self.rng.random() < 0.4:
                    continue
                value = self.value(kw.value)
                lead = {"tags": self.pick(("", "with ", "as ")), "to": "to ", "url": "to "}
                details.append(lead.get(kw.arg, f"{kw.arg} ") + value)
        return " ".join([phrase, *details]).strip()

    def block(self, body: list[ast.stmt]) -> list[str]:
        out: list[str] = []
        for st in body:
            if isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant):
                continue  # the title docstring: merchants do not name their workflows
            if isinstance(st, ast.If):
                then = self.join(self.block(st.body))
                cond = self.condition(st.test)
                lead = self.pick(("if", "when", "whenever", "if", "in case"))
                text = (
                    f"{lead} {cond}, {then}"
                    if self.rng.random() < 0.6
                    else f"{then} {self.pick(('if', 'when', 'only if'))} {cond}"
                )
                if st.orelse:
                    other = self.join(self.block(st.orelse))
                    text += f", {self.pick(('otherwise', 'else', 'if not'))} {other}"
                out.append(text)
            elif isinstance(st, ast.For):
                what = _words(_path(st.iter)[-1]) if _path(st.iter) else "item"
                inner = self.join(self.block(st.body))
                out.append(
                    f"{self.pick(('for each', 'for every', 'loop over each'))} {what}, {inner}"
                )
            elif isinstance(st, ast.With):
                out.append(self.join(self.block(st.body)))
            else:
                call = st.value if isinstance(st, (ast.Expr, ast.Assign)) else None
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
                    out.extend(self.call(call))
        return [o for o in out if o]

    def call(self, call: ast.Call) -> list[str]:
        assert isinstance(call.func, ast.Name)
        if call.func.id == "wait":
            dur = next((self.value(k.value) for k in call.keywords), "")
            m = re.fullmatch(r"P(?:T)?(\d+)([DHMW])", dur)
            if m:
                n, unit = int(m.group(1)), _WAIT_UNITS[m.group(2)]
                return [f"wait {n} {unit}{'s' if n != 1 else ''} then"]
            return ["wait a bit then"]
        task = self.catalog.by_python_name(call.func.id)
        if task is None:
            return []
        if task.type == "ACTION" and task.python_name in ("count", "sum"):
            return []  # a detail the email that uses it implies
        if task.python_name.startswith("get_") and task.python_name.endswith("_data"):
            query = next((self.value(k.value) for k in call.keywords if k.arg == "query"), "")
            noun = task.label.lower().removeprefix("get ").removesuffix(" data")
            return [f"{self.pick(('find', 'look up', 'get'))} {noun}s matching {query}".strip()]
        return [self.task_phrase(task, call)]

    def trigger(self, fn: ast.FunctionDef) -> str:
        deco = fn.decorator_list[0] if fn.decorator_list else None
        call = deco if isinstance(deco, ast.Call) else None
        target = call.func if call is not None else deco
        name = target.id if isinstance(target, ast.Name) else ""
        task = self.catalog.by_python_name(name)
        if task is None:
            return ""
        if name == "scheduled_time" and call is not None:
            rule = " ".join(self.value(k.value) for k in call.keywords)
            freq = re.search(r"FREQ=(\w+)", rule)
            hour = re.search(r"T(\d\d)\d{4}", rule)
            day = re.search(r"BYDAY=(\w\w)", rule)
            every = {
                "DAILY": ("every day", "daily", "each morning"),
                "WEEKLY": ("every week", "weekly"),
                "HOURLY": ("every hour", "hourly"),
                "MONTHLY": ("every month", "monthly"),
            }
            text = self.pick(every.get(freq.group(1) if freq else "", ("on a schedule",)))
            if day and self.rng.random() < 0.7:
                days = {
                    "MO": "monday",
                    "TU": "tuesday",
                    "WE": "wednesday",
                    "TH": "thursday",
                    "FR": "friday",
                    "SA": "saturday",
                    "SU": "sunday",
                }
                text += f" on {days.get(day.group(1), day.group(1))}s"
            if hour and self.rng.random() < 0.6:
                text += f" at {int(hour.group(1))}:00"
            return text
        label = task.label.lower()
        options = [f"when {label}", f"whenever {label}", f"on {label}", f"after {label}"]
        options += [f"when {k}" for k in task.keywords[:3]]
        return self.pick(options)

    def request(self, program: str) -> str:
        tree = ast.parse(program)
        fn = next((n for n in tree.body if isinstance(n, ast.FunctionDef)), None)
        if fn is None:
            return ""
        trigger = self.trigger(fn)
        body = self.join(self.block(fn.body))
        if not body:
            body = self.pick(("do something", "run a workflow"))
        shape = self.rng.randrange(3)
        if not trigger:
            text = body
        elif shape == 0:
            text = f"{trigger}, {body}"
        elif shape == 1:
            text = f"{body} {trigger}"
        else:
            text = f"{trigger} {body}"
        verb_first = text.split(" ", 1)[0] not in ("if", "when", "whenever", "in", "for", "wait")
        opener = self.pick(_ASKS if verb_first and text.startswith(body) else _OPENERS)
        text = opener + text + self.pick(_CLOSERS)
        text = " ".join(text.replace(" ,", ",").split())
        if self.rng.random() < 0.5:
            text = text[:1].upper() + text[1:]
        return text


class OfflineTeacher:
    """Deterministic stand-in for the LLM teacher (see the module docstring for its limits)."""

    name = "offline-v1"

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or load_catalog()

    def requests(self, programs: Sequence[str], keys: Sequence[str]) -> list[str]:
        """One request per program; the key seeds the phrasing."""
        out = []
        for program, key in zip(programs, keys, strict=True):
            seed = int.from_bytes(hashlib.sha256(f"{self.name}:{key}".encode()).digest()[:8])
            try:
                out.append(_Describer(self.catalog, random.Random(seed)).request(program))
            except SyntaxError:
                out.append("")
        return out

"""Workflow patterns merchants build, for the demo population: each one makes a real
platform-format workflow from parameters, and the requests a merchant would type for it.

The patterns are data, `patterns.toml` next to this file (its header describes the format):
each program is written in the Python DSL with `${param}` slots and goes through the
transpiler (`from_python`), the one way a workflow is written in this project. This module
reads the file once at import, checks it (an error names the file and the field), draws
parameters and fills the slots. Popularity is skewed on purpose (`weight`); `kinds` marks what
makes a request hard for the agent: `email` (a quarter of field failures) and `complex`
(conditions with several clauses, lists, waits). `tests/store/test_patterns.py` checks every
pattern's workflows against `load_catalog()`.
"""

from __future__ import annotations

import json
import random
import re
import string
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from flowgen_core.catalog.model import load_catalog
from flowgen_core.dsl.flowfile import dump_payload
from flowgen_core.dsl.from_python import from_python
from flowgen_core.errors import FlowgenError, InvalidInput
from flowgen_core.store.flowbuild import compact, rng_uuid

__all__ = ["compact"]  # seed.py writes payloads with it

PATTERNS_FILE = "patterns.toml"
_DATA = tomllib.loads(
    resources.files("flowgen_core.store").joinpath(PATTERNS_FILE).read_text("utf-8")
)


def _strings(key: str) -> tuple[str, ...]:
    value = _DATA.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{PATTERNS_FILE}: {key}: expected a non-empty list of strings")
    return tuple(value)


CATEGORIES = _strings("categories")
FIRST_NAMES = _strings("first_names")
LAST_NAMES = _strings("last_names")
COUNTRIES: tuple[tuple[str, str], ...] = tuple(
    (code, name) for code, name in _DATA.get("countries", [])
)
ORDER_TAGS = _strings("order_tags")
CUSTOMER_TAGS = _strings("customer_tags")
DOMAINS = _strings("email_domains")
MONEY_AMOUNTS = _strings("money_amounts")


@dataclass(frozen=True)
class Persona:
    """The people behind a shop: who gets internal emails, who is on the phone."""

    owner: str  # "Maria Lopez"
    email: str  # the owner's address
    staff_email: str  # a second address (ops, support)
    phone: str  # as the merchant writes it
    store: str  # store handle, e.g. "lopez-goods"


def make_persona(rng: random.Random) -> Persona:
    """A shop owner with an address, a colleague's address and a phone number."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    store = f"{last.lower()}-{rng.choice(('goods', 'supply', 'studio', 'co', 'shop', 'home'))}"
    email = rng.choice(
        (
            f"{first.lower()}.{last.lower()}@{rng.choice(DOMAINS)}",
            f"{first.lower()}@{store}.com",
        )
    )
    staff = rng.choice(("ops", "orders", "support", "warehouse", "team"))
    area = rng.randint(201, 989)
    line = rng.randint(1000, 9999)
    phone = rng.choice(
        (
            f"+1 {area} 555 {line}",
            f"({area}) 555-{line}",
            f"+44 7700 900{rng.randint(100, 999)}",
            f"{area}-555-{line}",
        )
    )
    return Persona(f"{first} {last}", email, f"{staff}@{store}.com", phone, store)


def _token(rng: random.Random) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    body = "".join(rng.choice(alphabet) for _ in range(32))
    return rng.choice((f"shpat_{body}", f"sk_live_{body[:24]}", f"erp-{body}"))


def _tags(rng: random.Random, pool: tuple[str, ...]) -> list[str]:
    return rng.sample(pool, rng.choice((1, 1, 1, 2)))


def _country(rng: random.Random) -> dict[str, Any]:
    code, name = rng.choice(COUNTRIES)
    return {"country": code, "country_name": name}


# The named draws a pattern's params may use: functions of (rng, persona). A dict result adds
# several parameters at once (country adds country_name, which the requests use).
DRAWS: dict[str, Callable[[random.Random, Persona], Any]] = {
    "money": lambda r, _: r.choice(MONEY_AMOUNTS),
    "order_tags": lambda r, _: _tags(r, ORDER_TAGS),
    "customer_tags": lambda r, _: _tags(r, CUSTOMER_TAGS),
    "email": lambda r, s: r.choice((s.email, s.email, s.staff_email)),
    "owner": lambda _, s: s.owner,
    "phone": lambda _, s: s.phone,
    "country": lambda r, _: _country(r),
    "token": lambda r, _: _token(r),
    "collection_gids": lambda r, _: [f"gid://shopify/Collection/{r.randint(10**8, 10**9)}"],
    "erp_url": lambda _, s: f"https://erp.{s.store}.com/api/orders",
}
KINDS = ("email", "complex")


@dataclass(frozen=True)
class ParamSpec:
    """How one parameter is drawn: a named draw, a choice among values, or a constant."""

    name: str
    draw: str | None = None
    choice: tuple[Any, ...] = ()
    const: Any = None

    def value(self, rng: random.Random, persona: Persona) -> Any:
        """This parameter's value for one instance."""
        if self.draw is not None:
            return DRAWS[self.draw](rng, persona)
        if self.choice:
            return rng.choice(self.choice)
        return self.const


@dataclass(frozen=True)
class Pattern:
    """A kind of workflow merchants build, with its parameters and its phrasings."""

    descriptor: str  # e.g. tag_high_value_orders (the workflow descriptor)
    category: str  # one of CATEGORIES
    weight: float  # relative popularity
    kinds: frozenset[str]  # subset of KINDS
    specs: tuple[ParamSpec, ...]  # drawn in this order (the order of the data file)
    program: string.Template  # the workflow as DSL text with ${param} slots
    title: str  # workflow name and the merchant's name for it
    phrasings: tuple[str, ...]  # str.format templates over `slots(params)`
    vague: tuple[str, ...]  # phrasings that leave details out

    def params(self, rng: random.Random, persona: Persona) -> dict[str, Any]:
        """Parameters drawn for one instance."""
        out: dict[str, Any] = {}
        for spec in self.specs:
            value = spec.value(rng, persona)
            if isinstance(value, dict):
                out.update(value)
            else:
                out[spec.name] = value
        return out


def _spec(name: str, raw: Any, where: str) -> ParamSpec:
    if isinstance(raw, str):
        if raw not in DRAWS:
            raise InvalidInput(f"{where}.{name}: unknown draw {raw!r} (one of {sorted(DRAWS)})")
        return ParamSpec(name, draw=raw)
    if isinstance(raw, dict) and list(raw) == ["choice"] and raw["choice"]:
        return ParamSpec(name, choice=tuple(raw["choice"]))
    if isinstance(raw, dict) and list(raw) == ["const"]:
        return ParamSpec(name, const=raw["const"])
    raise InvalidInput(
        f"{where}.{name}: expected a draw name, {{choice = [...]}} or {{const = ...}}"
    )


_PATTERN_KEYS = ("descriptor", "category", "weight", "kinds", "title", "params", "phrasings",
                 "vague", "program")  # fmt: skip


def _pattern(n: int, raw: Any) -> Pattern:
    where = f"{PATTERNS_FILE}: patterns[{n}]"
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: expected a table")
    for key in raw:
        if key not in _PATTERN_KEYS:
            raise InvalidInput(
                f"{where}.{key}: unknown key (expected one of {list(_PATTERN_KEYS)})"
            )
    for key in _PATTERN_KEYS:
        if key not in raw:
            raise InvalidInput(f"{where}.{key}: missing")
    where = f"{PATTERNS_FILE}: patterns[{n}] ({raw['descriptor']})"
    if raw["category"] not in CATEGORIES:
        raise InvalidInput(f"{where}.category: {raw['category']!r} is not in categories")
    if not isinstance(raw["weight"], int | float) or raw["weight"] <= 0:
        raise InvalidInput(f"{where}.weight: expected a positive number")
    if not set(raw["kinds"]) <= set(KINDS):
        raise InvalidInput(f"{where}.kinds: {raw['kinds']} (allowed: {list(KINDS)})")
    for key in ("phrasings", "vague"):
        if not raw[key] or not all(isinstance(t, str) for t in raw[key]):
            raise InvalidInput(f"{where}.{key}: expected a non-empty list of strings")
    if not isinstance(raw["params"], dict):
        raise InvalidInput(f"{where}.params: expected a table")
    specs = tuple(_spec(k, v, f"{where}.params") for k, v in raw["params"].items())
    program = string.Template(raw["program"])
    if not program.is_valid():
        raise InvalidInput(f"{where}.program: a $ that is not a ${{slot}} (write $$)")
    known = {s.name for s in specs} | {"country_name", "first_name", "hh"}
    unknown = set(program.get_identifiers()) - known
    if unknown:
        raise InvalidInput(f"{where}.program: slots {sorted(unknown)} are not params")
    return Pattern(
        descriptor=raw["descriptor"],
        category=raw["category"],
        weight=float(raw["weight"]),
        kinds=frozenset(raw["kinds"]),
        specs=specs,
        program=program,
        title=raw["title"],
        phrasings=tuple(raw["phrasings"]),
        vague=tuple(raw["vague"]),
    )


PATTERNS: tuple[Pattern, ...] = tuple(_pattern(n, raw) for n, raw in enumerate(_DATA["patterns"]))
BY_DESCRIPTOR = {p.descriptor: p for p in PATTERNS}
if len(BY_DESCRIPTOR) != len(PATTERNS):
    raise InvalidInput(f"{PATTERNS_FILE}: patterns: a descriptor is used twice")


def pick_pattern(rng: random.Random) -> Pattern:
    """A pattern drawn by popularity."""
    return rng.choices(PATTERNS, weights=[p.weight for p in PATTERNS])[0]


def _slot_text(name: str, value: Any, pattern: Pattern) -> str:
    if isinstance(value, bool):
        return json.dumps(value)  # inside JSON text (the admin API blob)
    if isinstance(value, list):
        return repr(value)  # a Python list literal in the program
    text = str(value)
    if any(c in text for c in "'\"\\\n"):  # it goes inside a quoted string of the program
        raise InvalidInput(f"{PATTERNS_FILE}: {pattern.descriptor}: {name}={text!r} needs quoting")
    return text


def program(pattern: Pattern, params: dict[str, Any]) -> str:
    """The pattern's DSL program for these parameters."""
    slots = {k: _slot_text(k, v, pattern) for k, v in params.items()}
    if "name" in params:
        slots["first_name"] = params["name"].split()[0]
    if "hour" in params:
        slots["hh"] = f"{params['hour']:02d}"
    try:
        return pattern.program.substitute(slots)
    except KeyError as exc:
        raise InvalidInput(f"{PATTERNS_FILE}: {pattern.descriptor}: no value for {exc}") from None


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def instantiate(pattern: Pattern, params: dict[str, Any], rng: random.Random) -> str:
    """The workflow payload text for a pattern and its parameters (fresh ids drawn from rng)."""
    try:
        wf = from_python(program(pattern, params), load_catalog())
    except FlowgenError as exc:
        raise InvalidInput(f"{PATTERNS_FILE}: {pattern.descriptor}.program: {exc}") from None
    payload = dump_payload(wf)
    # The transpiler's ids are stable (uuid5 of the program); a merchant's workflow gets random
    # ones, as the platform's editor gives it, so two shops never share a step id. They are
    # drawn once per id, step by step (a step's condition nodes, then the step), the order the
    # demo population has always drawn them in, so the rest of a shop's draws stay where they were.
    fresh: dict[str, str] = {}
    for step in json.loads(payload)["root"]["steps"]:
        for value in step["config_field_values"]:
            for old_id in _UUID.findall(str(value["value"])):
                if old_id not in fresh:
                    fresh[old_id] = rng_uuid(rng)
        if step["step_id"] not in fresh:
            fresh[step["step_id"]] = rng_uuid(rng)
    return _UUID.sub(lambda m: fresh.get(m.group(0), m.group(0)), payload)


def slots(params: dict[str, Any]) -> dict[str, str]:
    """The words a request uses for the parameters."""
    out = {k: str(v) for k, v in params.items()}
    if "threshold" in params:
        out["money"] = f"${params['threshold']}"
        out["n"] = str(params["threshold"])
    if "tags" in params:
        out["tags"] = " and ".join(params["tags"])
    if "country" in params:
        out["country"] = params["country_name"]
    if "collections" in params:
        out["collection"] = params["collections"][0].rsplit("/", 1)[1]
    if "risk" in params:
        out["risk"] = params["risk"].lower()
    if "restock" in params:
        out["restock_text"] = " and restock the items" if params["restock"] else ""
    return out


# -- edits: what merchants ask to change, and what the agent gets wrong ---------------------
@dataclass(frozen=True)
class Edit:
    """A change to a workflow's parameters, with the words a merchant uses for it."""

    kind: str  # threshold | add_tag | country | email
    params: dict[str, Any]
    phrase: str


EDITABLE = ("threshold", "tags", "country", "email")


def editable(params: dict[str, Any]) -> bool:
    """True when a workflow with these parameters has something a merchant may ask to change."""
    return any(k in params for k in EDITABLE)


def propose_edit(params: dict[str, Any], rng: random.Random, persona: Persona) -> Edit | None:
    """A change a merchant might ask for on a workflow with these parameters, or None."""
    options = []
    if "threshold" in params:
        options.append("threshold")
    if "tags" in params:
        options.append("add_tag")
    if "country" in params:
        options.append("country")
    if "email" in params:
        options.append("email")
    if not options:
        return None
    kind = rng.choice(options)
    new = dict(params)
    if kind == "threshold":
        old = int(params["threshold"])
        value = str(max(1, old + rng.choice((-1, 1)) * rng.choice((1, 2, 5)) * max(1, old // 10)))
        new["threshold"] = value
        phrase = rng.choice(
            (
                f"change the limit from {old} to {value}",
                f"can you make it {value} instead of {old}",
                f"bump the threshold to {value}",
                f"use {value} as the amount",
            )
        )
    elif kind == "add_tag":
        pool = [t for t in ORDER_TAGS + CUSTOMER_TAGS if t not in params["tags"]]
        tag = rng.choice(pool)
        new["tags"] = [*params["tags"], tag]
        phrase = rng.choice((f"also add the tag {tag}", f"add {tag} as a second tag"))
    elif kind == "country":
        code, name = rng.choice([c for c in COUNTRIES if c[0] != params["country"]])
        new["country"], new["country_name"] = code, name
        phrase = rng.choice((f"switch it to {name}", f"make it {name} instead"))
    else:
        other = persona.staff_email if params["email"] != persona.staff_email else persona.email
        new["email"] = other
        phrase = rng.choice(
            (f"send the email to {other} instead", f"change the recipient to {other}")
        )
    return Edit(kind, new, phrase)

"""Scrub personal data and secrets before anything leaves the store layer.

Emails, phone numbers, personal names and secret-looking tokens become placeholders such as
`<EMAIL_1>`. Within one shop (one `Scrubber`) the same value always gets the same
placeholder, so a request and the workflow it produced still agree after scrubbing.
Workflow definitions are scrubbed inside their JSON: string values change, structure,
key order and compact formatting stay as they were.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import Any

from flowgen_core.store.quarantine import split_prefix

KINDS = ("email", "phone", "name", "secret")

EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"
)
# A phone number: 9 to 15 digits with the usual separators, not part of a longer token
# (uuids, gids and ISO dates are shaped differently and are left alone).
PHONE = re.compile(
    r"(?<![\w/:.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\d[\d .-]{6,16}\d(?![\w-])"
)
SECRET = re.compile(
    r"(?:(?<=Bearer )[A-Za-z0-9._~+/=-]{12,})"
    r"|\b(?:shpat|shpss|shpca|shppa|sk_live|sk_test|pk_live|rk_live|ghp|gho|xoxb|xoxp)_[A-Za-z0-9_]{12,}"
    r"|\bsk-[A-Za-z0-9_-]{16,}"
    r"|\bAKIA[0-9A-Z]{16}\b"
    r"|\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{28,}\b"
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SECRET_ASSIGNMENT = re.compile(
    r"(?i)\b(?:api[ _-]?key|token|secret|password|passwd)\b(?:\s+is)?\s*[:=]?\s*(?P<val>[A-Za-z0-9._~+/=-]{8,})"
)

FIRST_NAMES = frozenset(
    [
        "maria",
        "james",
        "aisha",
        "chen",
        "sofia",
        "lukas",
        "priya",
        "mateo",
        "emma",
        "noah",
        "olivia",
        "liam",
        "yuki",
        "fatima",
        "lars",
        "chloe",
        "diego",
        "hannah",
        "omar",
        "grace",
        "ines",
        "kofi",
        "anna",
        "ravi",
        "zoe",
        "jonas",
        "elena",
        "marco",
        "sara",
        "tom",
        "john",
        "michael",
        "david",
        "sarah",
        "laura",
        "peter",
        "paul",
        "lisa",
        "julia",
        "daniel",
        "anne",
        "robert",
        "mary",
        "linda",
        "susan",
        "karen",
        "jennifer",
        "jessica",
        "emily",
        "ben",
        "alex",
        "sam",
        "lucas",
        "leon",
        "mia",
        "ella",
        "lena",
        "nina",
        "eva",
        "carlos",
        "juan",
        "pedro",
        "ana",
        "lucia",
        "ahmed",
        "ali",
        "mohammed",
        "wei",
        "li",
        "hiroshi",
        "kenji",
        "sakura",
        "olga",
        "ivan",
        "igor",
        "fiona",
        "kate",
        "katie",
        "rachel",
        "rebecca",
        "simon",
        "oliver",
        "george",
        "harry",
        "jack",
        "charlie",
        "sophie",
        "amelia",
    ]
)
LAST_NAMES = frozenset(
    [
        "lopez",
        "smith",
        "khan",
        "wang",
        "rossi",
        "muller",
        "patel",
        "garcia",
        "brown",
        "nguyen",
        "johansson",
        "dubois",
        "okafor",
        "tanaka",
        "silva",
        "kowalski",
        "murphy",
        "cohen",
        "johnson",
        "williams",
        "jones",
        "miller",
        "davis",
        "martin",
        "lee",
        "kim",
        "schmidt",
        "fischer",
        "weber",
        "meyer",
        "wagner",
        "becker",
        "hoffmann",
        "novak",
        "martinez",
        "rodriguez",
        "hernandez",
    ]
)
# Capitalized words that follow a cue but are not people.
NOT_NAMES = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "canada",
        "germany",
        "france",
        "japan",
        "brazil",
        "mexico",
        "ireland",
        "sweden",
        "australia",
        "uk",
        "us",
        "usa",
        "europe",
        "shopify",
        "slack",
        "flow",
        "vip",
        "erp",
        "the",
        "all",
        "any",
        "every",
        "each",
        "new",
        "high",
        "low",
        "medium",
        "order",
        "orders",
        "customer",
        "customers",
        "product",
        "products",
        "black",
        "cyber",
        "christmas",
        "summer",
        "winter",
        "spring",
        "fall",
        "admin",
        "api",
        "gmail",
        "google",
        "sheets",
        "klaviyo",
        "netherlands",
        "amazon",
        "ebay",
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "it",
        "this",
        "that",
        "my",
        "our",
        "your",
    ]
)
_NAME_CUES = r"(?:for|customer|client|to|named|name|from|cc|dear|hi|hello|thanks|contact|by|ask|tell|notify|email|me,?|is|-)"
_CAP = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
CUED_NAME = re.compile(rf"(?i:\b{_NAME_CUES})\s+(?P<name>{_CAP}(?:\s+{_CAP})?)")
_FIRST_ALT = "|".join(sorted((n.capitalize() for n in FIRST_NAMES), key=len, reverse=True))
_FIRST_ANY = "|".join(sorted(FIRST_NAMES, key=len, reverse=True))
_LAST_ANY = "|".join(sorted(LAST_NAMES, key=len, reverse=True))
# A known first name, capitalized, with an optional capitalized surname.
KNOWN_NAME = re.compile(rf"\b(?P<name>(?:{_FIRST_ALT})(?:\s+{_CAP})?)\b")
# Lower-case text ("notify maria lopez"): only a known first AND a known last name count.
FULL_NAME_ANY_CASE = re.compile(rf"(?i)\b(?:{_FIRST_ANY})\s+(?:{_LAST_ANY})\b")

_DIGIT = re.compile(r"\d")
_UPPER = re.compile(r"[A-Z]")
_WORD = re.compile(r"[a-z]+")

# Keys inside condition trees and other config JSON that hold structure, never free text.
# `array_path` and `array_item_key` are kept whole, strings or (in real exports) operand objects.
STRUCTURAL_KEYS = frozenset(
    {
        "uuid",
        "parent_uuid",
        "operation_type",
        "comparison_value_type",
        "value_type",
        "operator",
        "full_environment_path",
        "array_path",
        "array_item_key",
    }
)


class Scrubber:
    """Placeholders for one shop; counts every replacement by kind."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], str] = {}
        self._next: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()

    def _placeholder(self, kind: str, value: str) -> str:
        key = (kind, value.lower() if kind in ("email", "name") else value)
        if key not in self._seen:
            self._next[kind] += 1
            self._seen[key] = f"<{kind.upper()}_{self._next[kind]}>"
        self.counts[kind] += 1
        return self._seen[key]

    def text(self, value: str) -> str:
        """Scrub free text: secrets, then emails, phones and names."""
        if not value:
            return value
        # Cheap gates first: most config strings are paths, ids and literals. Every secret
        # shape caught here holds a digit, every phone too; a cued name needs a space.
        out = value
        has_digit = _DIGIT.search(out) is not None
        if has_digit:
            out = SECRET.sub(lambda m: self._secret(m.group(0)), out)
            out = _SECRET_ASSIGNMENT.sub(self._assignment, out)
        if "@" in out:
            out = EMAIL.sub(lambda m: self._placeholder("email", m.group(0)), out)
        if has_digit:
            out = PHONE.sub(self._phone, out)
        if " " in out and _UPPER.search(out):
            out = CUED_NAME.sub(self._cued_name, out)
        if not FIRST_NAMES.isdisjoint(_WORD.findall(out.lower())):
            out = KNOWN_NAME.sub(self._known_name, out)
            out = FULL_NAME_ANY_CASE.sub(lambda m: self._placeholder("name", m.group(0)), out)
        return out

    def _secret(self, token: str) -> str:
        if _UUID.match(token):
            return token
        return self._placeholder("secret", token)

    def _assignment(self, m: re.Match[str]) -> str:
        val = m.group("val")
        if val.startswith("<") or not any(c.isdigit() for c in val):
            return m.group(0)
        start = m.start("val") - m.start(0)
        return m.group(0)[:start] + self._placeholder("secret", val)

    def _phone(self, m: re.Match[str]) -> str:
        digits = sum(c.isdigit() for c in m.group(0))
        if not 9 <= digits <= 15:
            return m.group(0)
        return self._placeholder("phone", m.group(0).strip())

    def _cued_name(self, m: re.Match[str]) -> str:
        name = m.group("name")
        words = name.split()
        if words[0].lower() in NOT_NAMES:
            return m.group(0)
        if len(words) == 1 and words[0].lower() not in FIRST_NAMES:
            return m.group(0)  # one unknown capitalized word: a product, a place, a brand
        if any(w.lower() in NOT_NAMES for w in words):
            words = words[:1]
            if words[0].lower() not in FIRST_NAMES:
                return m.group(0)
        found = " ".join(words)
        start = m.start("name") - m.start(0)
        return (
            m.group(0)[:start] + self._placeholder("name", found) + m.group(0)[start + len(name) :]
        )

    def _known_name(self, m: re.Match[str]) -> str:
        words = m.group("name").split()
        if len(words) == 2 and words[1].lower() in NOT_NAMES:
            return self._placeholder("name", words[0]) + " " + words[1]
        return self._placeholder("name", m.group("name"))

    def json_value(self, value: Any) -> Any:
        """Scrub every free-text string inside parsed JSON, keeping structure and key order."""
        if isinstance(value, str):
            return self.config_string(value)
        if isinstance(value, list):
            return [self.json_value(v) for v in value]
        if isinstance(value, dict):
            # An environment operand's `value` is a path into the workflow's data, not free text
            # (real exports often leave out `full_environment_path`, so it is the only copy):
            # scrubbing a path segment that looks like a token would break the condition.
            path_value = value.get("comparison_value_type") == "EnvironmentValue"
            return {
                k: (
                    v
                    if k in STRUCTURAL_KEYS or (path_value and k == "value")
                    else self.json_value(v)
                )
                for k, v in value.items()
            }
        return value

    def config_string(self, value: str) -> str:
        """Scrub a config value: JSON text (conditions, lists, headers) inside, else as text."""
        stripped = value.lstrip()
        if stripped[:1] in ("{", "["):
            try:
                parsed = json.loads(value)
            except ValueError:
                return self.text(value)
            scrubbed = self.json_value(parsed)
            if scrubbed == parsed:
                return value  # untouched: keep the exact original bytes
            return _compact(scrubbed)
        return self.text(value)

    def definition(self, payload: str) -> str:
        """Scrub a workflow payload's config values, names and notes; JSON stays valid."""
        prefix, body = split_prefix(payload)
        doc = json.loads(body)
        root = doc["root"]
        changed = False
        for step in root["steps"]:
            for item in step["config_field_values"]:
                new = self.config_string(item["value"])
                changed |= new != item["value"]
                item["value"] = new
            for key in ("description", "note", "name"):
                if isinstance(step.get(key), str):
                    new = self.text(step[key])
                    changed |= new != step[key]
                    step[key] = new
        for key in ("note", "workflow_name"):
            if isinstance(root.get(key), str):
                new = self.text(root[key])
                changed |= new != root[key]
                root[key] = new
        if not changed:
            return payload
        out = _compact(doc)
        if prefix is None:
            return out
        return hashlib.sha256(out.encode("utf-8")).hexdigest() + ":" + out


def _compact(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)

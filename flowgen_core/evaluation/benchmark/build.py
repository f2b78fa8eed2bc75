"""Build `cases.jsonl` from the case files: read, transpile, validate, write (python -m ...build).

Each case is one file, `cases/<category>/<name>.dsl`: a header of `# key: value` lines
(request, difficulty, features), then the expected program as DSL text. An edit case puts the
workflow the merchant already has under a `# existing:` line and the expected one under
`# expected:`. The id is `<category>-<name>`, from the path alone, so adding a file changes no
other case. The files are read as text and parsed by the transpiler, never imported.

Every expected (and existing) workflow must transpile and validate against the catalog; the
build stops at the first case that does not, naming its file. The output is deterministic:
categories in the order of `cases/categories.txt` (which also names every allowed category),
cases by name within one, workflow ids from the DSL's stable uuid5 ids. Evaluation reads the JSONL,
so loading a suite needs neither the transpiler nor the catalog.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flowgen_core.catalog.model import Catalog, load_catalog
from flowgen_core.dsl.flowfile import workflow_to_json
from flowgen_core.dsl.from_python import from_python
from flowgen_core.dsl.validate import validate
from flowgen_core.errors import FlowgenError, InvalidInput

CASES_DIR = Path(__file__).with_name("cases")
CATEGORIES_FILE = "categories.txt"
OUT = Path(__file__).with_name("cases.jsonl")
DIFFICULTIES = ("easy", "medium", "hard")
_HEADER = ("request", "difficulty", "features")
_EXISTING, _EXPECTED = "# existing:\n", "# expected:\n"


@dataclass(frozen=True)
class CaseFile:
    """One case as written: the request, its labels and the programs as DSL text."""

    id: str
    category: str
    difficulty: str
    features: tuple[str, ...]
    request: str
    program: str
    existing: str | None
    path: Path


def read_case(path: Path, root: Path = CASES_DIR) -> CaseFile:
    """Parse one case file; a malformed file raises InvalidInput naming the file and field."""
    rel = path.relative_to(root)
    if len(rel.parts) != 2 or path.suffix != ".dsl":
        raise InvalidInput(f"{path}: a case file is cases/<category>/<name>.dsl")
    text = path.read_text("utf-8")
    lines = text.splitlines(keepends=True)
    header: dict[str, str] = {}
    while lines and lines[0].startswith("# ") and lines[0] not in (_EXISTING, _EXPECTED):
        key, sep, value = lines.pop(0)[2:].rstrip("\n").partition(": ")
        if not sep and key.endswith(":"):  # an empty value, e.g. "# features:"
            key, sep, value = key[:-1], ":", ""
        if key not in _HEADER or not sep:
            raise InvalidInput(f"{path}: header line '{key}': expected one of {list(_HEADER)}")
        if key in header:
            raise InvalidInput(f"{path}: header field '{key}' given twice")
        header[key] = value
    for key in _HEADER:
        if key not in header:
            raise InvalidInput(f"{path}: header field '{key}' is missing")
    if not header["request"].strip():
        raise InvalidInput(f"{path}: header field 'request' is empty")
    if header["difficulty"] not in DIFFICULTIES:
        raise InvalidInput(f"{path}: header field 'difficulty' must be one of {DIFFICULTIES}")
    body = "".join(lines)
    existing: str | None = None
    if body.startswith(_EXISTING):
        existing, sep, program = body[len(_EXISTING) :].partition(_EXPECTED)
        if not sep:
            raise InvalidInput(f"{path}: '# existing:' needs a later '# expected:' line")
    elif _EXISTING in body or _EXPECTED in body:
        raise InvalidInput(f"{path}: '# existing:' must come right after the header")
    else:
        program = body
    if not program.strip():
        raise InvalidInput(f"{path}: the expected program is empty")
    category = rel.parts[0]
    return CaseFile(
        id=f"{category}-{path.stem}",
        category=category,
        difficulty=header["difficulty"],
        features=tuple(header["features"].split()),
        request=header["request"],
        program=program,
        existing=existing,
        path=path,
    )


def read_cases(root: Path = CASES_DIR) -> list[CaseFile]:
    """Every case file under root, by category (in the listed order), then by name."""
    listed = (root / CATEGORIES_FILE).read_text("utf-8").split()
    rank = {category: n for n, category in enumerate(listed)}
    cases = [read_case(p, root) for p in root.rglob("*.dsl")]
    for case in cases:
        if case.category not in rank:
            raise InvalidInput(
                f"{case.path}: category '{case.category}' is not in {CATEGORIES_FILE}"
            )
    if not cases:
        raise InvalidInput(f"{root}: no case files")
    return sorted(cases, key=lambda c: (rank[c.category], c.path.stem))


def _workflow(program: str, catalog: Catalog, where: str) -> dict[str, Any]:
    try:
        wf = from_python(program, catalog)
    except FlowgenError as exc:  # DslError included: name the case file, not just the line
        raise InvalidInput(f"{where}: {exc}") from None
    # Cases are answered with the catalog's tasks only, as the agent is judged.
    errors = validate(wf, catalog, unknown_tasks="error")
    if errors:
        raise InvalidInput(f"{where}: invalid workflow: {errors[0]}")
    return workflow_to_json(wf)


def build_rows(catalog: Catalog, root: Path = CASES_DIR) -> list[dict[str, Any]]:
    """One row per case: id, category, difficulty, features, request, expected, existing."""
    rows = []
    for case in read_cases(root):
        rows.append(
            {
                "id": case.id,
                "category": case.category,
                "difficulty": case.difficulty,
                "features": list(case.features),
                "request": case.request,
                "expected": _workflow(case.program, catalog, f"{case.path}: expected"),
                "existing_workflow": None
                if case.existing is None
                else _workflow(case.existing, catalog, f"{case.path}: existing"),
            }
        )
    return rows


def main() -> int:
    """Write cases.jsonl next to this file (exit 1 naming the first invalid case file)."""
    try:
        rows = build_rows(load_catalog())
    except InvalidInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    OUT.write_text(text, "utf-8")
    print(f"{len(rows)} cases -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

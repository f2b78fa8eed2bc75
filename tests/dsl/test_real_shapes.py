"""The export shapes flow-format.md marks "real exports": read, written as Python, written back.

Over `corpus/real_shapes/` (hand-written from the contract): `flowgen dsl` gives each file back
byte for byte with its layout, prefix included (a prefix that is not the payload's SHA-256 is a
warning and is kept), and the program alone gives the same workflow, keeping the shapes
themselves (the one-operand wrapper, operand-object array parts, absent full paths).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from flowgen_core.catalog import load_catalog
from flowgen_core.cli import main
from flowgen_core.dsl.condition import ArrayExpr, Comparison, Logical, Operand, parse_condition
from flowgen_core.dsl.flowfile import checksum, read_envelope, read_flow, write_flow
from flowgen_core.dsl.from_python import DslError, from_python
from flowgen_core.dsl.model import Workflow
from flowgen_core.dsl.sameness import same_workflow
from flowgen_core.dsl.to_python import to_python

SHAPES = Path(__file__).parent / "corpus" / "real_shapes"
FILES = sorted(SHAPES.glob("*.flow"))
ENVELOPES = json.loads((SHAPES / "expected.json").read_text(encoding="utf-8"))
WARNING = "the prefix is not the SHA-256 of the payload"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _trees(wf: Workflow) -> list[Any]:
    return [
        parse_condition(s.config("condition") or "") for s in wf.steps if s.task_type == "CONDITION"
    ]


def _walk(node: Any) -> list[Any]:
    """Every node and operand of a tree, array parts included."""
    out = [node]
    if isinstance(node, Logical | Comparison):
        for side in (node.lhs, node.rhs):
            if side is not None:
                out.extend(_walk(side))
    elif isinstance(node, ArrayExpr):
        for part in (node.array_path, node.array_item_key):
            if isinstance(part, Operand):
                out.append(part)
        out.extend(_walk(node.operation))
    return out


def test_the_shapes_corpus_is_up_to_date_and_covers_every_shape() -> None:
    spec = importlib.util.spec_from_file_location("make_shapes", SHAPES / "make_shapes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    on_disk = {p.name: p.read_bytes() for p in SHAPES.iterdir() if p.suffix in (".flow", ".json")}
    assert module.build() == on_disk, (
        "stale: run python tests/dsl/corpus/real_shapes/make_shapes.py"
    )
    assert set(ENVELOPES.values()) == {"matching", "stale", "none"}
    docs = [json.loads(read_envelope(p.read_bytes()).payload) for p in FILES]
    roots = [d["root"] for d in docs]
    for key in ("variables", "note", "vertical_layout_enabled"):
        assert any(key not in r for r in roots) and any(key in r for r in roots), key
    text = "\n".join(p.read_text(encoding="utf-8") for p in FILES)
    for needle in ['"task_version":"v1"', '"task_version":"draft"', '"step_id":1,', '"Order"']:
        assert needle in text, needle
    nodes = [n for p in FILES for t in _trees(read_flow(p.read_bytes())) for n in _walk(t)]
    wrappers = [n for n in nodes if isinstance(n, Logical) and n.rhs is None]
    assert any(w.parent_uuid is None for w in wrappers)  # at the root
    assert any(w.parent_uuid is not None for w in wrappers)  # inside an array operation
    arrays = [n for n in nodes if isinstance(n, ArrayExpr)]
    assert arrays and all(isinstance(a.array_path, Operand) for a in arrays)
    assert any(
        isinstance(n, Operand) and n.is_env and n.full_environment_path is None for n in nodes
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_envelope_is_read_as_written(path: Path) -> None:
    envelope = read_envelope(path.read_bytes())
    kind = "none" if envelope.prefix is None else "stale" if envelope.stale else "matching"
    assert kind == ENVELOPES[path.name]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_cli_gives_each_file_back_byte_for_byte(capsys, path: Path) -> None:
    original = Path(path.name)
    original.write_bytes(path.read_bytes())
    code, _, err = run(capsys, "dsl", "to-python", str(original), "-o", "prog.py")
    assert code == 0
    stale = ENVELOPES[path.name] == "stale"
    assert (WARNING in err) is stale and err.count("\n") == int(stale)
    code, _, _ = run(
        capsys, "dsl", "to-json", "prog.py", "--layout", "prog.py.layout.json", "-o", "back"
    )
    assert code == 0 and Path("back").read_bytes() == path.read_bytes()
    code, out, err = run(capsys, "dsl", "roundtrip", str(original))
    assert code == 0 and out.splitlines() == [f"{original}: exact", "1 passed, 0 failed"]
    assert (WARNING in err) is stale


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_program_alone_is_the_same_workflow_and_a_fixpoint(catalog, path: Path) -> None:
    original = read_flow(path.read_bytes())
    source, _ = to_python(original, catalog)
    plain = from_python(source, catalog)
    assert same_workflow(original, plain) is None
    assert to_python(plain, catalog)[0] == source
    assert read_flow(write_flow(plain)) == plain
    # The shapes are in the program, not only in the layout: the plain workflow has them too.
    assert [_shape(t) for t in _trees(plain)] == [_shape(t) for t in _trees(original)]


def _shape(node: Any) -> list[Any]:
    """Which keys each node and operand has, in pre-order (uuids set aside)."""
    return [sorted(set(n.keys) - {"parent_uuid"}) for n in _walk(node)]


def test_the_cli_over_the_whole_set_round_trips_and_validates(capsys, catalog) -> None:
    """Issue 15's Done-when, through `flowgen dsl` over every real shape."""
    # Byte-exact with the layout, for the whole folder at once.
    code, out, _ = run(capsys, "dsl", "roundtrip", str(SHAPES))
    assert code == 0
    assert out.splitlines() == [f"{p}: exact" for p in FILES] + [f"{len(FILES)} passed, 0 failed"]
    warned = 0
    for path in FILES:
        original = read_flow(path.read_bytes())
        # The same workflow without it: the program alone, written back with no layout.
        assert run(capsys, "dsl", "to-python", str(path), "-o", "prog.py")[0] == 0
        assert run(capsys, "dsl", "to-json", "prog.py", "-o", "plain.flow")[0] == 0
        plain = read_flow(Path("plain.flow").read_bytes())
        assert same_workflow(original, plain) is None, path.name
        # No error when every task is in the catalog with its real fields; a task the catalog
        # does not know is a warning, and the exit code stays 0.
        code, out, _ = run(capsys, "dsl", "validate", str(path), "--json")
        result = json.loads(out.splitlines()[-1])
        assert code == 0 and result["valid"] is True, (path.name, result["errors"])
        assert all(entries == [] for entries in result["errors"].values())
        unknown = [s.step_id for s in original.steps if catalog.get(s.task_id) is None]
        assert [w["step_id"] for w in result["warnings"]["taskErrors"]] == unknown
        assert sum(len(v) for v in result["warnings"].values()) == len(unknown)
        warned += bool(unknown)
    assert warned == 1  # the custom app's trigger; every other file uses catalog tasks only


def test_a_stale_prefix_is_replaced_once_the_workflow_changes(capsys) -> None:
    source = SHAPES / "stale_prefix_old_export.flow"
    Path("old.flow").write_bytes(source.read_bytes())
    assert run(capsys, "dsl", "to-python", "old.flow", "-o", "prog.py")[0] == 0
    program = Path("prog.py").read_text(encoding="utf-8")
    Path("prog.py").write_text(program.replace("Big order", "Large order"), encoding="utf-8")
    code, _, _ = run(
        capsys, "dsl", "to-json", "prog.py", "--layout", "prog.py.layout.json", "-o", "new.flow"
    )
    written = Path("new.flow").read_text(encoding="utf-8")
    digest, _, payload = written.partition(":")
    assert code == 0 and "Large order" in payload
    assert digest == checksum(payload) != source.read_text(encoding="utf-8")[:64]


def test_validate_warns_about_a_stale_prefix_and_goes_on(capsys) -> None:
    path = SHAPES / "patched_fields_real_key_order.flow"
    code, out, err = run(capsys, "dsl", "validate", str(path))
    assert code == 0 and out.strip() == f"{path}: valid"
    assert err.startswith("flowgen: warning: ") and WARNING in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "expr",
    [
        "logical(order.email == 'a')",
        "logical(order.email == 'a', 'AND', order.email == 'b', 'OR')",
        "env_value() == 'a'",
        "env_value(order.a, order.b) == 'a'",
        "env_value(1) == 'a'",
        "any(x.a == 'b' for x in each(env_value(order.a)))",
        "any(x.a == 'b' for x in each(order.a, env(1, 'k')))",
        "any(x.a == 'b' for x in env_value())",
    ],
)
def test_misused_shape_forms_give_a_position(catalog, expr: str) -> None:
    program = f"@order_created\ndef w(order, shop):\n    'W'\n    if {expr}:\n        pass\n"
    with pytest.raises(DslError) as info:
        from_python(program, catalog)
    assert info.value.line == 4 and "\n" not in str(info.value)

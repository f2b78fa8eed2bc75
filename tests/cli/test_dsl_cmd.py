"""`flowgen dsl`: to-python / to-json / validate / roundtrip, exit codes and one-line errors."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from flowgen_core.catalog import load_catalog
from flowgen_core.cli import main
from flowgen_core.dsl.flowfile import read_flow
from flowgen_core.dsl.sameness import same_workflow

CORPUS = Path(__file__).parents[1] / "dsl" / "corpus"
SAMPLES = Path(__file__).parents[1] / "dsl" / "samples"
SAMPLE = SAMPLES / "repeat_customers_if_else.flow"


def flow(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest() + ":" + payload


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("prefixed", [True, False])
def test_to_python_then_to_json_with_layout_gives_the_original_bytes(capsys, tmp_path, prefixed):
    text = SAMPLE.read_text(encoding="utf-8")
    original = tmp_path / ("in.flow" if prefixed else "in.json")
    original.write_text(text if prefixed else text[65:], encoding="utf-8")
    code, out, _ = run(capsys, "dsl", "to-python", str(original), "-o", "prog.py")
    assert code == 0 and "prog.py" in out
    program = Path("prog.py").read_text(encoding="utf-8")
    assert program.startswith("@order_paid\ndef tag_repeat_customers(order, shop):\n")
    assert json.loads(Path("prog.py.layout.json").read_text())["prefix"] is prefixed
    code, out, _ = run(
        capsys,
        "dsl",
        "to-json",
        "prog.py",
        "--layout",
        "prog.py.layout.json",
        "-o",
        "back",
        "--json",
    )
    assert code == 0 and json.loads(out.splitlines()[-1])["exact"] is True
    assert Path("back").read_bytes() == original.read_bytes()


def test_a_non_canonical_payload_still_comes_back_byte_for_byte(capsys):
    payload = json.dumps(
        json.loads(SAMPLE.read_text(encoding="utf-8")[65:]), indent=2, ensure_ascii=True
    )
    Path("spaced.flow").write_text(flow(payload), encoding="utf-8")
    assert run(capsys, "dsl", "to-python", "spaced.flow")[0] == 0
    assert (
        run(
            capsys,
            "dsl",
            "to-json",
            "spaced.py",
            "--layout",
            "spaced.py.layout.json",
            "-o",
            "out.flow",
        )[0]
        == 0
    )
    assert Path("out.flow").read_text(encoding="utf-8") == flow(payload)


def test_to_json_without_layout_writes_the_canonical_workflow(capsys):
    Path("in.flow").write_bytes(SAMPLE.read_bytes())
    run(capsys, "dsl", "to-python", "in.flow")
    assert run(capsys, "dsl", "to-json", "in.py")[0] == 0
    written = Path("in.flow").read_text(encoding="utf-8")
    assert written != SAMPLE.read_text(encoding="utf-8")  # fresh ids and layout
    assert written[64] == ":" and hashlib.sha256(written[65:].encode()).hexdigest() == written[:64]
    assert same_workflow(read_flow(written), read_flow(SAMPLE.read_bytes())) is None
    assert run(capsys, "dsl", "to-json", "in.py", "--plain", "-o", "plain.json")[0] == 0
    assert Path("plain.json").read_text(encoding="utf-8") == written[65:]


def test_validate_exit_codes_and_listing(capsys):
    good = CORPUS / "orders_tag_high_value.flow"
    code, out, _ = run(capsys, "dsl", "validate", str(good))
    assert code == 0 and out.strip() == f"{good}: valid"
    bad = CORPUS / "invalid_context_customer_created_add_order_tags.flow"
    code, out, _ = run(capsys, "dsl", "validate", str(bad))
    assert code == 1
    assert "taskErrors" in out and "errors" in out.splitlines()[0]
    code, out, _ = run(capsys, "dsl", "validate", str(bad), "--json")
    result = json.loads(out.splitlines()[-1])
    assert code == 1 and result["valid"] is False and result["errors"]["taskErrors"]
    Path("w.py").write_text(
        '@customer_created\ndef w(customer, shop):\n    "x"\n    add_order_tags(order_id=order.id, tags=["x"])\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "dsl", "validate", "w.py")
    assert code == 1 and "taskErrors line 4 field=" in out
    code, out, _ = run(capsys, "dsl", "validate", "w.py", "--json")
    assert json.loads(out.splitlines()[-1])["errors"]["taskErrors"][0]["line"] == 4


def test_validate_reports_unknown_tasks_as_warnings(capsys):
    custom = CORPUS / "custom_app_uuid_trigger.flow"
    code, out, _ = run(capsys, "dsl", "validate", str(custom))
    lines = out.strip().splitlines()
    assert code == 0 and lines[0] == f"{custom}: valid (2 warnings)"
    assert "warning taskErrors" in lines[1] and "2f6c1e9a-8d3b-4f7e-b5a1-0c9d8e7f6a5b" in lines[1]
    assert "unknown task acme_chat::post_message" in lines[2]
    code, out, _ = run(capsys, "dsl", "validate", str(custom), "--json")
    result = json.loads(out.splitlines()[-1])
    assert code == 0 and result["valid"] is True
    assert len(result["warnings"]["taskErrors"]) == 2
    assert all(not v for v in result["errors"].values())


def test_roundtrip_over_the_corpus_and_samples(capsys):
    code, out, err = run(capsys, "dsl", "roundtrip", str(CORPUS), str(SAMPLES))
    lines = out.strip().splitlines()
    n = len(list(CORPUS.glob("*.flow"))) + len(list(SAMPLES.glob("*.flow")))
    assert code == 0, err
    assert lines[-1] == f"{n} passed, 0 failed"
    assert all(line.endswith(": exact") for line in lines[:-1])


def test_roundtrip_reports_semantic_and_unreadable(capsys):
    Path("loose.py").write_text(
        '@order_created\ndef w(order):\n    "W"\n    add_order_tags(tags=["a"], order_id="1")\n',
        encoding="utf-8",
    )
    Path("bad.flow").write_text("0" * 63 + ":{}", encoding="utf-8")
    code, out, err = run(capsys, "dsl", "roundtrip", "loose.py", "bad.flow", "--json")
    result = json.loads(out.splitlines()[-1])
    assert code == 2
    assert [f["result"] for f in result["files"]] == ["semantic", "failed"]
    assert result["files"][1]["reason"].startswith("unreadable: ")
    assert (result["passed"], result["failed"]) == (1, 1)
    assert err.count("\n") == 1 and "bad.flow" in err and "64 lowercase hex" in err


GOOD = json.loads(SAMPLE.read_text(encoding="utf-8")[65:])


def _doc(edit) -> str:
    doc = json.loads(json.dumps(GOOD))
    edit(doc["root"])
    return json.dumps(doc, separators=(",", ":"))


UNREADABLE = {
    # A prefix that does not match is a warning (older exports); a malformed one is an error.
    "prefix_not_hex": ("g" * 64 + ":" + json.dumps(GOOD, separators=(",", ":")), "64 lowercase"),
    "prefix_too_short": ("f" * 63 + ":" + json.dumps(GOOD, separators=(",", ":")), "64 lowercase"),
    "payload_not_json": ("f" * 64 + ":{'a': 1}", "invalid JSON"),
    "empty": ("", "empty"),
    "truncated": (json.dumps(GOOD)[:-10], "truncated"),
    "invalid_json": ("{'a': 1}", "invalid JSON"),
    "dangling": (_doc(lambda r: r["links"][0].update(to_step_id="nope")), "dangling"),
    "cycle": (
        _doc(
            lambda r: r["links"].append(
                {
                    **r["links"][0],
                    "from_step_id": r["links"][0]["to_step_id"],
                    "to_step_id": r["links"][0]["from_step_id"],
                }
            )
        ),
        "cycle",
    ),
    "two_triggers": (
        _doc(lambda r: r["steps"].append({**r["steps"][0], "step_id": "t2"})),
        "exactly one TRIGGER",
    ),
    "unknown_type": (_doc(lambda r: r["steps"][1].update(task_type="LOOP")), "unknown step type"),
    "non_string_value": (
        _doc(lambda r: r["steps"][2]["config_field_values"][0].update(value=5)),
        "not a string",
    ),
    "malformed_condition": (
        _doc(lambda r: r["steps"][1]["config_field_values"][0].update(value='{"uuid":"x"}')),
        "malformed condition",
    ),
}


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_unreadable_input_is_exit_2_one_line_nothing_written(capsys, case):
    text, needle = UNREADABLE[case]
    Path(f"{case}.flow").write_text(text, encoding="utf-8")
    for args in (
        ["to-python", f"{case}.flow", "-o", "out.py"],
        ["validate", f"{case}.flow"],
        ["roundtrip", f"{case}.flow"],
    ):
        code, _, err = run(capsys, "dsl", *args)
        assert code == 2, (args, err)
        assert err.count("\n") == 1 and f"{case}.flow" in err and needle in err, err
        assert "Traceback" not in err
    assert not Path("out.py").exists() and not Path("out.py.layout.json").exists()


@pytest.mark.parametrize(
    "program",
    [
        "import os\n",
        "@order_created\ndef w(order):\n    while True:\n        pass\n",
        "@order_created\ndef w(order):\n    eval('1')\n",
    ],
)
def test_python_outside_the_subset_is_exit_2_with_its_position(capsys, program):
    Path("p.py").write_text(program, encoding="utf-8")
    code, _, err = run(capsys, "dsl", "to-json", "p.py", "-o", "out.flow")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("flowgen: error: p.py: line ") and "Traceback" not in err
    assert not Path("out.flow").exists()


@pytest.mark.integration  # runs the installed command in a new process
def test_the_installed_command_runs(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "flowgen_core.cli", "dsl", "roundtrip", str(SAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines() == [f"{SAMPLE}: exact", "1 passed, 0 failed"]
    assert load_catalog() is not None

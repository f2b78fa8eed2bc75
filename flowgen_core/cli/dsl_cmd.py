"""`flowgen dsl`: workflow files <-> the Python DSL, validation, round-trip checks."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import typer

from flowgen_core.catalog import load_catalog
from flowgen_core.catalog.model import Catalog
from flowgen_core.cli.common import JSON_OPTION, fail_line, report
from flowgen_core.dsl.flowfile import (
    STALE_PREFIX_WARNING,
    Envelope,
    checksum,
    dump_payload,
    parse_payload,
    read_envelope,
    read_flow,
    write_flow,
)
from flowgen_core.dsl.from_python import from_python, step_lines
from flowgen_core.dsl.model import Workflow
from flowgen_core.dsl.sameness import same_workflow
from flowgen_core.dsl.to_python import to_python
from flowgen_core.dsl.validate import errors_by_bucket, validation_report
from flowgen_core.errors import UnreadableInput

app = typer.Typer(
    help="Workflow files and the Python DSL: to-python, to-json, validate, roundtrip.",
    no_args_is_help=True,
)

LAYOUT_SUFFIX = ".layout.json"
PY_SUFFIXES = (".py",)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInput(f"{path}: no such file") from None
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot read ({exc.strerror})") from None


def _read_text(path: Path) -> str:
    data = _read_bytes(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableInput(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _warn(message: str) -> None:
    """One warning line on stderr (the command still succeeds)."""
    sys.stderr.write(f"flowgen: warning: {' '.join(message.split())}\n")
    sys.stderr.flush()


def _read_flow_file(path: Path, data: bytes) -> tuple[Envelope, Workflow]:
    """The file's envelope and workflow; a prefix that does not match is a warning."""
    envelope = read_envelope(data)
    wf = parse_payload(envelope.payload)
    # Warned only once the file reads: an unreadable one gets its one error line alone.
    if envelope.stale:
        _warn(f"{path}: {STALE_PREFIX_WARNING}")
    return envelope, wf


def _prefix_layout(envelope: Envelope) -> dict[str, Any]:
    """What the layout keeps of the prefix: present or not, and a non-matching one verbatim."""
    if not envelope.stale:
        return {"prefix": envelope.prefix is not None}
    # Given back only while the payload is unchanged (flow-format.md, "File envelope").
    return {"prefix": envelope.prefix, "payload_sha256": checksum(envelope.payload)}


def _read_workflow_file(path: Path, catalog: Catalog) -> Workflow:
    """A `.flow` / `.json` file, or a `.py` program read without a layout."""
    try:
        if path.suffix in PY_SUFFIXES:
            return from_python(_read_text(path), catalog)
        return _read_flow_file(path, _read_bytes(path))[1]
    except UnreadableInput as exc:
        if str(exc).startswith(f"{path}:"):
            raise
        raise UnreadableInput(f"{path}: {exc}") from None


def _write_atomic(files: dict[Path, str]) -> None:
    """Write every file or none: all go to temporaries first, then are renamed into place."""
    temps: list[tuple[str, Path]] = []
    try:
        for target, text in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temps.append((tmp, target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        for tmp, target in temps:
            os.replace(tmp, target)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


@app.command("to-python")
def to_python_cmd(
    source: Path = typer.Argument(..., help="A .flow or .json workflow file."),
    out: Path = typer.Option(None, "-o", "--out", help="Program to write; default: IN with .py."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the Python DSL program and its layout sidecar (OUT.py and OUT.py.layout.json)."""
    catalog = load_catalog()
    data = _read_bytes(source)
    try:
        envelope, wf = _read_flow_file(source, data)
    except UnreadableInput as exc:
        raise UnreadableInput(f"{source}: {exc}") from None
    program, sidecar = to_python(wf, catalog, payload=envelope.payload)
    sidecar.update(_prefix_layout(envelope))
    out = out or source.with_suffix(".py")
    layout = out.with_name(out.name + LAYOUT_SUFFIX)
    _write_atomic({out: program, layout: json.dumps(sidecar, ensure_ascii=False, indent=1) + "\n"})
    report(
        {"program": str(out), "layout": str(layout), "steps": len(wf.steps)},
        as_json,
        [f"wrote {out} and {layout} ({len(wf.steps)} steps)"],
    )


def _load_layout(path: Path) -> dict[str, Any]:
    try:
        layout = json.loads(_read_text(path))
    except ValueError as exc:
        raise UnreadableInput(f"{path}: not a layout file ({exc})") from None
    if not isinstance(layout, dict):
        raise UnreadableInput(f"{path}: not a layout file (expected a JSON object)")
    return layout


def _file_text(wf: Workflow, layout: dict[str, Any] | None, plain: bool) -> str:
    """The workflow file: as the original was when a layout is given, else canonical."""
    if layout is None:
        return write_flow(wf, prefix=not plain)
    payload = dump_payload(wf)
    original = layout.get("original_payload")
    # The layout keeps a non-canonically encoded original payload; it is used while the
    # program still describes exactly that document.
    if isinstance(original, str):
        try:
            if dump_payload(read_flow(original)) == payload:
                payload = original
        except UnreadableInput:
            pass
    prefix = layout.get("prefix", True)
    if plain or not prefix:
        return payload
    digest = checksum(payload)
    if isinstance(prefix, str) and layout.get("payload_sha256") == digest:
        return f"{prefix}:{payload}"  # an older export's prefix, for its unchanged payload
    return f"{digest}:{payload}"


@app.command("to-json")
def to_json_cmd(
    source: Path = typer.Argument(..., help="A Python DSL program (.py)."),
    layout_path: Path = typer.Option(
        None, "--layout", help="Layout sidecar from to-python: gives back the original bytes."
    ),
    out: Path = typer.Option(None, "-o", "--out", help="File to write; default: IN with .flow."),
    plain: bool = typer.Option(
        False, "--plain", help="Write the bare payload, no checksum prefix."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Write the workflow file for a program (exact original bytes when given its layout)."""
    catalog = load_catalog()
    text = _read_text(source)
    layout = _load_layout(layout_path) if layout_path is not None else None
    try:
        wf = from_python(text, catalog, layout)
    except UnreadableInput as exc:
        raise UnreadableInput(f"{source}: {exc}") from None
    body = _file_text(wf, layout, plain)
    out = out or source.with_suffix(".flow")
    _write_atomic({out: body})
    report(
        {"workflow": str(out), "steps": len(wf.steps), "exact": layout is not None},
        as_json,
        [f"wrote {out} ({len(wf.steps)} steps)"],
    )


@app.command("validate")
def validate_cmd(
    path: Path = typer.Argument(..., help="A .flow, .json or .py file."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check a workflow against the catalog: exit 0 valid, 1 invalid (errors listed), 2 unreadable.

    Warnings (tasks the catalog does not know) are listed too and leave the exit code at 0.
    """
    catalog = load_catalog()
    wf = _read_workflow_file(path, catalog)
    result = validation_report(wf, catalog)
    errors, warnings = result.errors, result.warnings
    # A program's steps have fresh ids; its readers want the line the step is written on.
    lines_of = step_lines(_read_text(path), catalog) if path.suffix in PY_SUFFIXES else {}
    by_bucket = errors_by_bucket(errors)
    warned = errors_by_bucket(warnings)
    payload = {"path": str(path), "valid": not errors, "errors": by_bucket, "warnings": warned}
    if lines_of:
        for buckets in (by_bucket, warned):
            for bucket in buckets.values():
                for entry in bucket:
                    entry["line"] = lines_of.get(entry["step_id"])
    lines = [f"{path}: valid"] if not errors else [f"{path}: {len(errors)} errors"]
    if warnings:
        lines[0] += f" ({len(warnings)} warnings)"
    for kind, found in (("", errors), ("warning ", warnings)):
        for e in found:
            where = (
                f"line {lines_of[e.step_id]}" if e.step_id in lines_of else f"step={e.step_id!r}"
            )
            lines.append(f"  {kind}{e.bucket} {where} field={e.field or '-'}: {e.message}")
    report(payload, as_json, lines)
    if errors:
        raise typer.Exit(1)


def _roundtrip_flow(path: Path, catalog: Catalog) -> tuple[str, str]:
    data = _read_bytes(path)
    try:
        envelope, wf = _read_flow_file(path, data)
    except UnreadableInput as exc:
        return "unreadable", str(exc)
    program, sidecar = to_python(wf, catalog, payload=envelope.payload)
    sidecar.update(_prefix_layout(envelope))
    sidecar = json.loads(json.dumps(sidecar, ensure_ascii=False))
    text = data.decode("utf-8")
    try:
        back = _file_text(from_python(program, catalog, sidecar), sidecar, plain=False)
        if back == text:
            return "exact", ""
        plain = from_python(program, catalog)
    except UnreadableInput as exc:
        return "failed", f"the generated program does not read back: {exc}"
    reason = same_workflow(wf, plain)
    if reason is None:
        return "semantic", "bytes differ, same workflow"
    return "failed", reason


def _roundtrip_python(path: Path, catalog: Catalog) -> tuple[str, str]:
    source = _read_text(path)
    try:
        wf = from_python(source, catalog)
    except UnreadableInput as exc:
        return "unreadable", str(exc)
    program, _ = to_python(wf, catalog)
    if program == source:
        return "exact", ""
    reason = same_workflow(wf, from_python(program, catalog))
    if reason is None:
        return "semantic", "program differs from its canonical form, same workflow"
    return "failed", reason


def _expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            # A folder means its workflow files; programs and .json files are named one by one.
            out.extend(sorted(p.glob("*.flow")))
        else:
            out.append(p)
    return out


@app.command("roundtrip")
def roundtrip_cmd(
    paths: list[Path] = typer.Argument(..., help="Workflow files, programs or folders of them."),
    as_json: bool = JSON_OPTION,
) -> None:
    """JSON -> Python -> JSON (or Python -> JSON -> Python) per file: exact, semantic or failed."""
    catalog = load_catalog()
    rows = []
    lines = []
    unreadable = 0
    for path in _expand(paths):
        try:
            check = _roundtrip_python if path.suffix in PY_SUFFIXES else _roundtrip_flow
            result, reason = check(path, catalog)
        except UnreadableInput as exc:
            result, reason = "unreadable", str(exc).removeprefix(f"{path}: ")
        if result == "unreadable":
            # Unreadable input keeps its own exit code (2) and stderr line; it counts as failed.
            unreadable += 1
            fail_line(f"{path}: {reason}")
            result, reason = "failed", f"unreadable: {reason}"
        rows.append({"path": str(path), "result": result, "reason": reason})
        lines.append(f"{path}: {result}" + (f" ({reason})" if reason else ""))
    failed = sum(1 for r in rows if r["result"] == "failed")
    passed = len(rows) - failed
    lines.append(f"{passed} passed, {failed} failed")
    report({"passed": passed, "failed": failed, "files": rows}, as_json, lines)
    if unreadable:
        raise typer.Exit(2)
    if failed:
        raise typer.Exit(1)

"""`flowgen data`: build a week's (cumulative) training dataset, show a dataset, generate the
tiny base model's pretraining corpus."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import typer
from sqlalchemy.exc import OperationalError

from flowgen_core.artifacts import ArtifactStore, artifact_store, local_dataset
from flowgen_core.catalog.model import load_catalog
from flowgen_core.cli.common import JSON_OPTION, report
from flowgen_core.cli.db_cmd import _unreachable, _url
from flowgen_core.data.examples import DataConfig
from flowgen_core.data.teacher import LLMTeacher, OfflineTeacher
from flowgen_core.errors import UnreadableInput
from flowgen_core.llm import client_for
from flowgen_core.settings import Settings, load_settings
from flowgen_core.store.extract import extract
from flowgen_core.weeks import parse_week

log = logging.getLogger("flowgen.data")

app = typer.Typer(
    help="Training data: build a week's dataset, show one, generate the pretraining corpus.",
    no_args_is_help=True,
)


def _teacher(settings: Settings) -> Any:
    """The LLM teacher when an endpoint is configured, else the offline stand-in."""
    client = client_for(settings, "teacher")
    return OfflineTeacher() if client is None else LLMTeacher(client)


def _filter_line(name: str, counts: dict[str, int]) -> str:
    return f"{name}: " + " -> ".join(f"{k} {v}" for k, v in counts.items())


@app.command("build")
def build_cmd(
    week: str = typer.Option(..., "--week", help="ISO week to build, e.g. 2026-W46."),
    window_weeks: int = typer.Option(
        0,
        "--window-weeks",
        min=0,
        help="Weeks of examples up to --week (0 = every week since the store's first).",
    ),
    out: Path = typer.Option(
        None, "--out", help="Artifact root to write to (default: the configured store)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Build a week's cumulative dataset: extract each week of the window, build or reuse its
    sets, merge, check and write (what the weekly run trains on)."""
    # heavy: the build loads transformers and pyarrow; other commands start without them
    from flowgen_core.data.cumulative import build_cumulative, earliest_week, source_id

    parsed = parse_week(week)
    settings = load_settings()
    store = ArtifactStore(str(out.resolve())) if out else artifact_store(settings)
    started = time.perf_counter()
    url = _url()

    def extract_week(name: str) -> Any:
        log.info("extracting %s", name)
        return extract(url, name)

    try:
        first = earliest_week(url)
        teacher = _teacher(settings)
        log.info("weeks from %s, teacher %s", first or parsed, teacher.name)
        built = build_cumulative(
            str(parsed),
            first,
            extract_week,
            load_catalog(),
            teacher,
            DataConfig(),
            store,
            window_weeks,
            source_id(settings),  # past weeks already built are not extracted again
        )
    except OperationalError as exc:
        raise _unreachable(exc) from exc
    seconds = time.perf_counter() - started
    r = built.report
    payload = {
        "week": str(parsed),
        "hash": built.hash,
        "uri": built.uri,
        "rows": built.rows,
        "cached": built.cached,
        "seconds": round(seconds, 2),
        "report": r,
    }
    lines = [
        f"dataset {built.hash}" + (" (already stored)" if built.cached else ""),
        f"uri: {built.uri}",
        "rows: " + ", ".join(f"{k} {v}" for k, v in built.rows.items()),
        _filter_line("synthetic", r["filters"]["synthetic"]),
        _filter_line("real", r["filters"]["real"]),
        "by source: " + ", ".join(f"{k} {v}" for k, v in r["rows_by_source"].items()),
        "by category: " + ", ".join(f"{k} {v}" for k, v in r["rows_by_category"].items()),
        f"quarantined {r['quarantined']}"
        + (
            f" ({', '.join(f'{k} {v}' for k, v in r['quarantine_reasons'].items())})"
            if r["quarantined"]
            else ""
        )
        + f", discarded {r['discarded']}, edits {r['edits']}",
        f"teacher {r['teacher']}, interface {r['interface_version']}, {seconds:.1f}s",
        "weeks: " + ", ".join(w["week"] + (" (cached)" if w["cached"] else "") for w in r["weeks"]),
    ]
    report(payload, as_json, lines)


def _render(row: dict[str, Any]) -> str:
    """One row as the model reads it: the training chat template, text only."""
    # heavy: transformers loads only when rows are rendered
    from transformers.utils.chat_template_utils import render_jinja_template

    from flowgen_core.agent.render import parse_row
    from flowgen_core.agent.tokenizer import CHAT_TEMPLATE

    messages, tools = parse_row(row)
    # returns (one text per conversation, generation indices)
    rendered: Any = render_jinja_template([messages], tools=tools, chat_template=CHAT_TEMPLATE)  # type: ignore[arg-type]
    return str(rendered[0][0])


@app.command("show")
def show_cmd(
    dataset: str = typer.Argument(..., help="Dataset folder or s3:// URI."),
    examples: int = typer.Option(2, "--examples", help="Rendered examples to print."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Counts of a dataset and a few examples rendered with the chat template."""
    # heavy: transformers and pyarrow load only when a dataset is read
    from flowgen_core.agent.render import load_split

    path = local_dataset(dataset, load_settings())
    try:
        manifest = json.loads((path / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise UnreadableInput(f"{path}/manifest.json: cannot read ({exc})") from None
    rows = load_split(path, "train")
    shown = [_render(r) for r in rows[: max(0, examples)]]
    payload = {**manifest, "examples": [r["id"] for r in rows[: max(0, examples)]]}
    lines = [
        f"dataset {manifest.get('hash')} (week {manifest.get('week')}, "
        f"interface {manifest.get('interface_version')}, teacher {manifest.get('teacher')})",
        "rows: " + ", ".join(f"{k} {v}" for k, v in manifest.get("rows", {}).items()),
        "by source: "
        + ", ".join(f"{k} {v}" for k, v in manifest.get("rows_by_source", {}).items()),
        "by category: "
        + ", ".join(f"{k} {v}" for k, v in manifest.get("rows_by_category", {}).items()),
    ]
    for row, text in zip(rows, shown, strict=False):
        lines += ["", f"--- {row['id']} ({row['source']}, {row['category']})", text.rstrip()]
    report(payload, as_json, lines)


@app.command("corpus")
def corpus_cmd(
    examples: int = typer.Option(3200, "--examples", help="Examples to generate."),
    seed: int = typer.Option(20261203, "--seed", help="Seed of the generated shops."),
    out: Path = typer.Option(
        None, "--out", help="Folder to write <hash>/ under (default: <state>/corpus)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Generate the tiny base model's pretraining corpus (a dataset folder, by content hash)."""
    # heavy: the corpus is written with pyarrow; other commands start without it
    from flowgen_core.data.corpus import CorpusConfig, write_corpus

    settings = load_settings()
    root = out.resolve() if out else settings.state_path / "corpus"
    started = time.perf_counter()
    path = write_corpus(CorpusConfig(examples=examples, seed=seed), root)
    manifest = json.loads((path / "manifest.json").read_text("utf-8"))
    payload = {**manifest, "path": str(path), "seconds": round(time.perf_counter() - started, 1)}
    lines = [
        f"corpus {manifest['hash']}: {path}",
        "rows: " + ", ".join(f"{k} {v}" for k, v in manifest["rows"].items()),
        _filter_line("filters", manifest["filters"]),
    ]
    report(payload, as_json, lines)

"""Shared CLI plumbing: reporting, one-line failures, logging with secrets masked."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from typing import Any

import typer

from flowgen_core.redact import install_log_redaction, mask_known

JSON_OPTION = typer.Option(False, "--json", help="Print one JSON object as the last line.")


def fail_line(message: str) -> None:
    """Print one line on stderr, secrets masked."""
    text = " ".join(mask_known(message).split())
    sys.stderr.write(f"flowgen: error: {text}\n")
    sys.stderr.flush()


def report(payload: dict[str, Any], as_json: bool, lines: Iterable[str] = ()) -> None:
    """Print human lines, or (with --json) one JSON object as the last line of stdout."""
    if as_json:
        sys.stdout.write(json.dumps(payload, sort_keys=True, default=str) + "\n")
    else:
        for line in lines:
            sys.stdout.write(mask_known(line) + "\n")
    sys.stdout.flush()


def configure_logging(level: int = logging.INFO) -> None:
    """Progress and diagnostics go to stderr, with secrets masked in every line."""
    root = logging.getLogger()
    if not any(getattr(h, "_flowgen", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s", "%H:%M:%S"))
        handler._flowgen = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    logging.getLogger("flowgen").setLevel(level)
    install_log_redaction(root)

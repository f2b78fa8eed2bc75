"""The `flowgen` command.

Conventions every subcommand follows:
- a command that reports accepts `--json` and then prints one JSON object as the last line
  of stdout (`flowgen_core.cli.common.report`);
- exit 0 on success, 1 for a failed check or invalid input, 2 for usage errors or unreadable
  input, always with one clear line on stderr and no traceback for user errors.
"""

from __future__ import annotations

import sys

import typer

# typer 0.29 vendors click; its exceptions are only reachable here (typer is pinned).
from typer._click import exceptions as click_exc

from flowgen_core.cli import (
    backfill_cmd,
    config_cmd,
    data_cmd,
    db_cmd,
    demo_cmd,
    deploy_cmd,
    dsl_cmd,
    eval_cmd,
    model_cmd,
    retrain_cmd,
    serve_cmd,
    simulate_cmd,
    stack_cmd,
    token_cmd,
    train_cmd,
)
from flowgen_core.cli.common import configure_logging, fail_line
from flowgen_core.errors import FlowgenError

app = typer.Typer(
    name="flowgen",
    help="The weekly retraining flywheel for the workflow-building agent.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# Each subcommand group lives in its own module; its Typer help is the one-line description.
app.add_typer(config_cmd.app, name="config")
app.add_typer(db_cmd.app, name="db")
app.add_typer(data_cmd.app, name="data")
app.add_typer(dsl_cmd.app, name="dsl")
app.add_typer(stack_cmd.app, name="stack")
app.add_typer(eval_cmd.app, name="eval")
app.add_typer(model_cmd.app, name="model")
app.add_typer(token_cmd.app, name="token")
app.command("retrain")(retrain_cmd.retrain)
app.command("backfill")(backfill_cmd.backfill)
app.command("deploy")(deploy_cmd.deploy)
app.command("train")(train_cmd.train)
app.command("serve")(serve_cmd.serve)
app.command("simulate")(simulate_cmd.simulate)
app.command("demo")(demo_cmd.demo)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and map errors to exit codes and one stderr line."""
    configure_logging()
    args = sys.argv[1:] if argv is None else argv
    try:
        result = app(args=args, prog_name="flowgen", standalone_mode=False)
    except FlowgenError as exc:
        fail_line(str(exc))
        return exc.exit_code
    except click_exc.NoArgsIsHelpError as exc:
        sys.stdout.write((exc.ctx.get_help() if exc.ctx else "") + "\n")
        return 2
    except click_exc.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        fail_line(f"{exc.format_message()}{hint}")
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        fail_line("aborted")
        return 130
    except KeyboardInterrupt:
        fail_line("interrupted")
        return 130
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())

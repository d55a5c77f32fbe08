"""The ``settlesync`` command group and its error contract.

Exit codes: 0 success (for ``reconcile``/``report``: the test report is Complete), 1 a finding
the caller must act on (errors in the report, a refused sign-off), 2 bad input or usage. A
user's mistake prints one message, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import click

from ..errors import InputError

REPORT_FORMATS = ("flat-v2", "flat-v1", "xml")  # settlesync_nb.io.READERS (tests check they agree)
RESOLUTION_ACTIONS = ("rectified", "cancelled")  # settlesync_nb.reconcile.ACTIONS (tests check)
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="settlesync", prog_name="settlesync")
def cli() -> None:
    """Check Amazon settlement reports against NetSuite before and while Settlement Sync runs."""


GREEDY_OPTIONS = frozenset({"--amazon", "--netsuite"})


def expand_greedy(argv: Sequence[str]) -> list[str]:
    """Let ``--amazon a.txt b.txt`` name several files: repeat the option before each value.

    click options take one value each; shells expand ``--amazon reports/*`` into many.
    """
    out: list[str] = []
    current = None
    for token in argv:
        if token.startswith("-"):
            current = token if token in GREEDY_OPTIONS else None
            out.append(token)
        elif current and out and out[-1] != current:
            out.extend([current, token])
        else:
            out.append(token)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (the console script exits with it)."""
    args = expand_greedy(sys.argv[1:] if argv is None else list(argv))
    try:
        result = cli.main(args=args, prog_name="settlesync", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_BAD_INPUT
    except click.ClickException as exc:
        exc.show()
        return EXIT_BAD_INPUT if exc.exit_code == 2 else int(exc.exit_code)
    except InputError as exc:
        click.echo(f"settlesync: error: {exc}", err=True)
        return EXIT_BAD_INPUT
    return int(result or 0)


# Commands that hold nothing outside the process once they return (no kernel, no database
# connection, every file written and closed): the console script ends them without tearing
# the interpreter down, which with pandas and pyarrow loaded takes about 0.1 s (mypy's
# "fast exit" does the same).
FAST_EXIT_COMMANDS = frozenset({"inspect", "load", "reconcile"})


def run() -> None:
    """Console-script entry point."""
    code = main()
    if _command(sys.argv[1:]) in FAST_EXIT_COMMANDS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _command(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line (the group takes no options but help/version)."""
    return next((token for token in argv if not token.startswith("-")), None)

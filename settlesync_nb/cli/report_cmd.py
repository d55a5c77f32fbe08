"""``report`` and ``run``: executing our notebooks with papermill, unattended."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..errors import UsageError
from .app import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, cli
from .reconcile_cmd import (
    config_option,
    cutoff_option,
    netsuite_option,
    out_option,
    resolutions_option,
    tolerance_option,
)

REPORT_NOTEBOOK = "02_reconciliation_report.ipynb"
EXIT_NOTEBOOK_FAILED = 3


@cli.command()
@click.option(
    "--amazon",
    "amazon",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="REPORT...",
    help="Amazon settlement report files (one report for all of them).",
)
@click.option(
    "--batch",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Instead of --amazon: one report per settlement file in this folder, plus an index page.",
)
@netsuite_option
@out_option
@tolerance_option
@cutoff_option
@config_option
@resolutions_option
@click.option("--preset", default=None, help="Named parameter preset from templates/presets/ (options override it).")
@click.option("--with-code", is_flag=True, help="Show the code cells in the HTML report.")
def report(
    amazon: tuple[Path, ...],
    batch: Path | None,
    netsuite: tuple[Path, ...],
    out: Path,
    tolerance: str | None,
    cutoff: str | None,
    config: Path | None,
    resolutions: Path | None,
    preset: str | None,
    with_code: bool,
) -> int:
    """Run the reconciliation report notebook and write an offline HTML report into OUT.

    OUT receives the executed notebook, report.html and the reconcile files. Exit 0 when the
    report is Complete, 1 when it has errors, 2 for bad input, 3 when a cell failed otherwise.
    """
    from ..notebook.batch import run_batch, run_report_notebook
    from ..notebook.presets import load_preset
    from ..notebook.runner import NotebookFailed, NotebookInputError

    if bool(amazon) == bool(batch):
        raise UsageError("give either --amazon REPORT... or --batch FOLDER")
    values: dict[str, Any] = load_preset(preset) if preset else {}
    given = {"tolerance": tolerance, "cutoff": cutoff, "config_path": config, "resolutions_path": resolutions}
    values.update({k: str(v) for k, v in given.items() if v is not None})
    if batch:
        outcome = run_batch(batch, list(netsuite), out, values, with_code=with_code)
        click.echo(f"index: {outcome.index}", err=True)
        return outcome.exit_code
    try:
        done = run_report_notebook(list(amazon), list(netsuite), out, values, with_code=with_code)
    except NotebookInputError:
        raise
    except NotebookFailed as exc:
        click.echo(f"settlesync: report failed: {exc}", err=True)
        return EXIT_NOTEBOOK_FAILED
    click.echo(f"test report: {done.status}", err=True)
    click.echo(f"HTML report: {done.html}", err=True)
    return done.exit_code


@cli.command("run")
@click.argument("notebook")
@click.option(
    "--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the executed notebook."
)
@click.option(
    "-p",
    "--parameter",
    "parameters",
    multiple=True,
    nargs=2,
    metavar="NAME VALUE",
    help="A notebook parameter (repeatable); text stays text, other types are read as YAML.",
)
@click.option(
    "--params",
    "params_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="YAML file of parameters (-p values override it).",
)
@click.option("--html", "with_html", is_flag=True, help="Also write an offline HTML copy.")
def run_command(
    notebook: str, out: Path, parameters: tuple[tuple[str, str], ...], params_file: Path | None, with_html: bool
) -> int:
    """Execute NOTEBOOK (a path, or a name in notebooks/) with strictly checked parameters."""
    from ..notebook.html import export_html
    from ..notebook.params import read_params_file
    from ..notebook.runner import NotebookFailed, NotebookInputError, run_notebook

    values: dict[str, Any] = read_params_file(params_file) if params_file else {}
    values.update(dict(parameters))
    try:
        done = run_notebook(notebook, out, values)
    except NotebookInputError as exc:
        click.echo(f"settlesync: error: {exc}", err=True)
        return EXIT_BAD_INPUT
    except NotebookFailed as exc:
        click.echo(f"settlesync: notebook failed: {exc}", err=True)
        return EXIT_NOTEBOOK_FAILED
    click.echo(f"executed notebook: {done.executed}", err=True)
    if with_html:
        click.echo(f"HTML: {export_html(done.executed, done.executed.with_suffix('.html'))}", err=True)
    return EXIT_OK if done.results is None or done.results.get("status", "Complete") == "Complete" else EXIT_FINDINGS

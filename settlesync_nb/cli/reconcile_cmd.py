"""``reconcile``: the test report of settlements against NetSuite, written to a run folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .app import EXIT_FINDINGS, EXIT_OK, cli

if TYPE_CHECKING:
    from ..reconcile import TestReport

# `--amazon a.txt b.txt` takes every following value up to the next option (see app.main).
amazon_option = click.option(
    "--amazon",
    "amazon",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="REPORT...",
    help="Amazon settlement report files (any variant, gzip or not).",
)
netsuite_option = click.option(
    "--netsuite",
    "netsuite",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="EXPORT...",
    help="NetSuite saved-search CSV exports.",
)
out_option = click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the results (created if needed).",
)
tolerance_option = click.option(
    "--tolerance",
    default=None,
    metavar="AMOUNT",
    help="Accept differences up to this amount, e.g. 0.01 (default: exact).",
)
cutoff_option = click.option(
    "--cutoff",
    default=None,
    metavar="YYYY-MM-DD",
    help="Leave out settlements that end before this date (listed as excluded).",
)
config_option = click.option(
    "--config",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML settings: basis, NetSuite column labels and types, category rules.",
)
resolutions_option = click.option(
    "--resolutions",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV or JSON file of rectified/cancelled errors.",
)


@cli.command()
@amazon_option
@netsuite_option
@out_option
@tolerance_option
@cutoff_option
@config_option
@resolutions_option
def reconcile(
    amazon: tuple[Path, ...],
    netsuite: tuple[Path, ...],
    out: Path,
    tolerance: str | None,
    cutoff: str | None,
    config: Path | None,
    resolutions: Path | None,
) -> int:
    """Compare settlements with NetSuite and write the settlement test report.

    Writes discrepancies.csv, test_report.json and settlement_summary.csv into OUT. Exit 0
    when the report is Complete, 1 when it has unresolved errors, 2 for bad input.
    """
    from ..pipeline import reconcile_files

    report = reconcile_files(
        amazon, netsuite, config=config, tolerance=tolerance, cutoff=cutoff, resolutions=resolutions
    )
    from ..reconcile import COMPLETE
    from ..rundir import write_run

    paths = write_run(report, out)
    echo_summary(report)
    click.echo(f"results in {paths['test_report.json'].parent}", err=True)
    return EXIT_OK if report.status == COMPLETE else EXIT_FINDINGS


def echo_summary(report: TestReport) -> None:
    """A short human summary on stderr (stdout stays free for callers)."""
    click.echo(f"test report: {report.status}", err=True)
    for result in report.settlements:
        found = ", ".join(f"{k} {v}" for k, v in result.counts.items() if v) or "no discrepancies"
        click.echo(f"  settlement {result.settlement.settlement_id}: {result.status} ({found})", err=True)
    for item in report.excluded:
        click.echo(f"  settlement {item.settlement_id}: excluded (ends before the cutoff)", err=True)
    if report.cancelled_postings:
        click.echo(f"  {report.cancelled_postings} cancelled posting(s): the synced data will be incomplete", err=True)
    for unused in report.unmatched_resolutions:
        click.echo(f"  warning: resolution for {unused.key} matches no error", err=True)

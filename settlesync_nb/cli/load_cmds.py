"""``inspect``, ``load`` and ``demo``: reading reports and writing the demo data set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .app import REPORT_FORMATS, cli

if TYPE_CHECKING:  # pandas and pyarrow load only when a command runs: `--help` stays instant
    from ..model import LoadResult

_reports = click.argument("reports", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
_format = click.option(
    "--format",
    "report_format",
    type=click.Choice(REPORT_FORMATS),
    default=None,
    help="Force the report variant instead of detecting it.",
)
_encoding = click.option("--encoding", default=None, help="Force the text encoding (default: detected).")


def _load(reports: tuple[Path, ...], report_format: str | None, encoding: str | None) -> LoadResult:
    from ..io import load_settlements

    return load_settlements(reports, format=report_format, encoding=encoding)


@cli.command()
@_reports
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per settlement.")
@_format
@_encoding
def inspect(reports: tuple[Path, ...], as_json: bool, report_format: str | None, encoding: str | None) -> int:
    """Load settlement REPORTS and describe each settlement: period, totals, whether it foots."""
    result = _load(reports, report_format, encoding)
    if as_json:
        click.echo(json.dumps(result.describe(), indent=2))
    else:
        for item in result.settlements:
            check = "foots" if item.consistent else "DOES NOT FOOT"
            click.echo(f"settlement {item.settlement_id} ({item.format}, {item.currency})")
            click.echo(f"  period   {_day(item.start)} to {_day(item.end)}, deposit {_day(item.deposit_date)}")
            click.echo(f"  total    {item.total_amount}; lines add up to {item.lines_total}: {check}")
            click.echo(f"  lines    {item.line_count} from {', '.join(item.sources)}")
    for dup in result.duplicates:
        same = "identical" if dup.identical else "DIFFERENT"
        click.echo(
            f"note: settlement {dup.settlement_id} met twice ({same} copies); kept {dup.kept_source}, "
            f"left out {dup.dropped_source}",
            err=True,
        )
    return 0


@cli.command()
@_reports
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file: .csv (UTF-8, decimal text) or .parquet (decimal128).",
)
@_format
@_encoding
def load(reports: tuple[Path, ...], out: Path, report_format: str | None, encoding: str | None) -> int:
    """Write the canonical lines of settlement REPORTS to one file, one row per amount."""
    from ..io.export import write_lines

    result = _load(reports, report_format, encoding)
    write_lines(result.lines, out)
    click.echo(f"wrote {len(result.lines)} lines of {len(result.settlements)} settlement(s) to {out}", err=True)
    return 0


@cli.command()
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write into.")
@click.option(
    "--lines",
    type=click.IntRange(min=1),
    default=None,
    help="Instead: one large settlement of this many lines and its NetSuite export (benchmarks).",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the generator (output is deterministic).")
def demo(out: Path, lines: int | None, seed: int) -> int:
    """Write the demo data set: Amazon settlement reports and a NetSuite export with planted discrepancies."""
    from ..demo import write_demo

    data = write_demo(out, lines=lines, seed=seed)
    for path in (*data.amazon, *data.netsuite):
        click.echo(str(path))
    return 0


def _day(value: object) -> str:
    return value.strftime("%Y-%m-%d") if value is not None else "?"  # type: ignore[attr-defined]

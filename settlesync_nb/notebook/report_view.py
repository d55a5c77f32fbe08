"""What the report notebook shows, one call per cell: status first, then details.

Every user string (order ids, SKUs, explanations, file names) is HTML-escaped here: pandas'
``to_html(escape=True)`` for tables and :func:`html.escape` for everything else.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..money import format_minor
from ..pipeline import reconcile_files
from ..reconcile import COMPLETE, TestReport
from ..rundir import write_run
from .inputs import choose_inputs, output_folder

TABLE_LIMIT = 500


def run_report(
    amazon: Sequence[str],
    netsuite: Sequence[str],
    *,
    tolerance: str = "",
    cutoff: str = "",
    config: str = "",
    resolutions: str = "",
    output_dir: str = "",
) -> tuple[TestReport, dict[str, Path]]:
    """Reconcile the given files (or the demo data) and write the run files.

    Empty strings mean "not given", so that notebook parameters can stay plain literals.
    """
    reports, exports = choose_inputs(amazon, netsuite)
    report = reconcile_files(
        reports,
        exports,
        config=config or None,
        tolerance=tolerance or None,
        cutoff=cutoff or None,
        resolutions=resolutions or None,
    )
    return report, write_run(report, output_folder(output_dir))


def status_html(report: TestReport) -> str:
    """The status banner: Complete or Errors, and what blocks."""
    counts = report.describe_dict()
    css = "complete" if report.status == COMPLETE else "errors"
    parts = [f'<div class="settlesync-status {css}">Settlement test report: {html.escape(report.status)}</div>', "<ul>"]
    for result in report.settlements:
        item = result.settlement
        found = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.counts.items() if v) or "no discrepancies"
        foot = "foots" if item.consistent else f"does NOT foot (lines {item.lines_total})"
        parts.append(
            f"<li><b>{html.escape(item.settlement_id)}</b> ({html.escape(item.currency)} "
            f"{html.escape(item.total_amount)}, {foot}): {html.escape(result.status)}; {html.escape(found)}</li>"
        )
    parts.append("</ul>")
    parts.append(
        f"<p>{counts['unresolved_errors']} unresolved error(s) of {counts['errors']}; "
        f"{counts['cancelled_postings']} cancelled posting(s).</p>"
    )
    if report.cancelled_postings:
        parts.append("<p><b>Cancelled postings mean the data synced to NetSuite will not be complete.</b></p>")
    if report.excluded:
        ids = ", ".join(html.escape(s.settlement_id) for s in report.excluded)
        parts.append(f'<p class="settlesync-note">Excluded by the cutoff: {ids}</p>')
    return "\n".join(parts)


def discrepancy_frame(report: TestReport, limit: int = TABLE_LIMIT) -> tuple[pd.DataFrame, int]:
    """Errors first, then info; amounts as exact decimal strings; at most ``limit`` rows."""
    d = report.discrepancies.sort_values(["severity", "kind", "order_id"], na_position="last")
    shown = d.head(limit)
    money = {
        c: [
            None if pd.isna(v) else format_minor(int(v), str(cur) or "USD")
            for v, cur in zip(shown[c], shown["currency"].fillna(""), strict=True)
        ]
        for c in ("amazon_minor", "netsuite_minor", "difference_minor")
    }
    table = pd.DataFrame(
        {
            "settlement": shown["settlement_id"],
            "type": shown["transaction_type"],
            "order": shown["order_id"],
            "kind": shown["kind"],
            "severity": shown["severity"],
            "Amazon": money["amazon_minor"],
            "NetSuite": money["netsuite_minor"],
            "difference": money["difference_minor"],
            "currency": shown["currency"],
            "NetSuite documents": shown["netsuite_documents"],
            "explanation": shown["explanation"],
            "resolution": shown["resolution"],
        }
    )
    return table, len(d)


def discrepancies_html(report: TestReport, limit: int = TABLE_LIMIT) -> str:
    """The discrepancy table (escaped), with a note when it is cut."""
    table, total = discrepancy_frame(report, limit)
    if total == 0:
        return "<p>No discrepancies: every Amazon order and refund matches NetSuite.</p>"
    note = f'<p class="settlesync-note">Showing {len(table)} of {total} rows; all are in discrepancies.csv.</p>'
    shown = table.astype(object).where(table.notna(), "")  # None and <NA> show as empty cells
    return (note if len(table) < total else "") + shown.to_html(index=False, escape=True)


def summary_html(report: TestReport) -> str:
    """Category totals per settlement (exact), with the report's own total and the lines total."""
    blocks = []
    for result in report.settlements:
        item = result.settlement
        rows = report.summary[report.summary["settlement_id"] == item.settlement_id]
        table = pd.DataFrame(
            {
                "category": rows["category"].astype(str),
                "amount": [format_minor(int(v), item.currency) for v in rows["amount_minor"]],
                "lines": rows["line_count"],
            }
        )
        totals = pd.DataFrame(
            {
                "category": ["lines total", "report total"],
                "amount": [item.lines_total, item.total_amount],
                "lines": [item.line_count, ""],
            }
        )
        table = pd.concat([table, totals], ignore_index=True)
        blocks.append(
            f"<h4>Settlement {html.escape(item.settlement_id)} ({html.escape(item.currency)})</h4>"
            + table.to_html(index=False, escape=True)
        )
    return "\n".join(blocks)


def results(report: TestReport, files: dict[str, Path]) -> dict[str, Any]:
    """The notebook's machine-readable outcome (recorded by its last cell)."""
    summary = report.describe_dict()
    return {
        "status": report.status,
        "counts": summary["counts"],
        "errors": summary["errors"],
        "unresolved_errors": summary["unresolved_errors"],
        "cancelled_postings": summary["cancelled_postings"],
        "settlements": [
            {"settlement_id": s["settlement_id"], "status": s["status"], "consistent": s["consistent"]}
            for s in summary["settlements"]
        ],
        "excluded_settlements": summary["excluded_settlements"],
        "fingerprint": summary["fingerprint"],
        "files": {name: str(path) for name, path in files.items()},
    }


def show(figure: Any) -> None:
    """Display a plotly figure as plotly's own mimetype (JupyterLab and Voila draw it; the
    HTML export turns it into a div drawn by the page's single copy of plotly.js)."""
    import plotly.io as pio
    from IPython.display import display

    bundle = pio.renderers["plotly_mimetype"].to_mimebundle(figure)
    title = figure.layout.title.text or "figure"
    display({**bundle, "text/plain": f"<figure: {title}>"}, raw=True)


def html_block(markup: str) -> None:
    """Display trusted markup built by this module (its user strings are already escaped)."""
    from IPython.display import HTML, display

    display(HTML(markup))

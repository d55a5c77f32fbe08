"""What the sign-off panel shows, as escaped HTML built from the service's status (pure).

:mod:`.signoff_panel` only arranges these pieces and calls the service; every decision (may
sync be enabled?) is the service's.
"""

from __future__ import annotations

import html
from typing import Any

from ..signoff import CANCELLED_WARNING, CUTOFF_DAYS, TITLES, AuditEntry, SignoffStatus

AUDIT_SHOWN = 25
ERRORS_SHOWN = 200


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def checklist_html(status: SignoffStatus) -> str:
    """Each gate condition with a tick or a cross, and the warnings."""
    rows = []
    for condition in status.gate.conditions:
        mark = "&#10004;" if condition.met else "&#10008;"
        colour = "#1e6b34" if condition.met else "#a4161a"
        rows.append(
            f'<tr><td style="color:{colour};font-weight:bold">{mark}</td>'
            f"<td>{_e(TITLES.get(condition.name, condition.name))}</td><td>{_e(condition.detail)}</td></tr>"
        )
    verdict = (
        "Settlement Sync may be enabled" if status.gate.passed else f"{len(status.gate.unmet)} condition(s) still unmet"
    )
    warnings = "".join(f"<li>{_e(w)}</li>" for w in status.gate.warnings)
    sync = "ON" if status.sync_enabled else "OFF"
    return (
        f'<p class="settlesync-verdict"><b>{_e(verdict)}</b>. Settlement Sync is currently <b>{sync}</b>'
        f"{_e(' (for this run, cutoff ' + str(status.cutoff) + ')') if status.enabled_for_this_run else ''}.</p>"
        f'<table class="settlesync-checklist">{"".join(rows)}</table>' + (f"<ul>{warnings}</ul>" if warnings else "")
    )


def errors_html(status: SignoffStatus) -> str:
    """The run's errors and how each stands."""
    if not status.errors:
        return "<p>The test report has no errors.</p>"
    rows = []
    for item in status.errors[:ERRORS_SHOWN]:
        state = item.resolution or "open"
        who = f" by {item.reviewer}" if item.reviewer else ""
        rows.append(f"<tr><td>{_e(item.item.describe())}</td><td>{_e(state + who)}</td><td>{_e(item.note)}</td></tr>")
    more = len(status.errors) - ERRORS_SHOWN
    note = f"<p>Showing {ERRORS_SHOWN} of {len(status.errors)} errors.</p>" if more > 0 else ""
    return (
        note
        + "<table><thead><tr><th>error</th><th>status</th><th>note</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def cancelled_html(status: SignoffStatus) -> str:
    """The cancelled postings count with Oracle's warning."""
    count = status.cancelled_postings
    if not count:
        return "<p>No cancelled postings.</p>"
    return f"<p><b>{count} cancelled posting(s)</b>: {_e(CANCELLED_WARNING)}.</p>"


def compare_html(suggestion: dict[str, Any] | None) -> str:
    """One suggested order with Amazon and NetSuite amounts side by side."""
    if not suggestion:
        return "<p>No matched order of this kind in the report to compare.</p>"
    rows = []
    for side in ("order", "refund"):
        part = suggestion.get(side)
        if part:
            rows.append(
                f"<tr><td>{side}</td><td>{_e(part['amazon_amount'])}</td><td>{_e(part['netsuite_amount'])}</td>"
                f"<td>{_e(part['netsuite_documents'])}</td><td>{_e(', '.join(part['settlements']))}</td></tr>"
            )
    return (
        f"<p>Order <b>{_e(suggestion['order_id'])}</b> ({_e(suggestion['currency'])}): open it in NetSuite and "
        "check these amounts.</p><table><thead><tr><th></th><th>Amazon</th><th>NetSuite</th>"
        "<th>NetSuite documents</th><th>settlements</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def audit_html(entries: tuple[AuditEntry, ...]) -> str:
    """The latest audit log entries, newest first."""
    rows = [
        f"<tr><td>{e.seq}</td><td>{_e(e.recorded_at)}</td><td>{_e(e.actor)}</td><td>{_e(e.action)}</td>"
        f"<td><code>{_e(e.hash[:12])}</code></td></tr>"
        for e in reversed(entries[-AUDIT_SHOWN:])
    ]
    if not rows:
        return "<p>No sign-off recorded yet.</p>"
    return (
        "<table><thead><tr><th>#</th><th>when (UTC)</th><th>who</th><th>what</th><th>hash</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def cutoff_hint() -> str:
    """Oracle's recommendation for the cutoff."""
    return f"Oracle recommends a cutoff at least {CUTOFF_DAYS} days back."

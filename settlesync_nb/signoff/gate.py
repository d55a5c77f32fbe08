"""The sign-off gate: when Settlement Sync may be enabled for a run (Oracle's checklist).

Beyond the checklist, the records it rests on must verify (:func:`store_intact`): an approval
edited in the database directly cannot switch sync on.

Pure: each condition is a small function of one :class:`GateInput` returning a
:class:`Condition`, listed in the ordered tuple :data:`CONDITIONS`; :func:`evaluate` runs them
all. No file, no database, no clock: ``today`` arrives in the input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from .facts import Condition, ErrorItem, GateInput, GateResult, StoredResolution, effective_resolutions

CANCELLED = "cancelled"
CANCELLED_WARNING = "cancelled postings are not synced to NetSuite, so the synced data will not be complete"
CUTOFF_DAYS = 20  # Oracle recommends a cutoff at least this many days back
LISTED = 10

REPORT_COMPLETE = "report_complete"
CANCELLED_ACKNOWLEDGED = "cancelled_acknowledged"
ORDERS_COMPARED = "orders_compared"
CONNECTOR_LIVE = "connector_live"
CUTOFF_SET = "cutoff_set"
INPUTS_UNCHANGED = "inputs_unchanged"
APPROVAL_CURRENT = "approval_current"
STORE_INTACT = "store_intact"

TITLES = {
    REPORT_COMPLETE: "test report Complete once resolutions are applied",
    CANCELLED_ACKNOWLEDGED: "cancelled postings acknowledged",
    ORDERS_COMPARED: "a refunded and a non-refunded order compared and confirmed",
    CONNECTOR_LIVE: "connector confirmed live",
    CUTOFF_SET: "cutoff date set",
    INPUTS_UNCHANGED: "input files unchanged since the run",
    APPROVAL_CURRENT: "approval made after the latest resolution",
    STORE_INTACT: "audit log and sign-off records intact",
}
NO_APPROVAL = "no approval recorded yet"

Rule = Callable[[GateInput], Condition]


def _listed(items: list[str]) -> str:
    more = f"; and {len(items) - LISTED} more" if len(items) > LISTED else ""
    return "; ".join(items[:LISTED]) + more


def count_cancelled(errors: Iterable[ErrorItem], resolutions: Iterable[StoredResolution]) -> int:
    """Errors whose posting is cancelled, the report's and the stored resolutions applied."""
    return sum(1 for action in effective_resolutions(errors, resolutions).values() if action == CANCELLED)


def cancelled_count(g: GateInput) -> int:
    """Cancelled postings of the gate's run (see :func:`count_cancelled`)."""
    return count_cancelled(g.report.errors, g.resolutions)


def report_complete(g: GateInput) -> Condition:
    """Every error of the report is rectified or cancelled."""
    resolved = effective_resolutions(g.report.errors, g.resolutions)
    total = len(g.report.errors)
    still_open = [e.describe() for e in g.report.errors if resolved[e.key] is None]
    if not still_open:
        detail = f"Complete: {total} error(s), each rectified or cancelled" if total else "Complete: no errors"
        return Condition(REPORT_COMPLETE, True, detail)
    detail = f"{len(still_open)} of {total} error(s) neither rectified nor cancelled: {_listed(still_open)}"
    return Condition(REPORT_COMPLETE, False, detail)


def cancelled_acknowledged(g: GateInput) -> Condition:
    """Cancelled postings, when there are any, were acknowledged at their current count."""
    count = cancelled_count(g)
    if count == 0:
        return Condition(CANCELLED_ACKNOWLEDGED, True, "no cancelled postings")
    warning = f"{count} cancelled posting(s): {CANCELLED_WARNING}"
    approval = g.approval
    if approval is None or not approval.ack_cancelled:
        return Condition(CANCELLED_ACKNOWLEDGED, False, f"{count} cancelled posting(s) not acknowledged", warning)
    if approval.cancelled_count != count:
        detail = f"{approval.cancelled_count} cancelled posting(s) acknowledged, but there are now {count}"
        return Condition(CANCELLED_ACKNOWLEDGED, False, detail, warning)
    return Condition(CANCELLED_ACKNOWLEDGED, True, f"{count} cancelled posting(s) acknowledged", warning)


def orders_compared(g: GateInput) -> Condition:
    """A suggested non-refunded and a suggested refunded order were compared and confirmed."""
    approval = g.approval
    if approval is None:
        return Condition(ORDERS_COMPARED, False, NO_APPROVAL)
    problems = []
    for label, checked, valid in (
        ("non-refunded", approval.checked_order, g.report.not_refunded),
        ("refunded", approval.checked_refund, g.report.refunded),
    ):
        if checked not in valid:
            options = ", ".join(valid) if valid else "none suggested by the report"
            problems.append(f"{label} order {checked!r} is not a suggested one (valid options are: {options})")
    if problems:
        return Condition(ORDERS_COMPARED, False, "; ".join(problems))
    detail = f"non-refunded order {approval.checked_order} and refunded order {approval.checked_refund} confirmed"
    return Condition(ORDERS_COMPARED, True, detail)


def connector_live(g: GateInput) -> Condition:
    """The reviewer confirmed the connector is live (orders already sync)."""
    if g.approval is None:
        return Condition(CONNECTOR_LIVE, False, NO_APPROVAL)
    if not g.approval.connector_live:
        return Condition(CONNECTOR_LIVE, False, "not confirmed: orders must already sync through the connector")
    return Condition(CONNECTOR_LIVE, True, f"confirmed by {g.approval.reviewer}")


def cutoff_set(g: GateInput) -> Condition:
    """A cutoff date is set; one fewer than 20 days before today only warns."""
    if g.approval is None:
        return Condition(CUTOFF_SET, False, NO_APPROVAL)
    cutoff = g.approval.cutoff
    return Condition(CUTOFF_SET, True, f"cutoff {cutoff.isoformat()}", cutoff_warning(cutoff, g.today))


def cutoff_warning(cutoff: date, today: date) -> str:
    """Oracle's recommendation, when the cutoff is fewer than 20 days before ``today``."""
    days = (today - cutoff).days
    if days >= CUTOFF_DAYS:
        return ""
    when = f"{days} day(s) before today ({today.isoformat()})" if days >= 0 else f"after today ({today.isoformat()})"
    return f"cutoff {cutoff.isoformat()} is {when}; Oracle recommends at least {CUTOFF_DAYS} days back"


def inputs_unchanged(g: GateInput) -> Condition:
    """Every file the run was made from exists and still has its recorded sha256."""
    if not g.inputs:
        return Condition(INPUTS_UNCHANGED, False, "the test report lists no input files to check")
    missing = [i.path for i in g.inputs if i.found is None]
    changed = [i.path for i in g.inputs if i.found is not None and not i.ok]
    if not missing and not changed:
        return Condition(INPUTS_UNCHANGED, True, f"{len(g.inputs)} input file(s) unchanged")
    parts = [f"changed: {_listed(changed)}"] if changed else []
    parts += [f"missing: {_listed(missing)}"] if missing else []
    detail = "; ".join(parts) + " (the approval is stale: reconcile again and review the new run)"
    return Condition(INPUTS_UNCHANGED, False, detail)


def approval_current(g: GateInput) -> Condition:
    """An approval exists and no resolution was recorded after it."""
    approval = g.approval
    if approval is None:
        return Condition(APPROVAL_CURRENT, False, NO_APPROVAL)
    later = [r for r in g.resolutions if r.seq > approval.seq]
    if later:
        last = max(later, key=lambda r: r.seq)
        detail = (
            f"approved at {approval.recorded_at}, before the resolution recorded at {last.recorded_at} "
            "(the approval is stale: approve again)"
        )
        return Condition(APPROVAL_CURRENT, False, detail)
    return Condition(APPROVAL_CURRENT, True, f"approved by {approval.reviewer} at {approval.recorded_at}")


def store_intact(g: GateInput) -> Condition:
    """The store verifies: no approval or resolution it holds was edited outside the service."""
    if not g.store_problems:
        return Condition(STORE_INTACT, True, "the audit log verifies and the records match it")
    more = f" (and {len(g.store_problems) - 1} more)" if len(g.store_problems) > 1 else ""
    detail = f"tampering found: {g.store_problems[0]}{more}; see `settlesync signoff verify`"
    return Condition(STORE_INTACT, False, detail)


CONDITIONS: tuple[Rule, ...] = (
    report_complete,
    cancelled_acknowledged,
    orders_compared,
    connector_live,
    cutoff_set,
    inputs_unchanged,
    approval_current,
    store_intact,
)


def evaluate(g: GateInput, conditions: tuple[Rule, ...] = CONDITIONS) -> GateResult:
    """Run every condition, in order."""
    return GateResult(tuple(rule(g) for rule in conditions))

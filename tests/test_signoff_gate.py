"""The sign-off gate, condition by condition, over plain values (no files, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from settlesync_nb.signoff import CONDITIONS, Approval, ErrorItem, GateInput, InputState, ReportFacts, evaluate
from settlesync_nb.signoff.facts import StoredResolution, effective_resolutions
from settlesync_nb.signoff.gate import (
    CANCELLED_WARNING,
    approval_current,
    cancelled_acknowledged,
    connector_live,
    cutoff_set,
    inputs_unchanged,
    orders_compared,
    report_complete,
    store_intact,
)

TODAY = date(2026, 9, 20)
C = ErrorItem("1001", "amount_mismatch", "C", "Order")
D = ErrorItem("1001", "missing_in_netsuite", "D", "Order")
S = ErrorItem("1001", "settlement_inconsistent")
REPORT = ReportFacts("run1", "fp", (C, D), ("A",), ("B",), ())


def resolution(item: ErrorItem, action: str, seq: int) -> StoredResolution:
    return StoredResolution(item.key, action, "alice", "note", f"2026-09-20T10:00:0{seq}+00:00", seq)


def approval(seq: int = 10, **changes: object) -> Approval:
    base = Approval("bob", date(2026, 8, 1), "B", "A", True, False, 0, "2026-09-20T11:00:00+00:00", seq)
    return replace(base, **changes)  # type: ignore[arg-type]


def state(**changes: object) -> GateInput:
    resolved = (resolution(C, "rectified", 1), resolution(D, "rectified", 2))
    files = (InputState("s.txt", "amazon", "aa", "aa"), InputState("ns.csv", "netsuite", "bb", "bb"))
    base = GateInput(REPORT, resolved, approval(), files, TODAY)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_everything_met_passes() -> None:
    """With errors resolved, a full approval and unchanged inputs, every condition is met."""
    result = evaluate(state())
    assert result.passed and not result.unmet
    assert [c.name for c in result.conditions] == [rule.__name__ for rule in CONDITIONS]


def test_open_error_blocks_and_is_listed() -> None:
    """An error with no resolution leaves the report not Complete and is named."""
    condition = report_complete(state(resolutions=(resolution(C, "rectified", 1),)))
    assert not condition.met
    assert "1 of 2" in condition.detail and "order D (Order): missing_in_netsuite" in condition.detail
    assert not evaluate(state(resolutions=())).passed


def test_report_without_errors_is_complete() -> None:
    """A report with no errors is Complete without any resolution."""
    condition = report_complete(state(report=replace(REPORT, errors=()), resolutions=()))
    assert condition.met and "no errors" in condition.detail


def test_resolutions_from_the_report_count() -> None:
    """An error resolved in the report's own resolutions file needs no stored resolution."""
    report = replace(REPORT, errors=(replace(C, resolution="rectified"), replace(D, resolution="cancelled")))
    assert report_complete(state(report=report, resolutions=())).met


def test_settlement_level_error_is_resolved_by_its_key() -> None:
    """A settlement finding is resolved by settlement id and kind, not by an order."""
    report = replace(REPORT, errors=(S,))
    assert not report_complete(state(report=report, resolutions=(resolution(C, "rectified", 1),))).met
    assert report_complete(state(report=report, resolutions=(resolution(S, "rectified", 1),))).met


def test_latest_stored_resolution_wins() -> None:
    """A later resolution of the same error replaces the earlier one, whatever the report said."""
    stored = (resolution(C, "cancelled", 5), resolution(C, "rectified", 3))
    assert effective_resolutions((replace(C, resolution="rectified"),), stored) == {C.key: "cancelled"}


def test_no_cancelled_postings_need_no_acknowledgement() -> None:
    """With nothing cancelled the condition holds even without an approval."""
    assert cancelled_acknowledged(state(approval=None)).met


def test_cancelled_postings_need_acknowledgement_with_oracle_warning() -> None:
    """A cancelled posting blocks until acknowledged, and the warning says the data will be incomplete."""
    resolved = (resolution(C, "rectified", 1), resolution(D, "cancelled", 2))
    condition = cancelled_acknowledged(state(resolutions=resolved))
    assert not condition.met
    assert "1 cancelled posting(s)" in condition.detail and CANCELLED_WARNING in condition.warning
    assert "will not be complete" in CANCELLED_WARNING
    acknowledged = cancelled_acknowledged(
        state(resolutions=resolved, approval=approval(ack_cancelled=True, cancelled_count=1))
    )
    assert acknowledged.met and CANCELLED_WARNING in acknowledged.warning


def test_cancelled_in_the_report_count_too() -> None:
    """Postings cancelled in the report's resolutions file are counted with the stored ones."""
    report = replace(REPORT, errors=(replace(C, resolution="cancelled"), D))
    g = state(report=report, resolutions=(resolution(D, "cancelled", 2),))
    assert "2 cancelled" in cancelled_acknowledged(g).detail


def test_acknowledged_count_must_still_hold() -> None:
    """An acknowledgement of one cancelled posting does not cover two."""
    resolved = (resolution(C, "cancelled", 1), resolution(D, "cancelled", 2))
    condition = cancelled_acknowledged(
        state(resolutions=resolved, approval=approval(ack_cancelled=True, cancelled_count=1))
    )
    assert not condition.met and "there are now 2" in condition.detail


def test_compared_orders_must_be_suggested_ones() -> None:
    """Checked orders outside the report's suggestions are refused with the valid options."""
    assert orders_compared(state()).met
    condition = orders_compared(state(approval=approval(checked_refund="B")))
    assert not condition.met and "refunded order 'B'" in condition.detail and "valid options are: A" in condition.detail
    assert not orders_compared(state(approval=approval(checked_order="A"))).met
    assert "no approval" in orders_compared(state(approval=None)).detail


def test_no_suggested_refund_says_so() -> None:
    """A report that suggests no refunded order cannot pass, and the detail says none was suggested."""
    condition = orders_compared(state(report=replace(REPORT, refunded=())))
    assert not condition.met and "none suggested" in condition.detail


def test_connector_must_be_confirmed_live() -> None:
    """An approval that does not confirm the connector is live leaves the condition unmet."""
    assert connector_live(state()).met
    assert not connector_live(state(approval=approval(connector_live=False))).met
    assert not connector_live(state(approval=None)).met


def test_cutoff_is_set_by_the_approval() -> None:
    """Without an approval there is no cutoff; with one the cutoff is shown."""
    assert not cutoff_set(state(approval=None)).met
    condition = cutoff_set(state())
    assert condition.met and "2026-08-01" in condition.detail and not condition.warning


def test_recent_cutoff_only_warns() -> None:
    """A cutoff fewer than 20 days back is met with Oracle's recommendation as a warning."""
    recent = cutoff_set(state(approval=approval(cutoff=date(2026, 9, 10))))
    assert recent.met and "10 day(s) before today" in recent.warning and "20 days" in recent.warning
    assert not cutoff_set(state(approval=approval(cutoff=date(2026, 8, 31)))).warning  # exactly 20 days
    assert cutoff_set(state(approval=approval(cutoff=date(2026, 8, 31)), today=date(2026, 9, 19))).warning
    future = cutoff_set(state(approval=approval(cutoff=date(2026, 10, 1))))
    assert future.met and "after today" in future.warning
    assert evaluate(state(approval=approval(cutoff=date(2026, 9, 10)))).passed


def test_changed_or_missing_inputs_make_the_approval_stale() -> None:
    """A file whose sha256 changed, or that is gone, is listed and blocks."""
    assert inputs_unchanged(state()).met
    changed = (InputState("s.txt", "amazon", "aa", "zz"), InputState("ns.csv", "netsuite", "bb", None))
    condition = inputs_unchanged(state(inputs=changed))
    assert not condition.met
    assert "changed: s.txt" in condition.detail and "missing: ns.csv" in condition.detail
    assert "stale" in condition.detail


def test_a_report_listing_no_inputs_cannot_be_checked() -> None:
    """With no input fingerprints there is nothing to prove the inputs unchanged: unmet."""
    assert not inputs_unchanged(state(inputs=())).met


def test_resolution_after_the_approval_makes_it_stale() -> None:
    """An approval must come after the latest resolution (by audit order, not by clock)."""
    assert approval_current(state()).met
    later = (resolution(C, "rectified", 1), resolution(D, "rectified", 11))
    condition = approval_current(state(resolutions=later))
    assert not condition.met and "approve again" in condition.detail
    assert not approval_current(state(approval=None)).met


def test_tampered_store_blocks() -> None:
    """When verify finds tampering the gate fails, naming the first problem."""
    assert store_intact(state()).met
    condition = store_intact(state(store_problems=("approvals seq 4: differs", "audit_log seq 5: edited")))
    assert not condition.met and "approvals seq 4: differs (and 1 more)" in condition.detail


def test_result_lists_warnings_and_unmet_in_order() -> None:
    """``warnings`` and ``unmet`` are derived from the conditions, in order."""
    resolved = (resolution(C, "cancelled", 1), resolution(D, "rectified", 2))
    result = evaluate(state(resolutions=resolved, approval=approval(cutoff=date(2026, 9, 15), connector_live=False)))
    assert [c.name for c in result.unmet] == ["cancelled_acknowledged", "connector_live"]
    assert len(result.warnings) == 2 and CANCELLED_WARNING in result.warnings[0]
    assert result.describe_dict()["passed"] is False

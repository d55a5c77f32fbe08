"""Reconciling the demo data set finds exactly the discrepancies it plants (expected.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from settlesync_nb.demo import DemoDataSet, write_demo
from settlesync_nb.pipeline import reconcile_files
from settlesync_nb.reconcile import ERRORS, TestReport


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoDataSet, dict[str, Any], TestReport]:
    data = write_demo(tmp_path_factory.mktemp("demo"))
    assert data.expected is not None
    expected = json.loads(data.expected.read_text(encoding="utf-8"))
    return data, expected, reconcile_files(data.amazon, data.netsuite)


def test_every_planted_discrepancy_and_nothing_else(demo: tuple[DemoDataSet, dict[str, Any], TestReport]) -> None:
    """The report's (kind, order, type, settlement) rows equal the planted ones."""
    _, expected, report = demo
    # an unclassified line is reported with the line's own transaction type
    want = {
        (d["kind"], d["order_id"], d.get("line_transaction_type", d["transaction_type"]), d["settlement_id"])
        for d in expected["discrepancies"]
    }
    d = report.discrepancies
    got = {
        (k, o if isinstance(o, str) else None, t if isinstance(t, str) else None, s if isinstance(s, str) else None)
        for k, o, t, s in zip(d["kind"], d["order_id"], d["transaction_type"], d["settlement_id"], strict=True)
    }
    assert got == want


def test_duplicate_settlement_severity_follows_identity(demo: tuple[DemoDataSet, dict[str, Any], TestReport]) -> None:
    """The identical copy is info, the differing copy an error."""
    _, expected, report = demo
    d = report.discrepancies
    severity = dict(
        zip(
            d.loc[d["kind"] == "duplicate_settlement", "settlement_id"],
            d.loc[d["kind"] == "duplicate_settlement", "severity"],
            strict=True,
        )
    )
    planted = {
        x["settlement_id"]: x["identical"] for x in expected["discrepancies"] if x["kind"] == "duplicate_settlement"
    }
    assert severity == {sid: "info" if same else "error" for sid, same in planted.items()}


def test_settlement_totals_match_the_manifest(demo: tuple[DemoDataSet, dict[str, Any], TestReport]) -> None:
    """Each settlement's total, lines total and consistency are as planted."""
    _, expected, report = demo
    got = {
        s.settlement.settlement_id: (s.settlement.total_amount, s.settlement.lines_total, s.settlement.consistent)
        for s in report.settlements
    }
    assert got == {
        s["settlement_id"]: (s["total_amount"], s["lines_total"], s["consistent"]) for s in expected["settlements"]
    }
    assert report.status == ERRORS


def test_split_order_matches_and_rounding_is_explained(demo: tuple[DemoDataSet, dict[str, Any], TestReport]) -> None:
    """The order split across settlements matches NetSuite; the one-cent mismatch says rounding."""
    _, expected, report = demo
    d = report.discrepancies.set_index("order_id")
    for item in expected["explanations"]:
        if item["reason"] == "split across settlements":
            assert item["order_id"] not in d.index
        if item["reason"] == "rounding":
            assert "rounding" in d.at[item["order_id"], "explanation"]


def test_resolving_every_error_makes_the_demo_complete(demo: tuple[DemoDataSet, dict[str, Any], TestReport]) -> None:
    """Cancelling every error makes the report Complete and counts them as cancelled postings."""
    data, _, report = demo
    from settlesync_nb.reconcile import Resolution

    decided = [
        Resolution(
            "cancelled",
            "demo",
            "accepted for the demo",
            order_id=e["order_id"],
            transaction_type=e["transaction_type"],
            settlement_id=e["settlement_id"],
            kind=e["kind"],
        )
        for e in report.error_items()
    ]
    resolved = reconcile_files(data.amazon, data.netsuite, resolutions=decided)
    assert resolved.status == "Complete"
    assert resolved.cancelled_postings == len(decided)
    assert resolved.unmatched_resolutions == ()


def test_demo_reconcile_json_is_deterministic(
    tmp_path: Path, demo: tuple[DemoDataSet, dict[str, Any], TestReport]
) -> None:
    """Two runs over the same files give the same test_report.json apart from paths."""
    data, _, report = demo
    again = reconcile_files(data.amazon, data.netsuite)
    assert json.dumps(report.describe_dict(), sort_keys=True) == json.dumps(again.describe_dict(), sort_keys=True)

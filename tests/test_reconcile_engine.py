"""End-to-end reconciliation on tiny scenario files (real loaders, no mocks)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from builders import NETSUITE_HEADER, line, order, refund, sale, write_netsuite, write_v2

from settlesync_nb.config import Settings, settings_from_dict
from settlesync_nb.pipeline import reconcile_files
from settlesync_nb.reconcile import COMPLETE, ERRORS, Resolution, TestReport


def run(
    tmp_path: Path, reports: list[tuple[str, list[dict[str, str]]]], netsuite: list[tuple[str, ...]], **options: object
) -> TestReport:
    amazon = [write_v2(tmp_path / f"s{i}.txt", sid, rows) for i, (sid, rows) in enumerate(reports)]
    export = write_netsuite(tmp_path / "ns.csv", netsuite)
    return reconcile_files(amazon, [export], **options)  # type: ignore[arg-type]


def kinds(report: TestReport) -> dict[tuple[str | None, str | None], str]:
    d = report.discrepancies
    return {(o, t): k for o, t, k in zip(d["order_id"], d["transaction_type"], d["kind"], strict=True)}


def test_matching_order_gives_complete_report(tmp_path: Path) -> None:
    """An order whose principal, tax and promotion equal the NetSuite amount is no discrepancy."""
    report = run(tmp_path, [("1001", order("A", "10.00", tax="0.80", promotion="-1.00"))], [sale("1", "A", "9.80")])
    assert report.status == COMPLETE
    assert report.discrepancies.empty
    assert report.settlements[0].status == COMPLETE


def test_fees_and_withheld_tax_are_outside_the_default_basis(tmp_path: Path) -> None:
    """Commission and marketplace facilitator tax lines do not change the compared amount."""
    rows = [
        *order("A", "10.00", tax="0.80"),
        line("Order", "A", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", "-0.80"),
    ]
    report = run(tmp_path, [("1001", rows)], [sale("1", "A", "10.80")])
    assert report.status == COMPLETE


def test_net_of_fees_basis_from_config(tmp_path: Path) -> None:
    """With basis net-of-fees the commission is part of the compared amount."""
    settings = settings_from_dict({"basis": "net-of-fees"})
    report = run(tmp_path, [("1001", order("A", "10.00"))], [sale("1", "A", "9.00")], settings=settings)
    assert report.status == COMPLETE


def test_missing_in_netsuite(tmp_path: Path) -> None:
    """An Amazon order with no NetSuite record is an error."""
    report = run(tmp_path, [("1001", order("A", "10.00") + order("B", "5.00"))], [sale("1", "A", "10.00")])
    assert kinds(report) == {("B", "Order"): "missing_in_netsuite"}
    assert report.status == ERRORS
    row = report.discrepancies.iloc[0]
    assert row["amazon_minor"] == 500 and row["settlement_id"] == "1001"


def test_amount_mismatch_and_tolerance(tmp_path: Path) -> None:
    """A one-cent difference fails exactly, passes with --tolerance 0.01, and is explained as rounding."""
    reports = [("1001", order("A", "10.00"))]
    exact = run(tmp_path, reports, [sale("1", "A", "9.99")])
    assert kinds(exact) == {("A", "Order"): "amount_mismatch"}
    assert exact.discrepancies.iloc[0]["difference_minor"] == 1
    assert "rounding" in exact.discrepancies.iloc[0]["explanation"]
    assert run(tmp_path, reports, [sale("1", "A", "9.99")], tolerance="0.01").status == COMPLETE
    assert run(tmp_path, reports, [sale("1", "A", "9.98")], tolerance="0.01").status == ERRORS


def test_refunds_compared_by_magnitude_whatever_the_sign(tmp_path: Path) -> None:
    """A refund of -4.00 matches NetSuite 4.00, -4.00 and (4.00)."""
    for amount in ("4.00", "-4.00", "(4.00)"):
        report = run(
            tmp_path,
            [("1001", order("A", "10.00") + refund("A", "-4.00"))],
            [sale("1", "A", "10.00"), sale("2", "A", amount, kind="Credit Memo")],
        )
        assert report.status == COMPLETE, amount


def test_duplicate_in_netsuite_is_the_only_kind_reported(tmp_path: Path) -> None:
    """Two live records for one order give duplicate_in_netsuite and not also amount_mismatch."""
    report = run(tmp_path, [("1001", order("A", "10.00"))], [sale("1", "A", "10.00"), sale("2", "A", "10.00")])
    assert kinds(report) == {("A", "Order"): "duplicate_in_netsuite"}
    assert "Cash Sale DOC1" in report.discrepancies.iloc[0]["netsuite_documents"]


def test_two_partial_refunds_with_two_records_are_not_duplicates(tmp_path: Path) -> None:
    """Two refund adjustments on Amazon may rightly have two NetSuite credit memos."""
    rows = order("A", "10.00") + refund("A", "-3.00", adjustment="R1") + refund("A", "-2.00", adjustment="R2")
    report = run(
        tmp_path,
        [("1001", rows)],
        [
            sale("1", "A", "10.00"),
            sale("2", "A", "3.00", kind="Credit Memo"),
            sale("3", "A", "2.00", kind="Credit Memo"),
        ],
    )
    assert report.status == COMPLETE


def test_cancelled_posting_is_not_also_missing(tmp_path: Path) -> None:
    """An order whose only NetSuite record is Voided is cancelled_posting only."""
    report = run(tmp_path, [("1001", order("A", "10.00"))], [sale("1", "A", "10.00", status="Voided")])
    assert kinds(report) == {("A", "Order"): "cancelled_posting"}


def test_currency_mismatch(tmp_path: Path) -> None:
    """A USD settlement order recorded in EUR is a currency mismatch."""
    report = run(tmp_path, [("1001", order("A", "10.00"))], [sale("1", "A", "10.00", currency="EUR")])
    assert kinds(report) == {("A", "Order"): "currency_mismatch"}


def test_missing_in_amazon_is_info_and_does_not_fail(tmp_path: Path) -> None:
    """A NetSuite order absent from the settlements is shown but keeps the report Complete."""
    report = run(tmp_path, [("1001", order("A", "10.00"))], [sale("1", "A", "10.00"), sale("2", "Z", "3.00")])
    assert kinds(report) == {("Z", "Order"): "missing_in_amazon"}
    assert report.status == COMPLETE


def test_order_split_across_settlements_is_summed_and_explained(tmp_path: Path) -> None:
    """Lines of one order in two settlements add up; a mismatch names both settlements."""
    reports = [("1001", order("A", "10.00", shipment="S1")), ("1002", order("A", "5.00", shipment="S2"))]
    assert run(tmp_path, reports, [sale("1", "A", "15.00")]).status == COMPLETE
    report = run(tmp_path, reports, [sale("1", "A", "14.00")])
    row = report.discrepancies.iloc[0]
    assert row["settlement_id"] == "1001;1002"
    assert "split across settlements 1001, 1002" in row["explanation"]
    assert {s.settlement.settlement_id: s.status for s in report.settlements} == {"1001": ERRORS, "1002": ERRORS}


def test_refund_of_an_earlier_order_is_explained(tmp_path: Path) -> None:
    """A refund whose order is not in the loaded settlements says so."""
    report = run(tmp_path, [("1001", refund("OLD", "-4.00"))], [])
    assert kinds(report) == {("OLD", "Refund"): "missing_in_netsuite"}
    assert "settled earlier" in report.discrepancies.iloc[0]["explanation"]


def test_promotion_is_explained(tmp_path: Path) -> None:
    """A mismatch on an order with a promotion mentions the promotion."""
    report = run(tmp_path, [("1001", order("A", "10.00", promotion="-2.00"))], [sale("1", "A", "10.00")])
    assert "promotion of -2.00" in report.discrepancies.iloc[0]["explanation"]


def test_inconsistent_settlement_is_an_error_with_reserve_hint(tmp_path: Path) -> None:
    """A settlement whose lines do not foot is reported, and a missing reserve line is suggested."""
    write_v2(tmp_path / "s.txt", "1001", order("A", "10.00"), total="5.00")
    write_netsuite(tmp_path / "ns.csv", [sale("1", "A", "10.00")])
    report = reconcile_files([tmp_path / "s.txt"], [tmp_path / "ns.csv"])
    row = report.discrepancies.iloc[0]
    assert row["kind"] == "settlement_inconsistent" and row["severity"] == "error"
    assert "Current Reserve Amount" in row["explanation"]
    assert report.status == ERRORS


def test_duplicate_settlement_identical_is_info_and_differing_is_error(tmp_path: Path) -> None:
    """The same settlement twice is info when identical and an error when the copies differ."""
    first = write_v2(tmp_path / "a.txt", "1001", order("A", "10.00"))
    same = write_v2(tmp_path / "b.txt", "1001", order("A", "10.00"))
    other = write_v2(tmp_path / "c.txt", "1001", order("A", "11.00"))
    export = write_netsuite(tmp_path / "ns.csv", [sale("1", "A", "10.00")])
    info = reconcile_files([first, same], [export])
    assert info.status == COMPLETE
    assert info.describe_dict()["duplicate_settlements"] == ["1001"]
    assert list(info.discrepancies["severity"]) == ["info"]
    error = reconcile_files([first, other], [export])
    assert error.status == ERRORS and list(error.discrepancies["kind"]) == ["duplicate_settlement"]


def test_unclassified_line_is_info(tmp_path: Path) -> None:
    """A line with vocabulary the category map does not know is shown as info."""
    rows = [*order("A", "10.00"), line("other-transaction", "", "BrandNewFee", "Mystery 2027", "-1.00")]
    report = run(tmp_path, [("1001", rows)], [sale("1", "A", "10.00")])
    row = report.discrepancies.iloc[0]
    assert row["kind"] == "unclassified_line" and row["amazon_minor"] == -100
    assert report.status == COMPLETE
    assert set(report.summary["category"]) >= {"unclassified"}


def test_cutoff_excludes_settlements_ending_before_it(tmp_path: Path) -> None:
    """Settlements that end before the cutoff are left out and listed."""
    early = write_v2(tmp_path / "a.txt", "1001", order("A", "10.00"), end="2026-08-31 23:59:59 UTC")
    late = write_v2(tmp_path / "b.txt", "1002", order("B", "5.00"))
    export = write_netsuite(tmp_path / "ns.csv", [sale("2", "B", "5.00")])
    report = reconcile_files([early, late], [export], cutoff="2026-09-01")
    assert report.status == COMPLETE
    assert report.describe_dict()["excluded_settlements"] == ["1001"]


def test_resolutions_unblock_and_cancelled_ones_are_counted(tmp_path: Path) -> None:
    """Rectified and cancelled errors no longer block; cancelled ones count as cancelled postings."""
    reports = [("1001", order("A", "10.00") + order("B", "5.00"))]
    decided = [
        Resolution("rectified", "ann", "fixed", order_id="A", transaction_type="Order"),
        Resolution("cancelled", "ann", "posting cancelled", order_id="B", transaction_type="Order"),
        Resolution("cancelled", "ann", "", order_id="Q", transaction_type="Order"),
    ]
    report = run(tmp_path, reports, [sale("1", "A", "9.00")], resolutions=decided)
    assert report.status == COMPLETE
    assert report.cancelled_postings == 1
    summary = report.describe_dict()
    assert summary["resolved"] == {"rectified": 1, "cancelled": 1}
    assert [r["order_id"] for r in summary["unmatched_resolutions"]] == ["Q"]


def test_zero_decimal_currency(tmp_path: Path) -> None:
    """JPY amounts compare in whole yen."""
    write_v2(tmp_path / "s.txt", "1001", [line("Order", "A", "ItemPrice", "Principal", "1200")], currency="JPY")
    write_netsuite(tmp_path / "ns.csv", [sale("1", "A", "1,200", currency="JPY")])
    report = reconcile_files([tmp_path / "s.txt"], [tmp_path / "ns.csv"])
    assert report.status == COMPLETE
    assert report.summary.iloc[0]["amount_minor"] == 1200


def test_export_without_currency_takes_each_order_its_settlements_currency(tmp_path: Path) -> None:
    """With no Currency column, a record's amount is read in its order's settlement currency
    (yen: no decimals); a record for an order no settlement has is read with two decimals and
    its currency stays unknown (the config's ``netsuite.currency`` would name it)."""
    write_v2(tmp_path / "jp.txt", "1001", [line("Order", "A", "ItemPrice", "Principal", "1200")], currency="JPY")
    write_v2(tmp_path / "us.txt", "1002", [line("Order", "B", "ItemPrice", "Principal", "12.00")])
    header = NETSUITE_HEADER[:-1]
    rows = [sale("1", "A", "1,200")[:-1], sale("2", "B", "12.00")[:-1], sale("3", "Z", "3.50")[:-1]]
    write_netsuite(tmp_path / "ns.csv", rows, header=header)
    report = reconcile_files([tmp_path / "jp.txt", tmp_path / "us.txt"], [tmp_path / "ns.csv"])
    assert kinds(report) == {("Z", "Order"): "missing_in_amazon"}
    (row,) = report.discrepancies.itertuples()
    assert (row.netsuite_minor, row.currency) == (350, None)


def test_netsuite_type_map_from_config(tmp_path: Path) -> None:
    """A NetSuite type mapped to ignore is left out and counted."""
    settings = settings_from_dict({"netsuite": {"types": {"Cash Sale": "ignore"}}})
    report = run(tmp_path, [("1001", order("A", "10.00"))], [sale("1", "A", "10.00")], settings=settings)
    assert kinds(report) == {("A", "Order"): "missing_in_netsuite"}
    assert report.ignored_netsuite_types == {"Cash Sale": 1}


def test_report_fingerprints_inputs(tmp_path: Path) -> None:
    """The report lists every input with its sha256 and the fingerprint changes with the inputs."""
    first = run(tmp_path, [("1001", order("A", "10.00"))], [sale("1", "A", "10.00")])
    second = run(tmp_path, [("1001", order("A", "10.01"))], [sale("1", "A", "10.00")])
    roles = [i.role for i in first.inputs]
    assert roles == ["amazon", "netsuite"]
    assert all(len(i.sha256) == 64 for i in first.inputs)
    assert first.fingerprint != second.fingerprint


@pytest.mark.parametrize("tolerance", ["-1", "abc"])
def test_bad_tolerance_is_a_usage_error(tolerance: str) -> None:
    """A negative or non-numeric tolerance is refused."""
    from settlesync_nb.errors import UsageError

    with pytest.raises(UsageError):
        Settings().with_overrides(tolerance=tolerance)


def test_tolerance_is_exact_decimal() -> None:
    """The tolerance keeps its decimal text exactly."""
    assert Settings().with_overrides(tolerance="0.01").tolerance == Decimal("0.01")


def test_suggested_checks_pick_matched_refunded_and_plain_orders(tmp_path: Path) -> None:
    """Sign-off suggestions are matched orders: one refunded, one without refund; mismatches are never suggested."""
    rows = order("A", "10.00") + refund("A", "-4.00") + order("B", "5.00") + order("C", "7.00")
    report = run(
        tmp_path,
        [("1001", rows)],
        [
            sale("1", "A", "10.00"),
            sale("2", "A", "4.00", kind="Credit Memo"),
            sale("3", "B", "5.00"),
            sale("4", "C", "6.00"),
        ],
    )
    checks = report.describe_dict()["suggested_checks"]
    assert [c["order_id"] for c in checks["refunded"]] == ["A"]
    assert checks["refunded"][0]["refund"] == {
        "amazon_amount": "4.00",
        "netsuite_amount": "4.00",
        "netsuite_documents": "Credit Memo DOC2",
        "settlements": ["1001"],
    }
    assert [c["order_id"] for c in checks["not_refunded"]] == ["B"]
    assert report.describe_dict()["error_items"][0]["order_id"] == "C"


def test_discrepancy_dtypes_do_not_depend_on_which_rows_exist(tmp_path: Path) -> None:
    """Money columns are exact Int64 and posted_time is UTC in an empty report and a mixed one."""
    empty = run(tmp_path, [("1001", order("A", "10.00"))], [sale("1", "A", "10.00")])
    write_v2(tmp_path / "x.txt", "1002", order("B", "5.00"), total="1.00")
    write_netsuite(tmp_path / "ns2.csv", [])
    mixed = reconcile_files([tmp_path / "x.txt"], [tmp_path / "ns2.csv"])
    assert set(mixed.discrepancies["kind"]) == {"missing_in_netsuite", "settlement_inconsistent"}
    for report in (empty, mixed):
        dtypes = report.discrepancies.dtypes.astype(str).to_dict()
        assert [dtypes[c] for c in ("amazon_minor", "netsuite_minor", "difference_minor")] == ["Int64"] * 3
        assert dtypes["posted_time"] == "datetime64[s, UTC]"


def test_netsuite_records_without_order_id_are_counted_not_compared(tmp_path: Path) -> None:
    """The connector's summary Cash Sale (no order id) loads, is listed as left out, and matches nothing."""
    report = run(
        tmp_path,
        [("1001", order("A", "10.00"))],
        [sale("1", "A", "10.00"), ("2", "Cash Sale", "9/3/2026", "SUM1", "Deposited", "", "55.00", "USD")],
    )
    assert report.status == COMPLETE
    assert report.ignored_netsuite_types == {"Cash Sale (no order id)": 1}


def test_netsuite_currency_names_and_day_first_dates(tmp_path: Path) -> None:
    """A Currency column holding NetSuite names and a day-first date preference are understood."""
    settings = settings_from_dict({"netsuite": {"date_order": "dmy"}})
    report = run(
        tmp_path,
        [("1001", order("A", "10.00"))],
        [("1", "Cash Sale", "25/9/2026", "CS1", "Deposited", "A", "10.00", "US Dollar")],
        settings=settings,
    )
    assert report.status == COMPLETE


def test_discrepancies_follow_the_report_then_the_export(tmp_path: Path) -> None:
    """Order-level rows come in the order the orders first appear in the settlement report,
    then NetSuite-only ones in export order: the same inputs always give the same file."""
    rows = order("C", "3.00") + order("A", "1.00") + refund("C", "-3.00") + order("B", "2.00")
    report = run(tmp_path, [("1001", rows)], [sale("1", "Z", "9.00"), sale("2", "Y", "8.00")])
    keys = list(zip(report.discrepancies["order_id"], report.discrepancies["transaction_type"], strict=True))
    assert keys == [("C", "Order"), ("C", "Refund"), ("A", "Order"), ("B", "Order"), ("Z", "Order"), ("Y", "Order")]


def test_only_pairs_in_plain_agreement_skip_the_rules(tmp_path: Path) -> None:
    """Pairs that agree only after a closer look (two shipments with two records, a difference
    within tolerance) are still suggested; a same-amount pair in another currency is still a
    currency mismatch, and a cancelled extra record does not hide anything."""
    rows = (
        order("A", "10.00")
        + order("B", "5.00", shipment="S1")
        + order("B", "6.00", shipment="S2")
        + order("C", "7.00")
        + order("D", "8.00")
        + order("E", "9.00")
    )
    ns = [
        sale("1", "A", "10.00"),
        sale("2", "B", "5.00"),
        sale("3", "B", "6.00"),
        sale("4", "C", "7.00", currency="EUR"),
        sale("5", "D", "7.99"),
        sale("6", "E", "9.00"),
        sale("7", "E", "9.00", status="Voided"),
    ]
    report = run(tmp_path, [("1001", rows)], ns, tolerance="0.01")
    assert kinds(report) == {("C", "Order"): "currency_mismatch"}
    suggested = [c["order_id"] for c in report.describe_dict()["suggested_checks"]["not_refunded"]]
    assert sorted(suggested) == ["A", "B", "D", "E"]


def test_a_pairs_marketplace_passes_over_lines_without_one(tmp_path: Path) -> None:
    """An order whose lines name a marketplace only in part shows that marketplace."""
    rows = [
        line("Order", "A", "ItemPrice", "Principal", "10.00", marketplace_name=""),
        line("Order", "A", "ItemPrice", "Tax", "0.80", marketplace_name="Amazon.de"),
    ]
    report = run(tmp_path, [("1001", rows)], [])
    assert report.discrepancies.iloc[0]["marketplace"] == "Amazon.de"

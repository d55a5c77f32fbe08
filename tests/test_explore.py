"""The pure discrepancy filter, its options and the user-facing table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from builders import BASE, frame, order, sale, write_netsuite, write_v2

from settlesync_nb.explore import (
    NONE_LABEL,
    TABLE_COLUMNS,
    display_table,
    filter_discrepancies,
    filter_options,
    normalise,
    parse_min_difference,
    shown_note,
)
from settlesync_nb.pipeline import reconcile_files
from settlesync_nb.reconcile.engine import COLUMNS

SETTLEMENT_ROW: dict[str, object] = {
    "transaction_type": None,
    "order_id": None,
    "kind": "settlement_inconsistent",
    "amazon_minor": None,
    "netsuite_minor": None,
    "difference_minor": None,
    "netsuite_documents": None,
    "marketplace": None,
    "posted_time": None,
    "skus": None,
}


def orders(result: pd.DataFrame) -> list[str]:
    return result["order_id"].fillna(NONE_LABEL).tolist()


SAMPLE = frame(
    {"order_id": "A", "difference_minor": 1},
    {"order_id": "B", "difference_minor": -250, "skus": "KT-GOOSE-1L;KT-PRESS-08", "marketplace": "Amazon.de"},
    {"order_id": "C", "kind": "missing_in_netsuite", "netsuite_minor": None, "difference_minor": None},
    {"order_id": "D", "transaction_type": "Refund", "settlement_id": "1001;1002", "difference_minor": 500},
    {
        "order_id": "E",
        "kind": "missing_in_amazon",
        "severity": "info",
        "settlement_id": None,
        "amazon_minor": None,
        "difference_minor": None,
    },
    {**SETTLEMENT_ROW, "settlement_id": "1002"},
)


def test_empty_selections_keep_every_row() -> None:
    """With no criterion every row comes back, in order, index kept."""
    result = filter_discrepancies(SAMPLE)
    assert orders(result) == ["A", "B", "C", "D", "E", NONE_LABEL]
    assert result.index.tolist() == list(range(6))


def test_kinds_transaction_types_and_marketplaces_combine_with_and() -> None:
    """Each selection narrows the rows; together they must all hold."""
    assert orders(filter_discrepancies(SAMPLE, kinds=["missing_in_netsuite", "missing_in_amazon"])) == ["C", "E"]
    assert orders(filter_discrepancies(SAMPLE, transaction_types=["Refund"])) == ["D"]
    assert orders(filter_discrepancies(SAMPLE, marketplaces=["Amazon.de"])) == ["B"]
    assert orders(filter_discrepancies(SAMPLE, kinds=["amount_mismatch"], marketplaces=["Amazon.com"])) == ["A", "D"]


def test_none_label_selects_rows_without_a_value() -> None:
    """Settlement-level rows have no transaction type; the (none) option selects them."""
    assert orders(filter_discrepancies(SAMPLE, transaction_types=[NONE_LABEL])) == [NONE_LABEL]
    assert orders(filter_discrepancies(SAMPLE, settlements=[NONE_LABEL])) == ["E"]


def test_a_single_string_is_one_value_not_its_letters() -> None:
    """``kinds="amount_mismatch"`` means that kind, as if given in a tuple."""
    assert orders(filter_discrepancies(SAMPLE, kinds="amount_mismatch", settlements="1002")) == ["D"]


def test_unknown_kind_is_refused_with_the_valid_options() -> None:
    """A misspelt kind is an error naming the kinds, not an empty result."""
    with pytest.raises(ValueError, match=r"Unknown kind: amount_mismatches \(valid options are missing_in_netsuite"):
        filter_discrepancies(SAMPLE, kinds=["amount_mismatches"])


def test_settlement_matches_any_id_of_a_split_order_but_not_a_prefix() -> None:
    """An order split across 1001 and 1002 matches either id; 100 matches neither."""
    assert orders(filter_discrepancies(SAMPLE, settlements=["1002"])) == ["D", NONE_LABEL]
    assert "D" in orders(filter_discrepancies(SAMPLE, settlements=["1001"]))
    assert filter_discrepancies(SAMPLE, settlements=["100"]).empty


def test_min_difference_is_exact_on_the_absolute_difference() -> None:
    """One cent passes 0.01 and fails 0.02; negative differences count by magnitude; no difference, no row."""
    assert orders(filter_discrepancies(SAMPLE, min_difference="0.01")) == ["A", "B", "D"]
    assert orders(filter_discrepancies(SAMPLE, min_difference="0.02")) == ["B", "D"]
    assert orders(filter_discrepancies(SAMPLE, min_difference=Decimal("2.50"))) == ["B", "D"]
    assert orders(filter_discrepancies(SAMPLE, min_difference="2.51")) == ["D"]
    assert orders(filter_discrepancies(SAMPLE, min_difference="0")) == ["A", "B", "D"]


def test_min_difference_uses_each_rows_currency() -> None:
    """A minimum of 1 is 100 cents, 1 yen and 1000 fils; half a yen rounds up to one."""
    mixed = frame(
        {"order_id": "usd-99", "difference_minor": -99},
        {"order_id": "usd-100", "difference_minor": 100},
        {"order_id": "jpy-1", "difference_minor": 1, "currency": "JPY"},
        {"order_id": "kwd-999", "difference_minor": 999, "currency": "KWD"},
        {"order_id": "kwd-1000", "difference_minor": -1000, "currency": "KWD"},
    )
    assert orders(filter_discrepancies(mixed, min_difference="1")) == ["usd-100", "jpy-1", "kwd-1000"]
    assert orders(filter_discrepancies(mixed, min_difference="0.5")) == [
        "usd-99",
        "usd-100",
        "jpy-1",
        "kwd-999",
        "kwd-1000",
    ]
    assert orders(filter_discrepancies(mixed, min_difference="1.5")) == []


@pytest.mark.parametrize("text", ["abc", "1,50", "-1", "1e3", "NaN", "$5", "1 000"])
def test_min_difference_refuses_anything_but_a_plain_amount(text: str) -> None:
    """Text other than digits with an optional decimal point is refused with an example."""
    with pytest.raises(ValueError, match=r"e\.g\."):
        filter_discrepancies(SAMPLE, min_difference=text)


def test_min_difference_blank_means_none_and_float_is_refused() -> None:
    """Blank text is no minimum; a float cannot hold money exactly and is refused."""
    assert parse_min_difference("  ") is None
    assert parse_min_difference(" 5.00 ") == Decimal("5.00")
    with pytest.raises(TypeError, match="float"):
        parse_min_difference(0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="zero or more"):
        parse_min_difference(Decimal("-0.01"))


def test_search_finds_order_ids_and_single_skus_case_insensitively() -> None:
    """Search matches part of an order id or of one SKU, ignoring case, never across two SKUs."""
    assert orders(filter_discrepancies(SAMPLE, search=" b ")) == ["B"]
    assert orders(filter_discrepancies(SAMPLE, search="goose")) == ["B"]
    assert orders(filter_discrepancies(SAMPLE, search="sku-1")) == ["A", "C", "D", "E"]
    assert filter_discrepancies(SAMPLE, search="1L;KT").empty


def test_filter_options_list_values_in_a_stable_order() -> None:
    """Kinds follow the report's order, others are sorted, (none) comes last, split ids are listed singly."""
    options = filter_options(SAMPLE)
    assert options["kinds"] == [
        "missing_in_netsuite",
        "amount_mismatch",
        "settlement_inconsistent",
        "missing_in_amazon",
    ]
    assert options["transaction_types"] == ["Order", "Refund", NONE_LABEL]
    assert options["marketplaces"] == ["Amazon.com", "Amazon.de", NONE_LABEL]
    assert options["settlements"] == ["1001", "1002", NONE_LABEL]


def test_filter_options_of_an_empty_frame_are_empty() -> None:
    """No rows, no options, no error."""
    assert filter_options(frame().iloc[0:0]) == {
        k: [] for k in ("kinds", "transaction_types", "marketplaces", "settlements")
    }


def test_display_table_shows_exact_amounts_errors_first_largest_first() -> None:
    """Amounts are decimal strings in each currency, errors precede info, larger differences first."""
    table = display_table(
        frame(
            {"order_id": "cent", "difference_minor": 1},
            {
                "order_id": "yen",
                "currency": "JPY",
                "amazon_minor": 1234,
                "netsuite_minor": 1334,
                "difference_minor": -100,
            },
            {"order_id": "info", "severity": "info", "difference_minor": 99999},
            {"order_id": "none", "netsuite_minor": None, "difference_minor": None},
        )
    )
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert table["order_id"].tolist() == ["yen", "cent", "none", "info"]
    assert table["difference"].tolist() == ["-100", "0.01", "", "999.99"]
    assert table.loc[0, "amazon_amount"] == "1234"
    assert table.loc[2, "netsuite_amount"] == ""
    assert table.loc[0, "posted_time"] == "2026-09-03 10:00:00 UTC"


def test_display_table_is_capped_and_leaves_escaping_to_the_renderer() -> None:
    """Only ``limit`` rows come back, the total is kept in attrs, and text is left as written."""
    rows = frame(*({"order_id": f"<script>{i}", "difference_minor": i} for i in range(5)))
    table = display_table(rows, limit=2)
    assert table["order_id"].tolist() == ["<script>4", "<script>3"]
    assert table.attrs["total_rows"] == 5
    assert shown_note(len(table), 5) == "showing 2 of 5 rows (errors first, then the largest absolute difference)"
    assert shown_note(1, 1) == "showing all 1 row"


def test_display_table_of_nothing_has_the_columns() -> None:
    """An empty selection gives an empty table with the user-facing columns."""
    table = display_table(frame().iloc[0:0])
    assert table.empty and list(table.columns) == list(TABLE_COLUMNS)


def test_normalise_fixes_object_columns_and_names_missing_ones() -> None:
    """Money becomes Int64 and times UTC whatever the input; a missing column is named."""
    data = normalise(frame({}, SETTLEMENT_ROW))
    assert str(data["difference_minor"].dtype) == "Int64"
    assert str(data["posted_time"].dt.tz) == "UTC"
    with pytest.raises(KeyError, match=r"\['skus'\] missing"):
        normalise(frame({}).drop(columns=["skus"]))


def test_filter_on_100k_rows_is_exact() -> None:
    """A hundred thousand rows filter to exactly the expected count."""
    n = 100_000
    differences = np.arange(n, dtype=np.int64) - n // 2
    big = pd.DataFrame({**{c: [BASE[c]] * n for c in COLUMNS}, "difference_minor": differences})
    big["order_id"] = [f"ORD-{i}" for i in range(n)]
    assert len(filter_discrepancies(big, min_difference="100.00")) == n - 19_999
    assert orders(filter_discrepancies(big, search="ord-99999")) == ["ORD-99999"]


def test_filter_on_a_real_report(tmp_path: Path) -> None:
    """On a reconciled report, one missing order and one mismatch are found by kind and by amount."""
    amazon = write_v2(tmp_path / "s.txt", "1001", order("A", "10.00") + order("B", "5.00"))
    netsuite = write_netsuite(tmp_path / "ns.csv", [sale("1", "A", "9.99")])
    report = reconcile_files([amazon], [netsuite])
    assert orders(filter_discrepancies(report.discrepancies, kinds=["missing_in_netsuite"])) == ["B"]
    assert orders(filter_discrepancies(report.discrepancies, min_difference="0.01")) == ["A"]

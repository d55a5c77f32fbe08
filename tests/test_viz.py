"""Plotly figures: traces, exact labels, currency on money axes, escaping, empty input and large input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from builders import BASE, frame, order, refund, sale, write_netsuite, write_v2

from settlesync_nb.model import Settlement
from settlesync_nb.pipeline import reconcile_files
from settlesync_nb.reconcile import KINDS
from settlesync_nb.reconcile.engine import COLUMNS
from settlesync_nb.viz import (
    difference_distribution,
    discrepancies_by_kind,
    discrepancies_over_time,
    largest_differences,
    note_of,
    settlement_totals,
    settlement_waterfall,
)
from settlesync_nb.viz.counts import MAX_BINS

N = 100_000


def big_frame(n: int = N, currencies: tuple[str, ...] = ("USD", "EUR")) -> pd.DataFrame:
    """``n`` synthetic rows: every kind, three years of posting times, many orders and SKUs."""
    rng = np.random.default_rng(4)
    kinds = np.array(list(KINDS))[rng.integers(0, len(KINDS), n)]
    start = pd.Timestamp("2024-01-01", tz="UTC")
    return pd.DataFrame(
        {
            **{c: [BASE[c]] * n for c in COLUMNS},
            "order_id": [f"ORD-{i:06d}" for i in range(n)],
            "kind": kinds,
            "severity": [KINDS[k] for k in kinds],
            "transaction_type": np.array(["Order", "Refund", "Adjustment"])[rng.integers(0, 3, n)],
            "difference_minor": pd.array(rng.integers(-100_000, 100_000, n), dtype="Int64"),
            "currency": np.array(currencies)[rng.integers(0, len(currencies), n)],
            "posted_time": start + pd.to_timedelta(rng.integers(0, 3 * 365 * 86_400, n), unit="s"),
            "skus": [f"SKU-{i % 5000}" for i in range(n)],
        }
    )


def settlement(sid: str = "1001", total: int = 10000, lines: int = 10000, currency: str = "USD") -> Settlement:
    when = datetime(2026, 9, 1, tzinfo=UTC)
    return Settlement(sid, "flat-v2", currency, when, when, when, total, lines, 5, ("s.txt",))


def summary(sid: str, currency: str, amounts: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "settlement_id": sid,
            "currency": currency,
            "category": list(amounts),
            "amount_minor": list(amounts.values()),
            "line_count": 1,
        }
    )


def empty_message(fig: go.Figure) -> str:
    assert not fig.data
    return str(fig.layout.annotations[0].text)


# --- 1. waterfall ------------------------------------------------------------------------


def test_waterfall_runs_from_sales_to_the_lines_total() -> None:
    """Categories in the canonical order, then a total bar equal to the lines total, exact text labels."""
    parts = summary("1001", "USD", {"selling fees": -150, "sales": 10000, "refunds": -2000, "reserves": -1})
    fig = settlement_waterfall(parts, settlement(lines=7849, total=7849))
    (trace,) = fig.data
    assert trace.type == "waterfall"
    assert list(trace.x) == ["sales", "selling fees", "refunds", "reserves", "Lines total"]
    assert list(trace.measure) == ["relative"] * 4 + ["total"]
    assert list(trace.y) == [100.0, -1.5, -20.0, -0.01, 78.49]
    assert list(trace.text) == ["100.00", "-1.50", "-20.00", "-0.01", "78.49"]
    assert fig.layout.yaxis.title.text == "Amount (USD)"
    assert "DOES NOT FOOT" not in note_of(fig)


def test_waterfall_marks_a_report_total_that_differs() -> None:
    """An inconsistent settlement gets a red marker at the report total and a subtitle with the gap."""
    parts = summary("1001", "USD", {"sales": 10000})
    fig = settlement_waterfall(parts, settlement(total=9750, lines=10000))
    assert [t.type for t in fig.data] == ["waterfall", "scatter"]
    assert list(fig.data[1].y) == [97.5]
    assert "DOES NOT FOOT" in note_of(fig) and "by -2.50 USD" in note_of(fig)


def test_waterfall_in_yen_and_escaped_categories() -> None:
    """JPY amounts have no decimals; a category name from a config is escaped."""
    parts = summary("2001", "JPY", {"sales": 123456, "<b>custom</b>": -456})
    fig = settlement_waterfall(parts, settlement("2001", 123000, 123000, "JPY"))
    assert list(fig.data[0].y) == [123456.0, -456.0, 123000.0]
    assert list(fig.data[0].text) == ["123456", "-456", "123000"]
    assert fig.data[0].x[1] == "&lt;b&gt;custom&lt;/b&gt;"
    assert fig.layout.yaxis.title.text == "Amount (JPY)"


def test_waterfall_flags_a_summary_that_does_not_add_up() -> None:
    """Categories that do not add up to the lines total are said to, not silently drawn."""
    fig = settlement_waterfall(summary("1001", "USD", {"sales": 100}), settlement(lines=101, total=101))
    assert "the categories add up to 1.00, not the lines total 1.01" in note_of(fig)


# --- 5. totals per settlement ---------------------------------------------------------------


def test_totals_one_panel_per_currency_with_inconsistent_highlighted() -> None:
    """USD and EUR get their own panel and axis title; the inconsistent settlement is red."""
    fig = settlement_totals([settlement("1001"), settlement("1002", 500, 750), settlement("3001", 1, 1, "EUR")])
    assert [t.type for t in fig.data] == ["bar"] * 4
    assert fig.layout.yaxis.title.text == "Amount (EUR)"
    assert fig.layout.yaxis2.title.text == "Amount (USD)"
    assert fig.layout.xaxis2.type == "category"
    usd_report = fig.data[2]
    assert list(usd_report.x) == ["1001", "1002"] and list(usd_report.y) == [100.0, 5.0]
    assert usd_report.marker.color[0] != usd_report.marker.color[1] == "#d62728"
    assert list(fig.data[3].y) == [100.0, 7.5]
    assert "1 of 3 settlements inconsistent" in note_of(fig)
    assert "one panel per currency" in note_of(fig)


def test_totals_cap_the_bars_and_keep_inconsistent_settlements() -> None:
    """With 200 settlements 60 are drawn, the inconsistent one among them, and the subtitle says so."""
    items = [settlement(f"{i:04d}") for i in range(199)] + [settlement("9999", 1, 2)]
    fig = settlement_totals(items)
    assert len(fig.data[0].x) == 60 and "9999" in fig.data[0].x
    assert "showing 60 of 200 settlements, inconsistent first" in note_of(fig)


def test_totals_without_settlements_explains_itself() -> None:
    """No settlement gives an explanatory annotation, not an error."""
    assert "No settlement" in empty_message(settlement_totals([]))


# --- 2. by kind ---------------------------------------------------------------------------


def test_by_kind_counts_per_type_with_info_hatched() -> None:
    """Bars count rows per kind and transaction type; info traces are hatched, errors solid."""
    rows = frame(
        {},
        {"order_id": "B"},
        {"transaction_type": "Refund"},
        {"kind": "missing_in_amazon", "severity": "info"},
        {"kind": "settlement_inconsistent", "transaction_type": None},
    )
    fig = discrepancies_by_kind(rows)
    traces = {t.name: t for t in fig.data}
    assert set(traces) == {"Order · error", "Order · info", "Refund · error", "(settlement level) · error"}
    assert list(traces["Order · error"].x) == ["amount_mismatch"] and list(traces["Order · error"].y) == [2]
    assert traces["Order · info"].marker.pattern.shape == "/"
    assert traces["Order · error"].marker.pattern.shape == ""
    assert fig.layout.barmode == "stack"
    assert fig.layout.yaxis.title.text == "Discrepancies (count)"


def test_by_kind_groups_rare_types_and_escapes_them() -> None:
    """Beyond ``max_types`` the rarest types become 'other types'; a type name is escaped."""
    rows = frame(*({"transaction_type": f"<i>T{i}</i>"} for i in range(5)), {"transaction_type": "<i>T0</i>"})
    fig = discrepancies_by_kind(rows, max_types=2)
    assert [t.name for t in fig.data] == [
        "&lt;i&gt;T0&lt;/i&gt; · error",
        "&lt;i&gt;T1&lt;/i&gt; · error",
        "other types · error",
    ]
    assert list(fig.data[2].y) == [3]
    assert "3 less frequent transaction types grouped" in note_of(fig)


def test_by_kind_on_100k_rows_aggregates() -> None:
    """A hundred thousand rows give at most one point per kind per trace and all rows are counted."""
    fig = discrepancies_by_kind(big_frame())
    assert all(len(t.x) <= len(KINDS) for t in fig.data)
    assert sum(sum(t.y) for t in fig.data) == N
    assert "100,000 rows counted" in note_of(fig)


def test_by_kind_empty() -> None:
    """No rows gives an explanatory annotation."""
    assert "nothing to count" in empty_message(discrepancies_by_kind(frame().iloc[0:0]))


# --- 3. distribution ----------------------------------------------------------------------


def test_distribution_of_one_cent_is_one_bar_at_one_cent() -> None:
    """A single one-cent mismatch is one bar centred on 0.01, one cent wide; other kinds are left out."""
    fig = difference_distribution(frame({}, {"kind": "duplicate_in_netsuite", "difference_minor": 500}))
    (trace,) = fig.data
    assert list(trace.x) == [0.01] and list(trace.y) == [1] and trace.width == pytest.approx(0.01)
    assert trace.hovertext[0] == "exactly 0.01 USD: 1"
    assert fig.layout.xaxis.title.text == "Difference, Amazon − NetSuite (USD)"


def test_distribution_bins_negative_differences_exactly() -> None:
    """Negative and positive differences are binned in whole cents and every row is counted."""
    rows = frame(*({"difference_minor": d} for d in (-250, -1, 0, 1, 249)))
    (trace,) = difference_distribution(rows, bins=5).data
    assert list(trace.y) == [1, 0, 3, 0, 1]
    assert trace.hovertext[0] == "-2.50 to -1.51 USD: 1"


def test_distribution_one_panel_per_currency_in_yen_too() -> None:
    """USD and JPY mismatches are drawn in two panels with their own axis titles, yen without decimals."""
    rows = frame({"difference_minor": 5}, {"difference_minor": -300, "currency": "JPY"}, {"difference_minor": 7})
    fig = difference_distribution(rows)
    assert [t.name for t in fig.data] == ["USD", "JPY"]
    assert fig.layout.xaxis.title.text == "Difference, Amazon − NetSuite (USD)"
    assert fig.layout.xaxis2.title.text == "Difference, Amazon − NetSuite (JPY)"
    assert list(fig.data[1].x) == [-300.0]
    assert "one panel per currency" in note_of(fig)


def test_distribution_of_100k_rows_is_binned() -> None:
    """A hundred thousand mismatches become at most ``bins`` points per currency, all counted."""
    rows = big_frame().assign(kind="amount_mismatch")
    fig = difference_distribution(rows, bins=40)
    assert all(len(t.x) <= 40 for t in fig.data)
    assert sum(sum(t.y) for t in fig.data) == N
    assert "in 40 bins of" in note_of(fig)


def test_distribution_without_mismatches() -> None:
    """No amount mismatch gives an explanatory annotation."""
    assert "No amount mismatch" in empty_message(difference_distribution(frame({"kind": "missing_in_netsuite"})))


# --- 4. over time -------------------------------------------------------------------------


def test_over_time_counts_per_day_and_kind() -> None:
    """Rows are counted per UTC day and kind; rows without a time are counted in the subtitle."""
    rows = frame(
        {"posted_time": pd.Timestamp("2026-09-03 23:59", tz="UTC")},
        {"posted_time": pd.Timestamp("2026-09-03 00:00", tz="UTC")},
        {"posted_time": pd.Timestamp("2026-09-05 12:00", tz="UTC"), "kind": "missing_in_netsuite"},
        {"posted_time": None, "kind": "missing_in_amazon"},
    )
    fig = discrepancies_over_time(rows)
    traces = {t.name: t for t in fig.data}
    assert list(traces) == ["missing_in_netsuite", "amount_mismatch"]
    assert list(traces["amount_mismatch"].y) == [2]
    assert pd.Timestamp(traces["amount_mismatch"].x[0]) == pd.Timestamp("2026-09-03")
    assert fig.layout.xaxis.title.text == "Posted day (UTC)"
    assert "1 row without a posted time not shown" in note_of(fig)


def test_over_time_of_three_years_and_100k_rows_is_weekly() -> None:
    """Over three years the buckets become weeks, at most MAX_BINS per trace, all dated rows counted."""
    fig = discrepancies_over_time(big_frame())
    assert all(len(t.x) <= MAX_BINS for t in fig.data)
    assert sum(sum(t.y) for t in fig.data) == N
    assert fig.layout.xaxis.title.text.startswith("Posted week (UTC)")
    assert "per week because one bar per day would be too many" in note_of(fig)


def test_over_time_without_times() -> None:
    """Rows none of which has a posted time give an explanatory annotation."""
    assert "has a posted time" in empty_message(discrepancies_over_time(frame({"posted_time": None})))


# --- 6. largest differences ---------------------------------------------------------------


def test_largest_orders_signed_largest_magnitude_first_and_escaped() -> None:
    """Orders are ranked by absolute difference, drawn signed, labels and hover text escaped."""
    rows = frame(
        {"order_id": "small", "difference_minor": 1},
        {"order_id": "<script>x</script>", "difference_minor": -5000, "explanation": "<img src=x>"},
        {"order_id": "mid", "difference_minor": 300, "transaction_type": "Refund"},
        {"order_id": "none", "difference_minor": None},
    )
    fig = largest_differences(rows, top=2)
    (trace,) = fig.data
    assert trace.orientation == "h"
    assert list(trace.y) == ["&lt;script&gt;x&lt;/script&gt; (Order)", "mid (Refund)"]
    assert list(trace.x) == [-50.0, 3.0] and list(trace.text) == ["-50.00", "3.00"]
    assert "&lt;img src=x&gt;" in trace.hovertext[0] and "<img" not in trace.hovertext[0]
    assert fig.layout.xaxis.title.text == "Difference, Amazon − NetSuite (USD)"
    assert "showing 2 of 3 orders and refunds" in note_of(fig)


def test_largest_skus_split_joined_skus() -> None:
    """Each SKU of a multi-SKU order gets the order's absolute difference; the SKU axis is escaped."""
    rows = frame({"skus": "<b>A</b>;B", "difference_minor": -100}, {"skus": "B", "difference_minor": 50})
    fig = largest_differences(rows, by="sku")
    assert list(fig.data[0].y) == ["B", "&lt;b&gt;A&lt;/b&gt;"]
    assert list(fig.data[0].x) == [1.5, 1.0]
    assert "counts in full towards each" in note_of(fig)
    assert fig.layout.xaxis.title.text == "Sum of |difference| of its rows (USD)"


def test_largest_differences_per_currency_panel() -> None:
    """Yen and dollar differences are ranked in separate panels, never on one axis."""
    rows = frame({"difference_minor": 100000, "currency": "JPY"}, {"difference_minor": 2})
    fig = largest_differences(rows)
    assert [t.name for t in fig.data] == ["JPY", "USD"]
    assert list(fig.data[0].x) == [100000.0] and list(fig.data[1].x) == [0.02]
    assert fig.layout.xaxis2.title.text == "Difference, Amazon − NetSuite (USD)"


def test_largest_differences_of_100k_rows_show_top_n() -> None:
    """A hundred thousand rows give ``top`` bars per currency and the subtitle says how many were ranked."""
    rows = big_frame(currencies=("USD",))
    ranked = int((rows["difference_minor"] != 0).sum())
    fig = largest_differences(rows, top=20)
    assert len(fig.data) == 1 and len(fig.data[0].y) == 20
    assert f"showing 20 of {ranked:,} orders and refunds, largest |difference| first" in note_of(fig)
    assert fig.data[0].x[0] ** 2 >= fig.data[0].x[-1] ** 2
    skus = largest_differences(rows, by="sku", top=20)
    assert len(skus.data[0].y) == 20 and "showing 20 of 5,000 SKUs" in note_of(skus)


def test_largest_differences_refuses_an_unknown_grouping_and_handles_nothing() -> None:
    """An unknown ``by`` names the options; no non-zero difference gives an annotation."""
    with pytest.raises(ValueError, match=r"Unknown by: 'skus' \(valid options are 'order', 'sku'\)"):
        largest_differences(frame({}), by="skus")
    assert "nothing to rank" in empty_message(largest_differences(frame({"difference_minor": 0})))


# --- on a real report ---------------------------------------------------------------------


def test_figures_from_a_reconciled_report(tmp_path: Path) -> None:
    """A report with an inconsistent settlement, a mismatch and a missing refund draws every figure."""
    rows = order("A", "10.00") + order("B", "5.00") + refund("B", "-2.00")
    amazon = write_v2(tmp_path / "s.txt", "1001", rows, total="12.00")
    report = reconcile_files(
        [amazon], [write_netsuite(tmp_path / "ns.csv", [sale("1", "A", "9.50"), sale("2", "B", "5.00")])]
    )
    d = report.discrepancies
    assert set(d["kind"]) == {"amount_mismatch", "missing_in_netsuite", "settlement_inconsistent"}
    waterfall = settlement_waterfall(report.summary, report.settlements[0])
    assert waterfall.data[0].text[-1] == report.settlements[0].settlement.lines_total
    assert [t.type for t in waterfall.data] == ["waterfall", "scatter"]
    assert list(difference_distribution(d).data[0].x) == [0.5]
    assert list(largest_differences(d).data[0].y) == ["A (Order)"]
    assert sum(sum(t.y) for t in discrepancies_by_kind(d).data) == len(d)
    assert sum(sum(t.y) for t in discrepancies_over_time(d).data) == 2
    assert settlement_totals(report.settlements).data[0].marker.color == ("#d62728",)

"""The discrepancy explorer driven from plain Python: set control values, read rows, table and figures."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import numpy as np
import pandas as pd
from builders import BASE, frame, order, sale, write_netsuite, write_v2

from settlesync_nb.explore import NONE_LABEL
from settlesync_nb.pipeline import reconcile_files
from settlesync_nb.reconcile.engine import COLUMNS
from settlesync_nb.viz import note_of
from settlesync_nb.widgets import DiscrepancyExplorer

ROWS: list[dict[str, object]] = [
    {"order_id": "A", "difference_minor": 1},
    {"order_id": "B", "difference_minor": -2500, "skus": "KT-GOOSE-1L;KT-PRESS-08", "settlement_id": "1001;1002"},
    {"order_id": "C", "kind": "missing_in_netsuite", "netsuite_minor": None, "difference_minor": None},
    {
        "order_id": "<script>alert(1)</script>",
        "difference_minor": 300,
        "currency": "JPY",
        "marketplace": "Amazon.co.jp",
    },
]


def table_rows(explorer: DiscrepancyExplorer) -> int:
    """Body rows of the rendered table (the header row is the first ``<tr``)."""
    return max(0, explorer.table.value.count("<tr") - 1)


def test_starts_with_every_row_the_table_and_the_figures() -> None:
    """Before any choice all rows match, the table shows them and every figure is built."""
    explorer = DiscrepancyExplorer(frame(*ROWS))
    assert explorer.row_count == 4 and len(explorer.filtered) == 4
    assert table_rows(explorer) == 4
    assert set(explorer.figures) == {"by_kind", "differences", "over_time", "largest_orders", "largest_skus"}
    assert "showing all 4 rows" in explorer.note.value
    assert explorer.controls["settlements"].options == ("1001", "1002")


def test_selecting_a_kind_filters_rows_and_redraws_figures() -> None:
    """Choosing a kind narrows the rows and the by-kind figure to it."""
    explorer = DiscrepancyExplorer(frame(*ROWS))
    explorer.controls["kinds"].value = ("missing_in_netsuite",)
    assert explorer.filtered["order_id"].tolist() == ["C"]
    assert [list(t.x) for t in explorer.figures["by_kind"].data] == [["missing_in_netsuite"]]
    assert not explorer.figures["differences"].data  # no amount mismatch left: an explanatory annotation
    explorer.controls["kinds"].value = ()
    assert explorer.row_count == 4


def test_settlement_marketplace_and_search_controls() -> None:
    """A split order matches either settlement; marketplace and order/SKU search narrow further."""
    explorer = DiscrepancyExplorer(frame(*ROWS))
    explorer.controls["settlements"].value = ("1002",)
    assert explorer.filtered["order_id"].tolist() == ["B"]
    explorer.controls["settlements"].value = ()
    explorer.controls["search"].value = "PRESS"
    assert explorer.filtered["order_id"].tolist() == ["B"]
    explorer.controls["search"].value = ""
    explorer.controls["marketplaces"].value = ("Amazon.co.jp",)
    assert explorer.row_count == 1
    assert explorer.figures["largest_orders"].layout.xaxis.title.text == "Difference, Amazon − NetSuite (JPY)"


def test_minimum_difference_is_exact_per_currency() -> None:
    """A minimum of 3 keeps 25.00 USD and 300 JPY but not one cent nor a row without a difference."""
    explorer = DiscrepancyExplorer(frame(*ROWS))
    explorer.controls["min_difference"].value = "3"
    assert explorer.filtered["order_id"].tolist() == ["B", "<script>alert(1)</script>"]
    explorer.controls["min_difference"].value = "0.01"
    assert explorer.row_count == 3


def test_bad_minimum_shows_a_message_and_keeps_the_previous_rows() -> None:
    """Text that is not an amount is refused visibly; the last valid result stays; a valid value clears it."""
    explorer = DiscrepancyExplorer(frame(*ROWS))
    explorer.controls["min_difference"].value = "25"
    before = explorer.filtered
    explorer.controls["min_difference"].value = "1,5"
    assert "not a plain amount" in explorer.message
    assert explorer.error.layout.display == "block" and "not a plain amount" in explorer.error.value
    assert explorer.filtered is before
    assert explorer.figures  # still shown
    explorer.controls["min_difference"].value = ""
    assert explorer.message == "" and explorer.error.layout.display == "none"
    assert explorer.row_count == 4


def test_table_is_escaped_and_capped_with_a_note() -> None:
    """Order ids reach the table escaped; past the limit the note says how many are shown."""
    explorer = DiscrepancyExplorer(frame(*ROWS), limit=2)
    assert table_rows(explorer) == 2
    assert "showing 2 of 4 rows" in explorer.note.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in explorer.table.value
    assert "<script>alert" not in explorer.table.value
    explorer.limit = 3
    assert table_rows(explorer) == 3 and "showing 3 of 4 rows" in explorer.note.value


def test_report_without_discrepancies(tmp_path: Path) -> None:
    """A Complete report gives empty options, an empty table and figures that explain they are empty."""
    amazon = write_v2(tmp_path / "s.txt", "1001", order("A", "10.00"))
    report = reconcile_files([amazon], [write_netsuite(tmp_path / "ns.csv", [sale("1", "A", "10.00")])])
    explorer = DiscrepancyExplorer(report)
    assert explorer.row_count == 0 and table_rows(explorer) == 0
    assert explorer.controls["kinds"].options == ()
    assert all(not fig.data and fig.layout.annotations for fig in explorer.figures.values())
    assert "showing all 0 rows" in explorer.note.value


def test_real_report_offers_none_for_settlement_level_rows(tmp_path: Path) -> None:
    """An inconsistent settlement's row has no transaction type and is reachable through (none)."""
    amazon = write_v2(tmp_path / "s.txt", "1001", order("A", "10.00"), total="8.00")
    report = reconcile_files([amazon], [write_netsuite(tmp_path / "ns.csv", [sale("1", "A", "10.00")])])
    explorer = DiscrepancyExplorer(report)
    assert explorer.controls["transaction_types"].options == (NONE_LABEL,)
    explorer.controls["transaction_types"].value = (NONE_LABEL,)
    assert explorer.filtered["kind"].tolist() == ["settlement_inconsistent"]


def test_100k_rows_stay_capped() -> None:
    """With a hundred thousand rows the table holds ``limit`` rows and each figure trace few points."""
    n = 100_000
    rng = np.random.default_rng(2)
    big = pd.DataFrame({c: [BASE[c]] * n for c in COLUMNS})
    big["order_id"] = [f"ORD-{i}" for i in range(n)]
    big["difference_minor"] = pd.array(rng.integers(-10_000, 10_000, n), dtype="Int64")
    explorer = DiscrepancyExplorer(big, limit=50, top=10)
    assert table_rows(explorer) == 50 and "showing 50 of 100,000 rows" in explorer.note.value
    assert max(len(t.x) for fig in explorer.figures.values() for t in fig.data) <= 40
    assert "showing 10 of" in note_of(explorer.figures["largest_orders"])
    explorer.controls["search"].value = "ORD-4242"
    assert explorer.filtered["order_id"].tolist() == ["ORD-4242", *(f"ORD-4242{i}" for i in range(10))]


def test_widget_is_the_layout_and_displays_as_a_widget() -> None:
    """``widget`` holds the controls and output; the explorer displays as that widget."""
    explorer = DiscrepancyExplorer(frame(*ROWS))
    assert isinstance(explorer.widget, w.VBox)
    assert explorer.output in explorer.widget.children
    assert "application/vnd.jupyter.widget-view+json" in explorer._repr_mimebundle_()

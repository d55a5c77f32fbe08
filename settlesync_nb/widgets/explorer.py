"""The discrepancy explorer: filter controls over :mod:`settlesync_nb.explore` and the figures.

The controls are plain ipywidgets wired with ``interactive_output`` to one function that filters
(:func:`~settlesync_nb.explore.filter_discrepancies`), renders the table and builds the
figures; nothing is decided in the widget. It works without a browser: set a control's
``value`` in plain Python and read :attr:`DiscrepancyExplorer.filtered`, ``.table.value`` and
``.figures``. Display it with ``display(explorer)`` or ``explorer.widget``.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go
from IPython.display import display
from traitlets import HasTraits, Int, Unicode, observe

from ..explore import display_table, filter_discrepancies, filter_options, normalise, parse_min_difference, shown_note
from ..reconcile import TestReport
from ..viz import difference_distribution, discrepancies_by_kind, discrepancies_over_time, largest_differences
from ..viz.layout import esc

SELECTS = (
    ("kinds", "Kind"),
    ("transaction_types", "Type"),
    ("marketplaces", "Marketplace"),
    ("settlements", "Settlement"),
)
STYLE = "<style>.settlesync-table td, .settlesync-table th {padding: 2px 6px; text-align: left}</style>"


class DiscrepancyExplorer(HasTraits):
    """Filter a report's discrepancies and see the matching rows and figures.

    Attributes:
        controls: The filter widgets by :func:`filter_discrepancies` argument name
            (``SelectMultiple`` for kinds, types, marketplaces, settlements; ``Text`` for
            ``min_difference`` and ``search``). Nothing selected means all.
        table: HTML of the first :attr:`limit` matching rows, escaped.
        figures: The figures for the matching rows, by name.
        widget: The layout to display.
    """

    limit = Int(200, min=0, help="Most rows shown in the table; the others are counted, not shown.")
    top = Int(15, min=1, help="Orders or SKUs in the largest-differences figures, per currency.")
    message = Unicode("", help="Why the minimum difference was refused; empty when it was accepted.")
    row_count = Int(0, read_only=True, help="Rows matching the current filters.")

    def __init__(self, report: TestReport | pd.DataFrame, *, limit: int = 200, top: int = 15) -> None:
        """Build the controls and show every discrepancy.

        Args:
            report: A test report, or its ``discrepancies`` frame.
            limit: Most rows in the table.
            top: Bars per currency in the largest-differences figures.
        """
        super().__init__()
        self._all = normalise(report.discrepancies if isinstance(report, TestReport) else report)
        self._filtered = self._all
        self.figures: dict[str, go.Figure] = {}
        options = filter_options(self._all)
        selects = {
            name: w.SelectMultiple(
                options=options[name],
                value=(),
                rows=min(6, max(2, len(options[name]))),
                description=label,
                tooltip=f"{label}: select one or more (Ctrl/Cmd-click); none selected shows all",
                layout=w.Layout(width="260px"),
            )
            for name, label in SELECTS
        }
        texts = {
            "min_difference": w.Text(
                description="Min |diff.|",
                placeholder="e.g. 5.00 (any currency)",
                tooltip="Keep rows whose absolute difference is at least this, in each row's currency",
                continuous_update=False,
            ),
            "search": w.Text(
                description="Order / SKU",
                placeholder="part of an order id or SKU",
                tooltip="Case-insensitive text found in the order id or a SKU",
                continuous_update=False,
            ),
        }
        self.controls: dict[str, w.Widget] = {**selects, **texts}
        self.error = w.HTML(layout=w.Layout(display="none"))
        self.note = w.HTML()
        self.table = w.HTML()
        self.set_trait("limit", limit)
        self.set_trait("top", top)
        self.output = w.interactive_output(self._refresh, self.controls)
        self.widget = w.VBox(
            [
                w.HBox(list(selects.values())),
                w.HBox(list(texts.values())),
                self.error,
                self.note,
                w.Box([self.table], layout=w.Layout(max_height="420px", overflow="auto")),
                self.output,
            ]
        )

    @property
    def filtered(self) -> pd.DataFrame:
        """The discrepancy rows matching the current filters (normalised, original index)."""
        return self._filtered

    def _refresh(
        self,
        kinds: tuple[str, ...],
        transaction_types: tuple[str, ...],
        marketplaces: tuple[str, ...],
        settlements: tuple[str, ...],
        min_difference: str,
        search: str,
    ) -> None:
        """Filter, render the table and figures; on a bad minimum keep the last result."""
        try:
            minimum = parse_min_difference(min_difference)
        except ValueError as error:
            self.message = f"{error}. The table still shows the previous filter."
            self._show_figures()
            return
        self.message = ""
        self._filtered = filter_discrepancies(
            self._all,
            kinds=kinds,
            transaction_types=transaction_types,
            marketplaces=marketplaces,
            settlements=settlements,
            min_difference=minimum,
            search=search,
        )
        self.set_trait("row_count", len(self._filtered))
        self._render()

    def _render(self) -> None:
        table = display_table(self._filtered, limit=self.limit)
        self.note.value = f"<b>{esc(shown_note(len(table), len(self._filtered)))}</b>"
        html = table.to_html(index=False, escape=True, border=0, classes="settlesync-table") if len(table) else ""
        self.table.value = STYLE + html
        rows = self._filtered
        self.figures = {
            "by_kind": discrepancies_by_kind(rows),
            "differences": difference_distribution(rows),
            "over_time": discrepancies_over_time(rows),
            "largest_orders": largest_differences(rows, by="order", top=self.top),
            "largest_skus": largest_differences(rows, by="sku", top=self.top),
        }
        self._show_figures()

    def _show_figures(self) -> None:
        """Display the figures in the output (which ``interactive_output`` has just cleared)."""
        for figure in self.figures.values():
            display(figure)

    @observe("message")
    def _show_message(self, change: dict[str, Any]) -> None:
        text = change["new"]
        self.error.value = f'<span style="color: #b00020">{esc(text)}</span>' if text else ""
        self.error.layout.display = "block" if text else "none"

    @observe("limit", "top")
    def _resize(self, change: dict[str, Any]) -> None:
        if self.figures:  # not while __init__ sets them
            with self.output:
                self.output.clear_output(wait=True)
                self._render()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """Display as the layout in Jupyter and Voila."""
        return self.widget._repr_mimebundle_(**kwargs)

"""Plotly figures of a test report: every function returns a ``go.Figure`` and never shows it.

Money is exact until the axes: amounts are summed, binned and ranked in integer minor units,
labelled with exact decimal strings, and every money axis names its currency. Several
currencies get one panel each. Large inputs are aggregated (counts per bin, top N) and the
figure's subtitle says so. User text is HTML-escaped before it reaches a label or hover text.
"""

from __future__ import annotations

from .amounts import difference_distribution, largest_differences
from .counts import discrepancies_by_kind, discrepancies_over_time
from .layout import empty_figure, note_of
from .settlement import settlement_totals, settlement_waterfall

__all__ = [
    "difference_distribution",
    "discrepancies_by_kind",
    "discrepancies_over_time",
    "empty_figure",
    "largest_differences",
    "note_of",
    "settlement_totals",
    "settlement_waterfall",
]

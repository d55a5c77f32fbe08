"""What every settlesync figure shares: escaping, the float boundary, money axes, notes, empty state.

User strings (SKUs, order ids, explanations, even categories from a config) pass through
:func:`esc` before they become a label or hover text, and never go into a ``hovertemplate``
(where ``%{...}`` would be read as a placeholder). Minor units become floats only in
:func:`units`, just before plotting; labels show exact decimal strings.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from ..money import exponent

MAX_PANELS = 6  # currencies side by side; more would make each panel unreadable
PALETTE = qualitative.Plotly
ERROR_COLOUR = "#d62728"
NEUTRAL_COLOUR = "#636efa"
SEVERAL_CURRENCIES = "one panel per currency: amounts in different currencies are never added or shared on an axis"


def esc(value: object) -> str:
    """HTML-escaped text of a user value; empty for a missing one."""
    if value is None or value is np.nan:
        return ""
    try:
        if value != value:  # NaN, NaT, pd.NA compare unequal (pd.NA raises)
            return ""
    except TypeError:
        return ""
    return html.escape(str(value))


def esc_all(values: Iterable[object]) -> list[str]:
    """:func:`esc` over many values."""
    return [esc(v) for v in values]


def clip(text: object, length: int = 160) -> str:
    """Escaped text cut to ``length`` characters before escaping (no entity is cut in half)."""
    raw = "" if esc(text) == "" else str(text)
    return esc(raw if len(raw) <= length else raw[: length - 1] + "…")


def units(minor: Sequence[int] | np.ndarray, currency: str) -> np.ndarray:
    """Minor units as floats of the currency's main unit: the plotting boundary, nowhere else."""
    return np.asarray(minor, dtype=np.int64).astype(np.float64) / 10 ** exponent(currency)


def money_title(label: str, currency: str) -> str:
    """An axis title naming the currency, e.g. ``Difference (USD)``."""
    return f"{label} ({esc(currency)})"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 row``, ``100,000 rows`` (``many`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def titled(fig: go.Figure, title: str, notes: Iterable[str] = ()) -> go.Figure:
    """Set the title, with any notes (sampling, grouping, currencies) as its subtitle."""
    text = "; ".join(n for n in notes if n)
    fig.update_layout(title={"text": title, "subtitle": {"text": text}}, margin={"t": 90 if text else 60})
    return fig


def note_of(fig: go.Figure) -> str:
    """The notes shown under a figure's title."""
    return str(fig.layout.title.subtitle.text or "")


def empty_figure(title: str, message: str) -> go.Figure:
    """A figure that says why it has nothing to show."""
    fig = go.Figure()
    fig.add_annotation(
        text=message, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False, font={"size": 14}, name="empty"
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return titled(fig, title)


def panels(currencies: Sequence[str], *, stacked: bool, titles: Sequence[str] | None = None) -> go.Figure:
    """One subplot per currency, side by side or stacked, none sharing an axis."""
    count = max(1, len(currencies))
    labels = list(titles) if titles is not None else esc_all(currencies)
    if stacked:
        return make_subplots(rows=count, cols=1, subplot_titles=labels, vertical_spacing=min(0.3, 0.5 / count))
    return make_subplots(rows=1, cols=count, subplot_titles=labels, horizontal_spacing=min(0.12, 0.5 / count))


def cell(index: int, *, stacked: bool) -> dict[str, int]:
    """``row``/``col`` of the ``index``-th panel made by :func:`panels`."""
    return {"row": index + 1, "col": 1} if stacked else {"row": 1, "col": index + 1}


def colour(index: int) -> str:
    """A distinct colour for the ``index``-th series."""
    return PALETTE[index % len(PALETTE)]


def by_currency(rows: pd.DataFrame) -> tuple[list[tuple[str, pd.DataFrame]], list[str]]:
    """Rows per currency (most rows first, at most :data:`MAX_PANELS`) and the notes to show."""
    currency = rows["currency"].fillna("").astype(str)
    counts = currency.value_counts()
    names = sorted(counts.index, key=lambda c: (-int(counts[c]), c))
    notes = [SEVERAL_CURRENCIES] if len(names) > 1 else []
    if len(names) > MAX_PANELS:
        notes.append(
            f"showing the {MAX_PANELS} currencies with most rows of {len(names)}: filter by settlement for the others"
        )
    return [(c, rows[(currency == c).to_numpy()]) for c in names[:MAX_PANELS]], notes


def count_axis(fig: go.Figure, title: str, largest: int, **where: int) -> None:
    """A y axis of counts: whole-number ticks, one per unit when counts are small."""
    fig.update_yaxes(title_text=title, tickformat=",d", rangemode="tozero", dtick=1 if largest <= 10 else None, **where)


def kind_colour(kind: str, kinds: Sequence[str]) -> str:
    """The same colour for a kind in every figure (its place in ``kinds``, the report's order)."""
    return colour(list(kinds).index(kind)) if kind in kinds else colour(len(kinds))

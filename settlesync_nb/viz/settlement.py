"""Settlement figures: one settlement's waterfall to its deposit, and totals against lines totals.

Both take the report's own parts (``report.summary``, ``report.settlements``), so a notebook
cell is ``settlement_waterfall(report.summary, report.settlements[0])``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from ..model import Settlement
from ..money import format_minor
from ..reconcile import CATEGORIES, UNCLASSIFIED, SettlementResult
from .layout import (
    ERROR_COLOUR,
    NEUTRAL_COLOUR,
    SEVERAL_CURRENCIES,
    cell,
    empty_figure,
    esc,
    esc_all,
    money_title,
    panels,
    plural,
    titled,
    units,
)

LINES_TOTAL = "Lines total"
MAX_SETTLEMENTS = 60  # bars per currency panel in settlement_totals
TOTAL_COLOUR = "#7f7f7f"
LIGHT_ERROR_COLOUR = "#ff9896"  # lines total of an inconsistent settlement, next to its red report total


def _unwrap(item: Settlement | SettlementResult) -> Settlement:
    return item.settlement if isinstance(item, SettlementResult) else item


def settlement_waterfall(summary: pd.DataFrame, settlement: Settlement | SettlementResult) -> go.Figure:
    """Waterfall from sales through refunds, fees, reserves and other categories to the deposit.

    Args:
        summary: ``report.summary`` (per settlement and category: ``amount_minor``).
        settlement: The settlement to draw (a ``Settlement`` or a ``SettlementResult``).

    Returns:
        A ``go.Waterfall`` whose last bar is the lines total. When the report's total-amount
        differs, a red marker shows it and the subtitle gives the difference.
    """
    item = _unwrap(settlement)
    currency = item.currency
    rows = summary[summary["settlement_id"].astype(str) == item.settlement_id]
    sums = rows.groupby(rows["category"].astype(str), sort=False)["amount_minor"].sum()
    order = [*CATEGORIES, *sorted(set(sums.index) - {*CATEGORIES, UNCLASSIFIED}), UNCLASSIFIED]
    categories = [c for c in order if c in sums.index]
    minor = [int(sums[c]) for c in categories]
    title = f"Settlement {esc(item.settlement_id)}: from sales to the deposit ({esc(currency)})"
    labels = [*esc_all(categories), LINES_TOTAL]
    values = [*minor, item.lines_total_minor]
    fig = go.Figure(
        go.Waterfall(
            name=esc(item.settlement_id),
            x=labels,
            y=units(values, currency),
            measure=["relative"] * len(categories) + ["total"],
            text=[format_minor(v, currency) for v in values],
            textposition="outside",
            hoverinfo="x+text",
            showlegend=False,
            totals={"marker": {"color": TOTAL_COLOUR if item.consistent else ERROR_COLOUR}},
        )
    )
    fig.update_xaxes(type="category", title_text="Category")
    fig.update_yaxes(title_text=money_title("Amount", currency))
    notes = [f"{plural(item.line_count, 'line')}; the last bar is what the lines add up to"]
    if sum(minor) != item.lines_total_minor:
        notes.append(
            f"the categories add up to {format_minor(sum(minor), currency)}, not the lines total "
            f"{item.lines_total}: the summary does not match this settlement"
        )
    if not item.consistent:
        gap = format_minor(item.total_minor - item.lines_total_minor, currency)
        report_total = float(units([item.total_minor], currency)[0])
        fig.add_trace(
            go.Scatter(
                name=f"report total-amount {item.total_amount}",
                x=[LINES_TOTAL],
                y=[report_total],
                mode="markers",
                marker={"symbol": "x", "size": 16, "color": "black", "line": {"width": 1, "color": "white"}},
                hovertext=[f"report total-amount {item.total_amount} {esc(currency)}"],
                hoverinfo="text",
            )
        )
        fig.add_hline(
            y=report_total,
            line={"dash": "dash", "color": "black", "width": 1},
            annotation_text=f"report total-amount {item.total_amount}",
            annotation_position="bottom left",
        )
        notes.append(
            f"DOES NOT FOOT: the report's total-amount {item.total_amount} differs from the lines total "
            f"{item.lines_total} by {gap} {esc(currency)} (black cross and dashed line)"
        )
    fig.update_layout(showlegend=not item.consistent)
    return titled(fig, title, notes)


def settlement_totals(settlements: Iterable[Settlement | SettlementResult]) -> go.Figure:
    """Each settlement's report total next to its lines total; inconsistent ones in red.

    One panel per currency. At most :data:`MAX_SETTLEMENTS` per currency are drawn,
    inconsistent ones first, and the subtitle says how many were left out.
    """
    items = [_unwrap(s) for s in settlements]
    title = "Report total versus lines total per settlement"
    if not items:
        return empty_figure(title, "No settlement loaded: nothing to compare.")
    currencies = sorted({s.currency for s in items})
    fig = panels(currencies, stacked=False)
    notes = [SEVERAL_CURRENCIES] if len(currencies) > 1 else []
    for index, currency in enumerate(currencies):
        mine = [s for s in items if s.currency == currency]
        chosen = sorted(mine, key=lambda s: (s.consistent, -abs(s.total_minor - s.lines_total_minor)))
        chosen = sorted(chosen[:MAX_SETTLEMENTS], key=lambda s: (s.start is None, s.start, s.settlement_id))
        if len(mine) > MAX_SETTLEMENTS:
            notes.append(f"{esc(currency)}: showing {MAX_SETTLEMENTS} of {len(mine):,} settlements, inconsistent first")
        labels = esc_all(s.settlement_id for s in chosen)
        hover = [
            f"{esc(s.settlement_id)}: report total {s.total_amount}, lines total {s.lines_total} {esc(currency)}"
            + (
                ""
                if s.consistent
                else f"<br>DOES NOT FOOT by {format_minor(s.total_minor - s.lines_total_minor, currency)}"
            )
            for s in chosen
        ]
        for name, values, base, alarm in (
            ("report total-amount", [s.total_minor for s in chosen], NEUTRAL_COLOUR, ERROR_COLOUR),
            ("lines total", [s.lines_total_minor for s in chosen], TOTAL_COLOUR, LIGHT_ERROR_COLOUR),
        ):
            fig.add_trace(
                go.Bar(
                    name=name,
                    legendgroup=name,
                    showlegend=index == 0,
                    x=labels,
                    y=units(values, currency),
                    text=[format_minor(v, currency) for v in values],
                    hovertext=hover,
                    hoverinfo="text",
                    marker={
                        "color": [base if s.consistent else alarm for s in chosen],
                        "line": {"width": [0 if s.consistent else 3 for s in chosen], "color": "black"},
                    },
                ),
                **cell(index, stacked=False),
            )
        fig.update_xaxes(type="category", title_text="Settlement", **cell(index, stacked=False))
        fig.update_yaxes(title_text=money_title("Amount", currency), **cell(index, stacked=False))
    bad = sum(not s.consistent for s in items)
    notes.insert(
        0,
        f"{bad} of {plural(len(items), 'settlement')} inconsistent (red and light red, outlined)"
        if bad
        else "all consistent",
    )
    fig.update_layout(barmode="group")
    return titled(fig, title, notes)

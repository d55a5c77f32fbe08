"""How large the differences are: their distribution, and the orders and SKUs with the largest.

Differences are binned or ranked in exact integer minor units and only then turned into floats
for the axes; every panel holds one currency.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from math import ceil
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..explore import NONE_LABEL, normalise
from ..money import format_minor
from .layout import (
    ERROR_COLOUR,
    NEUTRAL_COLOUR,
    by_currency,
    cell,
    clip,
    count_axis,
    empty_figure,
    esc,
    esc_all,
    money_title,
    panels,
    plural,
    titled,
    units,
)

BINS = 40
TOP = 15
DIFFERENCE = "Difference, Amazon − NetSuite"
BY = {"order": "orders and refunds", "sku": "SKUs"}


def difference_distribution(frame: pd.DataFrame, *, bins: int = BINS) -> go.Figure:
    """Histogram of the differences of ``amount_mismatch`` rows, one panel per currency.

    Values are counted into at most ``bins`` bins whose width is a whole number of minor units,
    so the counts are exact and each trace has at most ``bins`` points whatever the row count.
    """
    data = normalise(frame)
    title = "Distribution of amount mismatches (Amazon − NetSuite)"
    rows = data[((data["kind"] == "amount_mismatch") & data["difference_minor"].notna()).to_numpy(dtype=bool)]
    if rows.empty:
        return empty_figure(title, "No amount mismatch among these rows: nothing to draw.")
    groups, notes = by_currency(rows)
    titles = [f"{esc(c)}: {plural(len(g), 'mismatch', 'mismatches')}" for c, g in groups]
    fig = panels([c for c, _ in groups], stacked=False, titles=titles)
    for index, (currency, group) in enumerate(groups):
        values = group["difference_minor"].to_numpy(dtype=np.int64)
        low, high = int(values.min()), int(values.max())
        width = max(1, ceil((high - low + 1) / bins))
        counts = np.bincount((values - low) // width)
        starts = low + np.arange(len(counts), dtype=np.int64) * width
        ends = starts + width - 1
        if width == 1:
            hover = [
                f"exactly {format_minor(s, currency)} {esc(currency)}: {n:,}"
                for s, n in zip(starts.tolist(), counts.tolist(), strict=True)
            ]
        else:
            hover = [
                f"{format_minor(s, currency)} to {format_minor(e, currency)} {esc(currency)}: {n:,}"
                for s, e, n in zip(starts.tolist(), ends.tolist(), counts.tolist(), strict=True)
            ]
        fig.add_trace(
            go.Bar(
                name=esc(currency),
                x=units(starts, currency) + (width - 1) / 2 * units([1], currency)[0],
                y=counts,
                width=units([width], currency)[0],
                hovertext=hover,
                hoverinfo="text",
                marker={"color": NEUTRAL_COLOUR},
                showlegend=False,
            ),
            **cell(index, stacked=False),
        )
        fig.update_xaxes(title_text=money_title(DIFFERENCE, currency), **cell(index, stacked=False))
        count_axis(
            fig, "Amount mismatches (count)" if index == 0 else "", int(counts.max()), **cell(index, stacked=False)
        )
        notes.insert(0, f"{esc(currency)} in {len(counts)} bins of {format_minor(width, currency)}")
    fig.update_layout(bargap=0.05)
    return titled(fig, title, notes)


def largest_differences(frame: pd.DataFrame, *, by: str = "order", top: int = TOP) -> go.Figure:
    """Horizontal bars: the orders (or SKUs) with the largest absolute difference, per currency.

    Args:
        frame: Discrepancy rows; those without a difference or with a zero one are left out.
        by: ``"order"``: one bar per order and transaction type, its signed difference.
            ``"sku"``: one bar per SKU, the sum of the absolute differences of the rows that
            list it (an order with several SKUs counts in full towards each).
        top: Bars per currency.

    Raises:
        ValueError: for an unknown ``by``.
    """
    if by not in BY:
        raise ValueError(f"Unknown by: {by!r} (valid options are {', '.join(map(repr, BY))})")
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    data = normalise(frame)
    title = f"The {BY[by]} with the largest differences"
    difference = data["difference_minor"]
    rows = data[(difference.notna() & (difference != 0)).to_numpy(dtype=bool)]
    if rows.empty:
        return empty_figure(title, "No row with a non-zero difference: nothing to rank.")
    groups, notes = by_currency(rows)
    ranked = [(c, *(_rank_orders(g, top) if by == "order" else _rank_skus(g, top))) for c, g in groups]
    fig = panels([c for c, _, _ in ranked], stacked=True)
    for index, (currency, shown, total) in enumerate(ranked):
        notes.append(f"{esc(currency)}: showing {len(shown):,} of {total:,} {BY[by]}, largest |difference| first")
        value = shown["difference"] if by == "order" else shown["absolute"]
        fig.add_trace(
            go.Bar(
                name=esc(currency),
                orientation="h",
                y=esc_all(shown["label"]),
                x=units(value.to_numpy(dtype=np.int64), currency),
                text=[format_minor(int(v), currency) for v in value],
                textposition="auto",
                textangle=0,
                cliponaxis=False,
                hovertext=[_hover(row, currency, by) for row in shown.to_dict("records")],
                hoverinfo="text",
                marker={"color": [ERROR_COLOUR if v < 0 else NEUTRAL_COLOUR for v in shown["difference"]]},
                showlegend=False,
            ),
            **cell(index, stacked=True),
        )
        label = DIFFERENCE if by == "order" else "Sum of |difference| of its rows"
        fig.update_xaxes(title_text=money_title(label, currency), **cell(index, stacked=True))
        fig.update_yaxes(type="category", autorange="reversed", **cell(index, stacked=True))
    if by == "sku":
        notes.append("an order with several SKUs counts in full towards each")
    notes.append("red: NetSuite higher than Amazon")
    fig.update_layout(height=max(360, sum(140 + 22 * len(shown) for _, shown, _ in ranked)))
    return titled(fig, title, notes)


def _rank_orders(rows: pd.DataFrame, top: int) -> tuple[pd.DataFrame, int]:
    """The ``top`` (order id, transaction type) pairs by absolute summed difference, and how many there are."""
    order = rows["order_id"].fillna(NONE_LABEL).astype(str)
    label = (order + " (" + rows["transaction_type"].fillna(NONE_LABEL).astype(str) + ")").to_numpy(dtype=object)
    sums = pd.Series(rows["difference_minor"].to_numpy(dtype=np.int64)).groupby(label, sort=False).sum()
    table = _top(pd.DataFrame({"label": sums.index, "difference": sums.to_numpy()}), top)
    chosen = np.isin(label, table["label"].to_numpy())
    details = pd.DataFrame(
        {
            "label": label[chosen],
            "kind": rows["kind"].astype(str).to_numpy()[chosen],
            "explanation": rows["explanation"].fillna("").astype(str).to_numpy()[chosen],
            "skus": rows["skus"].fillna("").astype(str).to_numpy()[chosen],
        }
    ).drop_duplicates("label")
    return table.merge(details, on="label", how="left"), len(sums)


def _rank_skus(rows: pd.DataFrame, top: int) -> tuple[pd.DataFrame, int]:
    """The ``top`` SKUs by the summed absolute difference of the rows listing them, and how many there are."""
    difference = rows["difference_minor"].to_numpy(dtype=np.int64)
    frame = pd.DataFrame(
        {"joined": rows["skus"].fillna(NONE_LABEL).astype(str).to_numpy(), "difference": difference}
    ).assign(absolute=np.abs(difference))
    # each distinct SKU list once, then split: far fewer strings to split than rows
    per_list = frame.groupby("joined", sort=False).agg(
        absolute=("absolute", "sum"), difference=("difference", "sum"), rows=("difference", "size")
    )
    per_list["label"] = [[part.strip() for part in text.split(";")] for text in per_list.index]
    exploded = per_list.explode("label")
    table = exploded.groupby("label", sort=False).agg(
        absolute=("absolute", "sum"), difference=("difference", "sum"), rows=("rows", "sum")
    )
    return _top(table.reset_index(), top, by="absolute"), len(table)


def _top(table: pd.DataFrame, top: int, by: str = "difference") -> pd.DataFrame:
    """The ``top`` rows of largest absolute ``by``, ties by label, without sorting every row."""
    magnitude = np.abs(table[by].to_numpy(dtype=np.int64))
    if len(table) > top:
        threshold = np.partition(magnitude, len(magnitude) - top)[len(magnitude) - top]
        table, magnitude = table[magnitude >= threshold], magnitude[magnitude >= threshold]
    ordered = table.assign(_magnitude=magnitude).sort_values(["_magnitude", "label"], ascending=[False, True])
    return ordered.head(top).drop(columns="_magnitude").reset_index(drop=True)


def _hover(row: Mapping[Hashable, Any], currency: str, by: str) -> str:
    money = esc(currency)
    if by == "order":
        return (
            f"{esc(row['label'])}<br>difference {format_minor(int(row['difference']), currency)} {money}"
            f"<br>{esc(row['kind'])}; SKUs {clip(row['skus'], 80)}<br>{clip(row['explanation'])}"
        )
    return (
        f"SKU {esc(row['label'])}: {plural(int(row['rows']), 'row')}"
        f"<br>sum of |difference| {format_minor(int(row['absolute']), currency)} {money}"
        f"<br>net difference {format_minor(int(row['difference']), currency)} {money}"
    )

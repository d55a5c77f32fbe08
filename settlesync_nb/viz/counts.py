"""How many discrepancies: by kind and transaction type, and over posted time.

Both aggregate before plotting (one bar per kind and type, one per day, week or month), so
100,000 rows give a few dozen points per trace.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..explore import normalise
from ..reconcile import ERROR, KINDS
from .layout import colour, count_axis, empty_figure, esc, esc_all, kind_colour, plural, titled

MAX_TYPES = 8  # transaction types drawn separately; the rest are grouped
OTHER_TYPES = "other types"
SETTLEMENT_LEVEL = "(settlement level)"
MAX_BINS = 400  # time buckets per trace
BUCKETS = (("day", "D"), ("week", "W-SUN"), ("month", "M"), ("year", "Y"))  # W-SUN: weeks end on Sunday
PERIODS = {"day": 86_400_000, "week": 7 * 86_400_000, "month": "M1", "year": "M12"}  # bar widths for plotly
MONDAY = "2000-01-03"  # where plotly starts counting 7-day periods, so bars cover Monday to Sunday
COUNT_TITLE = "Discrepancies (count)"


def _kind_order(kinds: pd.Series) -> list[str]:
    present = {str(k) for k in kinds.dropna().unique()}
    return [k for k in KINDS if k in present] + sorted(present - set(KINDS))


def discrepancies_by_kind(frame: pd.DataFrame, *, max_types: int = MAX_TYPES) -> go.Figure:
    """Stacked bars: discrepancies per kind, split by transaction type; info rows hatched.

    Args:
        frame: Discrepancy rows (``report.discrepancies`` or a filtered part).
        max_types: Transaction types drawn on their own; rarer ones become "other types".
    """
    data = normalise(frame)
    title = "Discrepancies by kind and transaction type"
    if data.empty:
        return empty_figure(title, "No discrepancies match: nothing to count.")
    ttype = data["transaction_type"].fillna(SETTLEMENT_LEVEL).astype(str)
    ranked = ttype.value_counts()
    types = sorted(ranked.index, key=lambda t: (-int(ranked[t]), t))
    notes = [f"{plural(len(data), 'row')} counted", "errors solid, info hatched"]
    if len(types) > max_types:
        rare = set(types[max_types:])
        ttype = ttype.where(~ttype.isin(rare), OTHER_TYPES)
        notes.append(f"{len(rare)} less frequent transaction types grouped as '{OTHER_TYPES}'")
        types = [*types[:max_types], OTHER_TYPES]
    severity = data["severity"].fillna("").astype(str).where(lambda s: s == ERROR, "info")
    counts = pd.DataFrame({"type": ttype, "severity": severity, "kind": data["kind"].astype(str)})
    sizes: dict[tuple[str, str], dict[str, int]] = {}
    grouped = counts.groupby(["type", "severity", "kind"]).size()
    for key, size in zip(grouped.index.tolist(), grouped.tolist(), strict=True):
        sizes.setdefault((str(key[0]), str(key[1])), {})[str(key[2])] = int(size)
    kinds = _kind_order(data["kind"])
    fig = go.Figure()
    for index, name in enumerate(types):
        for level in (ERROR, "info"):
            part = sizes.get((name, level))
            if not part:
                continue
            shown = [k for k in kinds if k in part]
            fig.add_trace(
                go.Bar(
                    name=f"{esc(name)} · {level}",
                    legendgroup=esc(name),
                    x=esc_all(shown),
                    y=[part[k] for k in shown],
                    marker={"color": colour(index), "pattern": {"shape": "" if level == ERROR else "/"}},
                    hovertext=[f"{esc(k)} · {esc(name)} · {level}: {part[k]:,}" for k in shown],
                    hoverinfo="text",
                )
            )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=esc_all(kinds), title_text="Kind")
    largest = max(sum(part.get(k, 0) for part in sizes.values()) for k in kinds)
    count_axis(fig, COUNT_TITLE, largest)
    fig.update_layout(barmode="stack", legend_title_text="Transaction type · severity")
    return titled(fig, title, notes)


def discrepancies_over_time(frame: pd.DataFrame, *, max_bins: int = MAX_BINS) -> go.Figure:
    """Stacked bars: discrepancies per posted day (UTC) by kind; per week or month when long.

    Args:
        frame: Discrepancy rows.
        max_bins: Most time buckets; a longer span is counted per week, then month, then year.
    """
    data = normalise(frame)
    title = "Discrepancies over posted time"
    dated = data[data["posted_time"].notna().to_numpy()]
    undated = len(data) - len(dated)
    if dated.empty:
        reason = (
            "No discrepancies match." if data.empty else f"None of the {plural(len(data), 'row')} has a posted time."
        )
        return empty_figure(title, reason)
    naive = dated["posted_time"].dt.tz_convert("UTC").dt.tz_localize(None)
    first, last = naive.min(), naive.max()
    label, code = _bucket(first, last, max_bins)
    bucket = naive.dt.to_period(code).dt.start_time
    notes = [f"{plural(len(dated), 'row')} counted per {label}"]
    if label != "day":
        notes.append(f"per {label} because one bar per day would be too many")
    if undated:
        notes.append(f"{plural(undated, 'row')} without a posted time not shown (settlement-level or NetSuite-only)")
    frame = pd.DataFrame({"kind": dated["kind"].astype(str).to_numpy(), "bucket": bucket.to_numpy()})
    fig = go.Figure()
    largest = int(pd.Series(bucket.to_numpy()).value_counts().max())
    for kind in _kind_order(dated["kind"]):
        part = frame[frame["kind"] == kind].groupby("bucket").size()
        fig.add_trace(
            go.Bar(
                name=esc(kind),
                marker={"color": kind_colour(kind, list(KINDS))},
                x=pd.DatetimeIndex(part.index).to_pydatetime(),
                y=part.to_numpy(),
                xperiod=PERIODS[label],
                xperiodalignment="middle",
                xperiod0=MONDAY if label == "week" else None,
                hovertext=[f"{esc(kind)}, {label} of {t:%Y-%m-%d}: {int(n):,}" for t, n in part.items()],
                hoverinfo="text",
            )
        )
    fig.update_xaxes(title_text=f"Posted {label} (UTC)" + (", weeks start Monday" if label == "week" else ""))
    count_axis(fig, COUNT_TITLE, largest)
    fig.update_layout(barmode="stack", legend_title_text="Kind", legend_traceorder="normal")
    return titled(fig, title, notes)


def _bucket(first: pd.Timestamp, last: pd.Timestamp, max_bins: int) -> tuple[str, str]:
    """The finest of day, week, month and year giving at most ``max_bins`` buckets."""
    for label, code in BUCKETS:
        if len(pd.period_range(first, last, freq=code)) <= max_bins:
            return label, code
    return BUCKETS[-1]

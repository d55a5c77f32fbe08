"""Filtering the discrepancy table: the pure half of the discrepancy explorer.

Plain pandas, no widgets: :mod:`settlesync_nb.widgets.explorer` puts controls over these
functions, and notebooks and tests call them directly. An empty selection means "all". Money
stays exact: the minimum difference is a :class:`~decimal.Decimal` compared with each row's
integer minor units in that row's currency, and tables show decimal strings, never floats.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from decimal import ROUND_CEILING, Decimal

import numpy as np
import pandas as pd

from .money import exponent, format_minor
from .reconcile.engine import COLUMNS
from .reconcile.rules import ERROR, KINDS

NONE_LABEL = "(none)"  # stands for an empty value (settlement-level rows have no order or type)
MONEY_COLUMNS = ("amazon_minor", "netsuite_minor", "difference_minor")
TEXT_COLUMNS = tuple(c for c in COLUMNS[:15] if c not in {*MONEY_COLUMNS, "posted_time"})
OPTION_COLUMNS = {
    "kinds": "kind",
    "transaction_types": "transaction_type",
    "marketplaces": "marketplace",
    "settlements": "settlement_id",
}
TABLE_COLUMNS = (
    "settlement_id",
    "kind",
    "severity",
    "transaction_type",
    "order_id",
    "currency",
    "amazon_amount",
    "netsuite_amount",
    "difference",
    "marketplace",
    "posted_time",
    "skus",
    "netsuite_documents",
    "explanation",
    "resolution",
)
_PLAIN_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_INT64_MAX = int(np.iinfo(np.int64).max)


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """The discrepancy frame with one dtype per column, whatever rows it holds.

    Money columns become nullable ``Int64``, ``posted_time`` UTC datetimes and identifiers
    nullable strings; columns already of that type are left as they are.

    Raises:
        KeyError: if a discrepancy column is missing.
    """
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise KeyError(f"not a discrepancy table: column(s) {missing} missing. Columns in frame: {list(frame.columns)}")
    changes: dict[str, pd.Series] = {}
    for column in MONEY_COLUMNS:
        if str(frame[column].dtype) != "Int64":
            changes[column] = frame[column].astype("Int64")
    if not isinstance(frame["posted_time"].dtype, pd.DatetimeTZDtype):
        changes["posted_time"] = pd.to_datetime(frame["posted_time"], utc=True)
    for column in TEXT_COLUMNS:
        if not isinstance(frame[column].dtype, pd.StringDtype):
            changes[column] = frame[column].astype("string")
    return frame.assign(**changes) if changes else frame


def parse_min_difference(value: str | Decimal | None) -> Decimal | None:
    """A minimum difference as an exact Decimal; ``None`` or blank text means no minimum.

    Raises:
        ValueError: for text that is not a plain non-negative amount such as ``5`` or ``0.01``.
        TypeError: for a float, which cannot hold a money amount exactly.
    """
    if value is None:
        return None
    if isinstance(value, float):
        raise TypeError(f"minimum difference {value!r} is a float; pass it as text or a Decimal, e.g. '0.10'")
    if isinstance(value, Decimal):
        number = value
    else:
        text = str(value).strip()
        if not text:
            return None
        if not _PLAIN_AMOUNT.fullmatch(text):
            raise ValueError(
                f"minimum difference {text!r} is not a plain amount: write digits with an optional decimal "
                "point, e.g. 5 or 0.01 (no sign, currency or thousands separator)"
            )
        number = Decimal(text)
    if not number.is_finite() or number < 0:
        raise ValueError(f"minimum difference {value!r} must be a finite amount of zero or more, e.g. 0.01")
    return number


def filter_discrepancies(
    frame: pd.DataFrame,
    *,
    kinds: Collection[str] = (),
    transaction_types: Collection[str] = (),
    marketplaces: Collection[str] = (),
    settlements: Collection[str] = (),
    min_difference: str | Decimal | None = None,
    search: str = "",
) -> pd.DataFrame:
    """The discrepancy rows that match every given criterion (normalised, index kept).

    Args:
        frame: ``TestReport.discrepancies`` or a part of it.
        kinds: Kinds to keep (see ``reconcile.KINDS``); empty keeps all.
        transaction_types: Transaction types to keep; :data:`NONE_LABEL` selects rows without one.
        marketplaces: Marketplaces to keep; :data:`NONE_LABEL` selects rows without one.
        settlements: Settlement ids; a row matches when any of its ``;``-joined ids is given.
        min_difference: Keep rows whose absolute difference is at least this amount in the
            row's currency, compared exactly; rows without a difference are dropped.
        search: Case-insensitive text found in the order id or in one of the SKUs.

    Raises:
        ValueError: for an unknown kind or a minimum that is not a plain amount.
    """
    data = normalise(frame)
    kinds, transaction_types, marketplaces, settlements = (
        (value,) if isinstance(value, str) else tuple(value)  # one value given as a string
        for value in (kinds, transaction_types, marketplaces, settlements)
    )
    known = {*KINDS, *data["kind"].dropna().unique()}
    unknown = sorted(set(kinds) - known)
    if unknown:
        raise ValueError(f"Unknown kind: {', '.join(unknown)} (valid options are {', '.join(KINDS)})")
    keep = np.ones(len(data), dtype=bool)
    for selected, column in ((kinds, "kind"), (transaction_types, "transaction_type"), (marketplaces, "marketplace")):
        if selected:
            keep &= data[column].fillna(NONE_LABEL).isin(list(selected)).to_numpy(dtype=bool)
    if settlements:
        keep &= _any_id(data["settlement_id"], settlements)
    minimum = parse_min_difference(min_difference)
    if minimum is not None:
        keep &= _at_least(data, minimum)
    needle = search.strip().casefold()
    if needle:
        found = _contains(data["order_id"], needle)
        if ";" not in needle:  # without a separator, a match in the joined SKUs lies inside one SKU
            found = found | _contains(data["skus"], needle)
        keep &= found
    return data.loc[keep]


def _contains(values: pd.Series, needle: str) -> np.ndarray:
    folded = values.fillna("").astype(str).str.casefold()
    return folded.str.contains(needle, regex=False).to_numpy(dtype=bool)


def _any_id(values: pd.Series, selected: Collection[str]) -> np.ndarray:
    """Rows with at least one of ``selected`` among their ``;``-joined ids (each distinct value split once)."""
    joined = values.fillna(NONE_LABEL).astype(str)
    wanted = set(selected)
    hit = {text: any(part.strip() in wanted for part in text.split(";")) for text in joined.unique()}
    return joined.map(hit).to_numpy(dtype=bool)


def _at_least(data: pd.DataFrame, minimum: Decimal) -> np.ndarray:
    """Rows whose absolute difference is at least ``minimum`` in the row's own currency."""
    currency = data["currency"].fillna("").astype(str)
    limits = {
        c: min(_INT64_MAX, int(minimum.scaleb(exponent(c)).to_integral_value(ROUND_CEILING))) for c in currency.unique()
    }
    limit = currency.map(limits).to_numpy(dtype=np.int64)
    difference = data["difference_minor"]
    present = difference.notna().to_numpy(dtype=bool)
    magnitude = np.abs(difference.fillna(0).to_numpy(dtype=np.int64))
    return present & (magnitude >= limit)


def filter_options(frame: pd.DataFrame) -> dict[str, list[str]]:
    """The values each filter can take, keyed like :func:`filter_discrepancies`' arguments.

    Kinds come in ``KINDS`` order, other values sorted, :data:`NONE_LABEL` last when some rows
    have no value; split settlements list each of their ids.
    """
    data = normalise(frame)
    options: dict[str, list[str]] = {}
    for name, column in OPTION_COLUMNS.items():
        values = data[column]
        distinct = [str(v) for v in values.dropna().unique()]
        if name == "settlements":
            present = {part.strip() for text in distinct for part in text.split(";")}
        else:
            present = set(distinct)
        ordered = [k for k in KINDS if k in present] if name == "kinds" else []
        ordered += sorted(present - set(ordered))
        options[name] = ordered + ([NONE_LABEL] if values.isna().any() else [])
    return options


def display_table(frame: pd.DataFrame, limit: int = 200) -> pd.DataFrame:
    """User-facing rows: errors first, then the largest absolute difference, at most ``limit``.

    Amounts are exact decimal strings (``amazon_amount``, ``netsuite_amount``, ``difference``),
    absent values empty strings. Nothing is HTML-escaped here: escape when rendering.
    ``attrs["total_rows"]`` holds the number of rows before the cut.
    """
    if limit < 0:
        raise ValueError(f"limit must be zero or more, got {limit}")
    data = normalise(frame)
    difference = data["difference_minor"]
    magnitude = np.where(difference.notna(), np.abs(difference.fillna(0).to_numpy(dtype=np.int64)), -1)
    is_info = (data["severity"].fillna("") != ERROR).to_numpy(dtype=bool)
    order = np.lexsort((np.arange(len(data)), -magnitude, is_info))[:limit]
    top = data.iloc[order]
    currency = top["currency"].fillna("").astype(str).tolist()
    table = pd.DataFrame(index=range(len(top)))
    for column in TABLE_COLUMNS:
        if column in ("amazon_amount", "netsuite_amount", "difference"):
            source = {"amazon_amount": "amazon_minor", "netsuite_amount": "netsuite_minor"}.get(
                column, "difference_minor"
            )
            table[column] = [_money(v, c) for v, c in zip(top[source].tolist(), currency, strict=True)]
        elif column == "posted_time":
            table[column] = top[column].dt.strftime("%Y-%m-%d %H:%M:%S UTC").fillna("").astype(str).to_numpy()
        else:
            table[column] = top[column].astype("string").fillna("").astype(str).to_numpy()
    table.attrs["total_rows"] = len(data)
    return table


def _money(value: object, currency: str) -> str:
    return "" if value is None or value is pd.NA else format_minor(int(value), currency)  # type: ignore[call-overload]


def shown_note(shown: int, total: int) -> str:
    """``showing 200 of 100,000 rows (errors first, largest difference first)`` or ``all 12 rows``."""
    if shown >= total:
        return f"showing all {total:,} row{'s' if total != 1 else ''}"
    return f"showing {shown:,} of {total:,} rows (errors first, then the largest absolute difference)"

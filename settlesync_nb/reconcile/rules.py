"""The discrepancy vocabulary and the ordered rules that assign it.

Each (order id, Order|Refund) pair gets at most one kind: the first rule in :data:`ORDER_RULES`
whose test holds. Rules see the pairs that are not in plain agreement (on both sides, one live
NetSuite record, same currency, same amount: see ``matching.Pairs.in_plain_agreement``), since
no rule could find anything in those. Rules share one signature (joined frame, context) -> boolean mask, so each
can be tested alone; explanations are likewise an ordered tuple of small functions, each adding
one reason where it can be inferred.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

import numpy as np
import pandas as pd

from ..money import exponent, format_minor

ERROR = "error"
INFO = "info"
KINDS: dict[str, str] = {
    "missing_in_netsuite": ERROR,
    "amount_mismatch": ERROR,
    "duplicate_in_netsuite": ERROR,
    "cancelled_posting": ERROR,
    "currency_mismatch": ERROR,
    "settlement_inconsistent": ERROR,
    "duplicate_settlement": ERROR,  # info when the copies are identical
    "missing_in_amazon": INFO,
    "unclassified_line": INFO,
}


@dataclass(frozen=True)
class Context:
    """What rules need besides the joined frame."""

    tolerance: Decimal

    def tolerance_minor(self, currency: str) -> int:
        """The tolerance in minor units of ``currency`` (never rounded up)."""
        scaled = (self.tolerance * 10 ** exponent(currency)).to_integral_value(rounding=ROUND_FLOOR)
        return int(scaled)


Test = Callable[[pd.DataFrame, Context], np.ndarray]


@dataclass(frozen=True)
class Rule:
    """A kind and the test that finds it."""

    kind: str
    test: Test

    @property
    def severity(self) -> str:
        """``error`` or ``info``."""
        return KINDS[self.kind]


def _missing_in_amazon(m: pd.DataFrame, ctx: Context) -> np.ndarray:
    return ~m["in_amazon"].to_numpy(dtype=bool)


def _missing_in_netsuite(m: pd.DataFrame, ctx: Context) -> np.ndarray:
    return ~m["in_netsuite"].to_numpy(dtype=bool)


def _cancelled_posting(m: pd.DataFrame, ctx: Context) -> np.ndarray:
    return (m["live_count"].to_numpy() == 0) & (m["cancelled_count"].to_numpy() > 0)


def _duplicate_in_netsuite(m: pd.DataFrame, ctx: Context) -> np.ndarray:
    # Two shipments or two partial refunds may rightly have two records; more records than
    # Amazon has events for the order (and always more than one) is a duplicate.
    return m["live_count"].to_numpy() > np.maximum(1, m["events"].to_numpy())


def _currency_mismatch(m: pd.DataFrame, ctx: Context) -> np.ndarray:
    theirs = m["netsuite_currency"].astype("string").fillna("")
    ours = m["currency"].astype("string").fillna("")
    # several live records may carry several currencies ("EUR;USD"): any other than Amazon's counts
    several = theirs.str.contains(";", regex=False).to_numpy(dtype=bool)
    differs = ((theirs != "") & (theirs != ours)).to_numpy(dtype=bool)
    if several.any():
        pairs = zip(theirs[several], ours[several], strict=True)
        differs[several] = [any(c != o for c in t.split(";")) for t, o in pairs]
    return differs


def _amount_mismatch(m: pd.DataFrame, ctx: Context) -> np.ndarray:
    currency = m["currency"].astype("category")
    limits = np.array([ctx.tolerance_minor(str(c) or "XXX") for c in currency.cat.categories] + [0], dtype=np.int64)
    limit = limits[currency.cat.codes.to_numpy()]  # code -1 (no currency) takes the last: exact
    return np.abs(m["difference_minor"].to_numpy()) > limit


ORDER_RULES: tuple[Rule, ...] = (
    Rule("missing_in_amazon", _missing_in_amazon),
    Rule("missing_in_netsuite", _missing_in_netsuite),
    Rule("cancelled_posting", _cancelled_posting),
    Rule("duplicate_in_netsuite", _duplicate_in_netsuite),
    Rule("currency_mismatch", _currency_mismatch),
    Rule("amount_mismatch", _amount_mismatch),
)


def assign_kinds(joined: pd.DataFrame, ctx: Context, rules: tuple[Rule, ...] = ORDER_RULES) -> pd.Series:
    """The kind of every joined row (first matching rule), ``None`` where both sides agree."""
    kind = np.full(len(joined), None, dtype=object)
    open_rows = np.ones(len(joined), dtype=bool)
    for rule in rules:
        hit = open_rows & rule.test(joined, ctx)
        kind[hit] = rule.kind
        open_rows &= ~hit
    return pd.Series(kind, index=joined.index, name="kind", dtype=object)


# --- explanations -------------------------------------------------------------------------

Explainer = Callable[[dict[str, object], Context], str | None]


def _money(row: dict[str, object], column: str) -> str:
    return format_minor(int(row[column] or 0), str(row.get("currency") or "USD"))  # type: ignore[call-overload]


def _what(row: dict[str, object], ctx: Context) -> str | None:
    kind = row["kind"]
    if kind == "missing_in_netsuite":
        return "not in NetSuite: the order was never synced or its posting failed"
    if kind == "missing_in_amazon":
        return "in NetSuite but in no loaded settlement: usually settled in another period (check the cutoff)"
    if kind == "cancelled_posting":
        return f"the only NetSuite record is cancelled ({row['netsuite_documents']}): the synced data is incomplete"
    if kind == "duplicate_in_netsuite":
        return f"{row['live_count']} live NetSuite records ({row['netsuite_documents']})"
    if kind == "currency_mismatch":
        return f"Amazon settled in {row['currency']}, NetSuite recorded {row['netsuite_currency']}"
    if kind == "amount_mismatch":
        direction = "more" if int(row["difference_minor"]) > 0 else "less"  # type: ignore[call-overload]
        magnitude = format_minor(abs(int(row["difference_minor"])), str(row["currency"]))  # type: ignore[call-overload]
        ours, theirs = _money(row, "amazon_compared"), _money(row, "netsuite_minor")
        return f"Amazon {ours} is {magnitude} {direction} than NetSuite {theirs}"
    return None


def _rounding(row: dict[str, object], ctx: Context) -> str | None:
    if row["kind"] == "amount_mismatch" and abs(int(row["difference_minor"])) == 1:  # type: ignore[call-overload]
        return "a one-cent difference: rounding"
    return None


def _promotion(row: dict[str, object], ctx: Context) -> str | None:
    promotion = row.get("promotion_minor")
    if promotion is not None and not pd.isna(promotion) and int(promotion) != 0:  # type: ignore[call-overload]
        return f"includes a promotion of {_money(row, 'promotion_minor')}"
    return None


def _split(row: dict[str, object], ctx: Context) -> str | None:
    if int(row.get("settlement_count") or 0) > 1:  # type: ignore[call-overload]
        return f"split across settlements {str(row['settlements']).replace(';', ', ')}"
    return None


def _earlier_order(row: dict[str, object], ctx: Context) -> str | None:
    if row["transaction_type"] == "Refund" and row["in_amazon"] and not row["order_in_amazon"]:
        return "refund of an order settled earlier (its sale is not in the loaded settlements)"
    return None


def _refund_refunds(row: dict[str, object], ctx: Context) -> str | None:
    if row["transaction_type"] == "Refund" and int(row.get("events") or 0) > 1:  # type: ignore[call-overload]
        return f"{row['events']} partial refunds"
    return None


def _zero(row: dict[str, object], ctx: Context) -> str | None:
    if row["kind"] == "missing_in_netsuite" and int(row.get("amazon_compared") or 0) == 0:  # type: ignore[call-overload]
        return "its Amazon amount is zero (a replacement or Multi-Channel Fulfillment order has no sale to post)"
    return None


EXPLAINERS: tuple[Explainer, ...] = (_what, _rounding, _zero, _promotion, _split, _earlier_order, _refund_refunds)


def explain(rows: pd.DataFrame, ctx: Context, explainers: tuple[Explainer, ...] = EXPLAINERS) -> list[str]:
    """One explanation per row: every reason the explainers can infer, joined with ``; ``."""
    out = []
    for record in rows.to_dict("records"):
        row = {str(key): value for key, value in record.items()}
        reasons = [text for explainer in explainers if (text := explainer(row, ctx))]
        out.append("; ".join(reasons))
    return out

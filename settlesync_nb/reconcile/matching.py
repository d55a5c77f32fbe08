"""Both sides summed per (order id, Order|Refund), then joined.

Amazon: the lines of transaction type Order or Refund whose amount type is in the comparison
basis, summed across every loaded settlement (an order can be split across settlements).
NetSuite: records mapped to Order or Refund by their type; voided/cancelled records counted
apart from live ones. Refunds are compared by magnitude, since exports sign them either way.
The aggregation runs in pyarrow (multi-threaded hash group-by); only the joined keys, a few
hundred thousand at most, come back to pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..config import Settings
from ..money import exponent, parse_amounts

KEY = ["order_id", "transaction_type"]
VALID_ONLY = pc.CountOptions(mode="only_valid")
MATCHED_TYPES = ("Order", "Refund")


def amazon_side(lines: pd.DataFrame, basis: tuple[str, ...]) -> pd.DataFrame:
    """One row per (order id, Order|Refund) with at least one line in the comparison basis.

    Columns: order_id, transaction_type, amazon_minor (signed sum), promotion_minor,
    settlements (``;``-joined ids), settlement_count, events (distinct shipments or refund
    adjustments), currency, marketplace, posted_time (latest), skus (``;``-joined).
    """
    wanted = (
        lines["transaction_type"].isin(MATCHED_TYPES) & lines["order_id"].notna() & lines["amount_type"].isin(basis)
    )
    rows = lines.loc[wanted]
    refund = (rows["transaction_type"] == "Refund").to_numpy()
    table = pa.table(
        {
            "order_id": pa.array(rows["order_id"], pa.string()),
            "transaction_type": _text(rows["transaction_type"]),
            "amazon_minor": pa.array(rows["amount_minor"].to_numpy()),
            "promotion_minor": pa.array(
                np.where((rows["amount_type"] == "Promotion").to_numpy(), rows["amount_minor"].to_numpy(), 0)
            ),
            "settlement_id": _text(rows["settlement_id"]),
            "event": pc.if_else(
                pa.array(refund),
                pa.array(rows["adjustment_id"], pa.string()),
                pa.array(rows["shipment_id"], pa.string()),
            ),
            "currency": _text(rows["currency"]),
            "marketplace": _text(rows["marketplace"]),
            "posted_time": pa.array(rows["posted_time"]),
            "sku": pa.array(rows["sku"], pa.string()),
        }
    )
    grouped = table.group_by(KEY, use_threads=True).aggregate(
        [
            ("amazon_minor", "sum"),
            ("promotion_minor", "sum"),
            ("settlement_id", "distinct"),
            ("event", "count_distinct"),
            ("currency", "one"),
            ("marketplace", "one"),
            ("posted_time", "max"),
            ("sku", "distinct", VALID_ONLY),
        ]
    )
    settlements = grouped.column("settlement_id_distinct")
    out = pa.table(
        {
            "order_id": grouped.column("order_id"),
            "transaction_type": grouped.column("transaction_type"),
            "amazon_minor": grouped.column("amazon_minor_sum"),
            "promotion_minor": grouped.column("promotion_minor_sum"),
            "settlements": pc.binary_join(settlements, ";"),
            "settlement_count": pc.list_value_length(settlements),
            "events": grouped.column("event_count_distinct"),
            "currency": grouped.column("currency_one"),
            "marketplace": grouped.column("marketplace_one"),
            "posted_time": grouped.column("posted_time_max"),
            "skus": pc.binary_join(grouped.column("sku_distinct"), ";"),
        }
    )
    frame = out.to_pandas()
    for column in ("settlements", "skus"):
        frame[column] = _sorted_joined(frame[column], ";")
    return frame


def _text(values: pd.Series) -> pa.Array:
    """Plain arrow strings from a categorical or string column, decoded in C++ (no Python str)."""
    return pa.array(values).cast(pa.string())


def netsuite_side(
    records: pd.DataFrame, settings: Settings, currency_of: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, int]]:
    """One row per (order id, Order|Refund) present in NetSuite, and counts of ignored types.

    Args:
        records: ``NetSuiteRecords.frame``.
        settings: Type map, cancelled statuses, default currency.
        currency_of: ``order_id, transaction_type, currency`` of the Amazon side, used for
            records whose export has no currency.

    Returns:
        Columns: order_id, transaction_type, live_count, cancelled_count, netsuite_minor (sum of
        live records; refunds as magnitudes), netsuite_currency (``;``-joined currencies of live
        records), netsuite_documents; and ``{type: rows}`` for NetSuite types left out.
    """
    kinds = records["type"].map(dict(settings.netsuite_types))
    ignored = records.loc[kinds.isna() | (kinds == "ignore"), "type"].value_counts().to_dict()
    matched = kinds.isin(MATCHED_TYPES).to_numpy(dtype=bool)
    rows = records.loc[matched].assign(transaction_type=kinds.to_numpy()[matched])
    rows = rows.merge(currency_of.rename(columns={"currency": "amazon_currency"}), on=KEY, how="left")
    currency = rows["currency"].fillna(rows["amazon_currency"])
    if settings.netsuite.currency:
        currency = currency.fillna(settings.netsuite.currency)
    minor = _fill_minor(rows["amount_minor"], rows["amount_text"], currency.fillna(""))
    refund = (rows["transaction_type"] == "Refund").to_numpy()
    minor = np.where(refund, np.abs(minor), minor)
    cancelled = rows["status"].fillna("").str.casefold().isin([s.casefold() for s in settings.cancelled_statuses])
    live = ~cancelled.to_numpy()
    label = rows["type"].astype(str) + " " + rows["document_number"].fillna(rows["internal_id"]).astype(str)
    label = label + np.where(live, "", " (" + rows["status"].fillna("").astype(str) + ")")
    table = pa.table(
        {
            "order_id": pa.array(rows["order_id"], pa.string()),
            "transaction_type": pa.array(rows["transaction_type"].astype(str), pa.string()),
            "live": pa.array(live.astype(np.int64)),
            "cancelled": pa.array((~live).astype(np.int64)),
            "live_minor": pa.array(np.where(live, minor, 0)),
            "live_currency": pc.if_else(
                pa.array(live), pa.array(currency.astype("string"), pa.string()), pa.scalar(None, pa.string())
            ),
            "document": pa.array(label, pa.string()),
        }
    )
    grouped = table.group_by(KEY, use_threads=True).aggregate(
        [
            ("live", "sum"),
            ("cancelled", "sum"),
            ("live_minor", "sum"),
            ("live_currency", "distinct", VALID_ONLY),
            ("document", "list"),
        ]
    )
    out = pa.table(
        {
            "order_id": grouped.column("order_id"),
            "transaction_type": grouped.column("transaction_type"),
            "live_count": grouped.column("live_sum"),
            "cancelled_count": grouped.column("cancelled_sum"),
            "netsuite_minor": grouped.column("live_minor_sum"),
            "netsuite_currency": pc.binary_join(grouped.column("live_currency_distinct"), ";"),
            "netsuite_documents": pc.binary_join(grouped.column("document_list"), "; "),
        }
    )
    frame = out.to_pandas()
    frame["netsuite_currency"] = _sorted_joined(frame["netsuite_currency"], ";")
    frame["netsuite_documents"] = _sorted_joined(frame["netsuite_documents"], "; ")
    return frame, {str(k): int(v) for k, v in ignored.items()}


def _sorted_joined(values: pd.Series, separator: str) -> pd.Series:
    """Joined lists in a stable order (the parallel group-by returns them in any order)."""
    many = values.str.contains(separator, regex=False).fillna(False).to_numpy(dtype=bool)
    if many.any():
        values = values.copy()
        values[many] = [separator.join(sorted(v.split(separator))) for v in values[many]]
    return values


def _fill_minor(minor: pd.Series, text: pd.Series, currency: pd.Series) -> np.ndarray:
    """Minor units of every record: as loaded, or parsed now in the currency just learned."""
    values = minor.to_numpy(dtype=np.int64, na_value=0)
    missing = minor.isna().to_numpy() & text.notna().to_numpy()
    if not missing.any():
        return values
    codes = currency.to_numpy()
    for code in np.unique(codes[missing]):
        rows = missing & (codes == code)
        parsed, _ = parse_amounts(pa.array(text.to_numpy()[rows], pa.string()), exponent(code or "USD"))
        values[rows] = parsed.to_numpy()
    return values


def join(amazon: pd.DataFrame, netsuite: pd.DataFrame) -> pd.DataFrame:
    """Outer join of both sides on (order id, type), with presence flags and exact differences."""
    both = amazon.merge(netsuite, on=KEY, how="outer", indicator=True)
    both["in_amazon"] = both["_merge"] != "right_only"
    both["in_netsuite"] = both["_merge"] != "left_only"
    both = both.drop(columns="_merge")
    for column in ("live_count", "cancelled_count", "settlement_count", "events"):
        both[column] = both[column].fillna(0).astype("int64")
    refund = (both["transaction_type"] == "Refund").to_numpy()
    amazon_minor = both["amazon_minor"].to_numpy(dtype=np.int64, na_value=0)
    both["amazon_compared"] = np.where(refund, np.abs(amazon_minor), amazon_minor)
    both["netsuite_minor"] = both["netsuite_minor"].fillna(0).astype("int64")
    both["difference_minor"] = both["amazon_compared"] - both["netsuite_minor"]
    # a row only NetSuite has takes its first live currency ("EUR;USD" -> "EUR")
    both["currency"] = both["currency"].astype("string").fillna(both["netsuite_currency"].str.slice(0, 3))
    sold = both.loc[both["in_amazon"] & (both["transaction_type"] == "Order"), "order_id"]
    both["order_in_amazon"] = both["order_id"].isin(sold)
    return both

"""Both sides summed per (order id, Order|Refund), then joined.

Amazon: the lines of transaction type Order or Refund whose amount type is in the comparison
basis, summed across every loaded settlement (an order can be split across settlements).
NetSuite: records mapped to Order or Refund by their type; voided/cancelled records counted
apart from live ones. Refunds are compared by magnitude, since exports sign them either way.
Aggregation and the join run in pyarrow (multi-threaded hash group-by and hash join); only the
joined keys, a few hundred thousand at most, come back to pandas.
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
NO_STRING = pa.scalar(None, pa.string())


def _text(values: pd.Series) -> pa.Array:
    """Plain arrow strings from a categorical or string column, decoded in C++ (no Python str)."""
    return pa.array(values).cast(pa.string())


def _codes(values: pd.Series) -> tuple[pa.Array, list[str]]:
    """Integer codes of a categorical column (null: -1) and its categories."""
    category = values.astype("category")
    return pa.array(category.cat.codes.to_numpy(dtype=np.int32)), [str(c) for c in category.cat.categories]


def amazon_side(lines: pd.DataFrame, basis: tuple[str, ...]) -> tuple[pa.Table, pa.Table]:
    """One row per (order id, Order|Refund) with at least one line in the comparison basis.

    Columns: order_id, transaction_type, amazon_minor (signed sum), promotion_minor,
    settlements (``;``-joined ids), settlement_count, currency, marketplace, posted_time
    (latest), in_amazon; and the per-line table (order_id, refund, event) that
    :class:`Details` reads for the few keys that need more. Grouping is on the order id and
    integer codes (hashing strings once, not once per aggregated column).
    """
    wanted = (
        lines["transaction_type"].isin(MATCHED_TYPES) & lines["order_id"].notna() & lines["amount_type"].isin(basis)
    )
    needed = [
        "order_id",
        "transaction_type",
        "amount_minor",
        "amount_type",
        "settlement_id",
        "adjustment_id",
        "shipment_id",
        "currency",
        "marketplace",
        "posted_time",
    ]
    rows = lines[needed].loc[wanted]  # only the columns used: a copy of 10 columns, not 19
    refund = (rows["transaction_type"] == "Refund").to_numpy(dtype=bool)
    amounts = rows["amount_minor"].to_numpy(dtype=np.int64)
    settlement, settlement_names = _codes(rows["settlement_id"])
    currency, currency_names = _codes(rows["currency"])
    marketplace, marketplace_names = _codes(rows["marketplace"])
    table = pa.table(
        {
            "order_id": pa.array(rows["order_id"], pa.string()),
            "refund": pa.array(refund),
            "amazon_minor": pa.array(amounts),
            "promotion_minor": pa.array(
                np.where((rows["amount_type"] == "Promotion").to_numpy(dtype=bool), amounts, 0)
            ),
            "settlement": settlement,
            "event": pc.if_else(
                pa.array(refund),
                pa.array(rows["adjustment_id"], pa.string()),
                pa.array(rows["shipment_id"], pa.string()),
            ),
            "currency": currency,
            "marketplace": marketplace,
            "posted_time": pa.array(rows["posted_time"]),
        }
    )
    grouped = table.group_by(["order_id", "refund"], use_threads=True).aggregate(
        [
            ("amazon_minor", "sum"),
            ("promotion_minor", "sum"),
            ("settlement", "min"),
            ("settlement", "max"),
            ("currency", "min"),
            ("marketplace", "min"),
            ("posted_time", "max"),
        ]
    )
    first = grouped.column("settlement_min")
    split = pc.not_equal(first, grouped.column("settlement_max"))
    settlements = _names(first, settlement_names)
    counts = pa.repeat(pa.scalar(1, pa.int64()), grouped.num_rows)
    if pc.any(split).as_py():
        settlements, counts = _split_settlements(table, grouped, split, settlements, settlement_names)
    return pa.table(
        {
            "order_id": grouped.column("order_id"),
            "transaction_type": pc.if_else(grouped.column("refund"), "Refund", "Order"),
            "amazon_minor": grouped.column("amazon_minor_sum"),
            "promotion_minor": grouped.column("promotion_minor_sum"),
            "settlements": settlements,
            "settlement_count": counts,
            "currency": _names(grouped.column("currency_min"), currency_names),
            "marketplace": _names(grouped.column("marketplace_min"), marketplace_names),
            "posted_time": grouped.column("posted_time_max"),
            "in_amazon": pa.repeat(pa.scalar(True), grouped.num_rows),
        }
    ), table.select(["order_id", "refund", "event"])


def _names(codes: pa.ChunkedArray | pa.Array, names: list[str]) -> pa.Array:
    """Category names of integer codes (-1: null)."""
    lookup = pa.array([*names, None], pa.string())
    return lookup.take(pc.if_else(pc.less(codes, 0), len(names), codes))


def _split_settlements(
    table: pa.Table, grouped: pa.Table, split: pa.Array, settlements: pa.Array, names: list[str]
) -> tuple[pa.Array, pa.Array]:
    """``;``-joined settlement ids and their count, for the (few) orders split across settlements."""
    keys = grouped.filter(split).select(["order_id", "refund"])
    involved = table.join(keys, keys=["order_id", "refund"], join_type="inner")
    listed = involved.group_by(["order_id", "refund"]).aggregate([("settlement", "distinct")])
    joined = {
        (o, r): ";".join(sorted(names[c] for c in codes))
        for o, r, codes in zip(
            listed.column("order_id").to_pylist(),
            listed.column("refund").to_pylist(),
            listed.column("settlement_distinct").to_pylist(),
            strict=True,
        )
    }
    text = settlements.to_pylist()
    count = [1] * grouped.num_rows
    for i in np.flatnonzero(np.asarray(split, dtype=bool)):
        key = (grouped.column("order_id")[int(i)].as_py(), grouped.column("refund")[int(i)].as_py())
        text[i] = joined[key]
        count[i] = joined[key].count(";") + 1
    return pa.array(text, pa.string()), pa.array(count, pa.int64())


def netsuite_side(
    records: pd.DataFrame, settings: Settings, amazon: pa.Table
) -> tuple[pa.Table, pa.Table, dict[str, int]]:
    """One row per (order id, Order|Refund) present in NetSuite, and counts of records left out.

    Args:
        records: ``NetSuiteRecords.frame``.
        settings: Type map, cancelled statuses, default currency.
        amazon: :func:`amazon_side`'s table: its currencies stand in for records whose export
            has no currency.

    Returns:
        Columns: order_id, transaction_type, live_count, cancelled_count, netsuite_minor (sum of
        live records; refunds as magnitudes), netsuite_currency (the live records' currency;
        ``A;B`` when they differ), in_netsuite; the per-record table (order_id,
        transaction_type, document) :class:`Details` reads; and ``{type: rows}`` for records
        left out (types mapped to nothing or ``ignore``, and ``"<type> (no order id)"``).
    """
    types = pa.array(records["type"], pa.string())
    names = pa.array(list(settings.netsuite_types), pa.string())
    kinds = pa.array(list(settings.netsuite_types.values()), pa.string()).take(pc.index_in(types, value_set=names))
    matched = pc.fill_null(pc.is_in(kinds, value_set=pa.array(MATCHED_TYPES)), False)
    order_ids = pa.array(records["order_id"], pa.string())
    # Records with no order id (the connector's summary Cash Sale / Cash Refund of non-order
    # amounts) cannot be matched to an order: they are counted, not compared.
    orphan = pc.and_(matched, pc.is_null(order_ids))
    ignored = _counts(types.filter(pc.invert(matched)))
    ignored.update({f"{k} (no order id)": v for k, v in _counts(types.filter(orphan)).items()})
    keep = pc.and_(matched, pc.invert(orphan))
    rows = pa.table(
        {
            "order_id": order_ids.filter(keep),
            "transaction_type": kinds.filter(keep),
            "type": types.filter(keep),
            "document_number": pa.array(records["document_number"], pa.string()).filter(keep),
            "internal_id": pa.array(records["internal_id"], pa.string()).filter(keep),
            "status": pc.fill_null(pa.array(records["status"], pa.string()), "").filter(keep),
            "amount_minor": pa.array(records["amount_minor"], pa.int64()).filter(keep),
            "amount_text": pa.array(records["amount_text"], pa.string()).filter(keep),
            "currency": pa.array(records["currency"], pa.string()).filter(keep),
        }
    )
    if rows.column("currency").null_count:  # no Currency column: take the settlement's
        rows = rows.join(
            amazon.select([*KEY, "currency"]).rename_columns([*KEY, "amazon_currency"]),
            keys=KEY,
            join_type="left outer",
            use_threads=True,
        )
        currency = pc.coalesce(
            rows.column("currency"),
            rows.column("amazon_currency"),
            pa.scalar(settings.netsuite.currency or "", pa.string()),
        )
    else:
        currency = rows.column("currency")
    minor = _fill_minor(rows.column("amount_minor"), rows.column("amount_text"), currency)
    minor = pc.if_else(pc.equal(rows.column("transaction_type"), "Refund"), pc.abs(minor), minor)
    statuses = pa.array([s.casefold() for s in settings.cancelled_statuses], pa.string())
    live = pc.invert(pc.is_in(pc.utf8_lower(rows.column("status")), value_set=statuses))
    label = pc.binary_join_element_wise(
        rows.column("type"), pc.coalesce(rows.column("document_number"), rows.column("internal_id")), " "
    )
    label = pc.if_else(live, label, pc.binary_join_element_wise(label, " (", rows.column("status"), ")", ""))
    table = pa.table(
        {
            "order_id": rows.column("order_id"),
            "transaction_type": rows.column("transaction_type"),
            "live": pc.cast(live, pa.int64()),
            "cancelled": pc.cast(pc.invert(live), pa.int64()),
            "live_minor": pc.if_else(live, minor, 0),
            "live_currency": pc.if_else(live, pc.if_else(pc.equal(currency, ""), NO_STRING, currency), NO_STRING),
            "document": label,
        }
    )
    grouped = table.group_by(KEY, use_threads=True).aggregate(
        [
            ("live", "sum"),
            ("cancelled", "sum"),
            ("live_minor", "sum"),
            ("live_currency", "min"),
            ("live_currency", "max"),
        ]
    )
    low, high = grouped.column("live_currency_min"), grouped.column("live_currency_max")
    return (
        pa.table(
            {
                "order_id": grouped.column("order_id"),
                "transaction_type": grouped.column("transaction_type"),
                "live_count": grouped.column("live_sum"),
                "cancelled_count": grouped.column("cancelled_sum"),
                "netsuite_minor": grouped.column("live_minor_sum"),
                "netsuite_currency": pc.if_else(pc.equal(low, high), low, pc.binary_join_element_wise(low, high, ";")),
                "in_netsuite": pa.repeat(pa.scalar(True), grouped.num_rows),
            }
        ),
        table.select([*KEY, "document"]),
        ignored,
    )


def _counts(values: pa.Array) -> dict[str, int]:
    counts = pc.value_counts(values)
    return {
        str(v): int(n)
        for v, n in zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True)
    }


def _fill_minor(minor: pa.ChunkedArray, text: pa.ChunkedArray, currency: pa.ChunkedArray) -> pa.Array:
    """Minor units of every record: as loaded, or parsed now in the currency just learned."""
    minor, text, currency = (
        c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in (minor, text, currency)
    )
    values = minor.fill_null(0).to_numpy(zero_copy_only=False).copy()
    missing = np.asarray(pc.and_(pc.is_null(minor), pc.is_valid(text)), dtype=bool)
    if missing.any():
        codes = np.asarray(currency.to_pylist(), dtype=object)
        for code in sorted(set(codes[missing])):
            rows = missing & (codes == code)
            parsed, _ = parse_amounts(text.filter(pa.array(rows)), exponent(code or "USD"))
            values[rows] = parsed.to_numpy()
    return pa.array(values)


def join(amazon: pa.Table, netsuite: pa.Table) -> pd.DataFrame:
    """Outer join of both sides on (order id, type), with presence flags and exact differences."""
    both = amazon.join(netsuite, keys=KEY, join_type="full outer", use_threads=True)
    in_amazon = pc.fill_null(both.column("in_amazon"), False)
    refund = pc.equal(both.column("transaction_type"), "Refund")
    amazon_minor = pc.fill_null(both.column("amazon_minor"), 0)
    compared = pc.if_else(refund, pc.abs(amazon_minor), amazon_minor)
    netsuite_minor = pc.fill_null(both.column("netsuite_minor"), 0)
    sold = both.filter(pc.and_(in_amazon, pc.invert(refund))).column("order_id")
    # a row only NetSuite has takes its first live currency ("EUR;USD" -> "EUR")
    currency = pc.coalesce(both.column("currency"), pc.utf8_slice_codeunits(both.column("netsuite_currency"), 0, 3))
    extra = {
        "in_amazon": in_amazon,
        "in_netsuite": pc.fill_null(both.column("in_netsuite"), False),
        "amazon_compared": compared,
        "netsuite_minor": netsuite_minor,
        "difference_minor": pc.subtract(compared, netsuite_minor),
        "currency": currency,
        "order_in_amazon": pc.is_in(both.column("order_id"), value_set=pc.unique(sold)),
    }
    for name in ("live_count", "cancelled_count", "settlement_count"):
        extra[name] = pc.fill_null(both.column(name), 0)
    for name, column in extra.items():
        both = (
            both.set_column(both.schema.get_field_index(name), name, column)
            if name in both.column_names
            else both.append_column(name, column)
        )
    return both.to_pandas()

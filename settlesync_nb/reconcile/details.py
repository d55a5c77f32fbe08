"""Facts looked up only for the keys that need them: shipments, documents, SKUs.

Counting distinct shipments, listing NetSuite documents and SKUs for every order is most of
the cost of a reconciliation, and only duplicates, discrepancies and suggestions use them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

KEY = ["order_id", "transaction_type"]
VALID_ONLY = pc.CountOptions(mode="only_valid")


@dataclass(frozen=True)
class Details:
    """Per-line and per-record facts, looked up only for the keys that need them.

    Counting distinct shipments and listing documents for every order is most of the cost of a
    reconciliation, and only duplicates, discrepancies and suggestions use them.
    """

    amazon_lines: pa.Table  # order_id, refund, event
    netsuite_records: pa.Table  # order_id, transaction_type, document

    def events(self, keys: pd.DataFrame) -> np.ndarray:
        """Distinct shipments (orders) or refund adjustments (refunds) per key; 0 when none."""
        if keys.empty:
            return np.zeros(0, dtype=np.int64)
        lines = self.amazon_lines.filter(pc.is_in(self.amazon_lines.column("order_id"), value_set=_ids(keys)))
        grouped = lines.group_by(["order_id", "refund"]).aggregate([("event", "count_distinct")])
        found = {
            (o, "Refund" if r else "Order"): n
            for o, r, n in zip(
                grouped.column("order_id").to_pylist(),
                grouped.column("refund").to_pylist(),
                grouped.column("event_count_distinct").to_pylist(),
                strict=True,
            )
        }
        return np.array(
            [found.get(k, 0) for k in zip(keys["order_id"], keys["transaction_type"], strict=True)], dtype=np.int64
        )

    def documents(self, keys: pd.DataFrame) -> list[str | None]:
        """The NetSuite documents of each key, ``; ``-joined in a stable order."""
        if keys.empty:
            return []
        records = self.netsuite_records.filter(pc.is_in(self.netsuite_records.column("order_id"), value_set=_ids(keys)))
        grouped = records.group_by(KEY).aggregate([("document", "list")])
        found = {
            (o, t): "; ".join(sorted(d))
            for o, t, d in zip(
                grouped.column("order_id").to_pylist(),
                grouped.column("transaction_type").to_pylist(),
                grouped.column("document_list").to_pylist(),
                strict=True,
            )
        }
        return [found.get(k) for k in zip(keys["order_id"], keys["transaction_type"], strict=True)]


def _ids(keys: pd.DataFrame) -> pa.Array:
    return pc.unique(pa.array(keys["order_id"], pa.string()))


def skus_of(lines: pa.Table, found: pd.DataFrame) -> pd.Series:
    """The ``;``-joined SKUs of each found (order id, type): computed only for the discrepancies."""
    if found.empty:
        return pd.Series([], index=found.index, dtype=object)
    keys = pa.array(found["order_id"].dropna().unique(), pa.string())
    mine = pc.fill_null(pc.is_in(lines.column("order_id"), value_set=keys), False)
    rows = lines.select([*KEY, "sku"]).filter(mine)
    table = pa.table({name: rows.column(name).cast(pa.string()) for name in (*KEY, "sku")})
    grouped = table.group_by(KEY).aggregate([("sku", "distinct", VALID_ONLY)])
    joined = {
        (o, t): ";".join(sorted(skus))
        for o, t, skus in zip(
            grouped.column("order_id").to_pylist(),
            grouped.column("transaction_type").to_pylist(),
            grouped.column("sku_distinct").to_pylist(),
            strict=True,
        )
    }
    values = [joined.get((o, t)) or None for o, t in zip(found["order_id"], found["transaction_type"], strict=True)]
    return pd.Series(values, index=found.index, dtype=object)

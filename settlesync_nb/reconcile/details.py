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
    """Per-line and per-record facts, looked up only for the pairs that need them.

    A pair is an (order id, Order|Refund) as :mod:`.matching` numbers it (the ``pair`` column
    of the joined frame).
    """

    lines: pa.Table  # canonical lines
    line_pairs: np.ndarray  # the pair of each compared line...
    line_rows: np.ndarray  # ...and its row in `lines`
    record_pairs: np.ndarray  # the pair of each compared NetSuite record...
    record_documents: pa.Array  # ...and its document label ("Cash Sale CS1001")

    def events(self, pairs: pd.Series | np.ndarray) -> np.ndarray:
        """Distinct shipments (orders) or refund adjustments (refunds) per pair; 0 when none."""
        pairs = np.asarray(pairs, dtype=np.int64)
        if not len(pairs):
            return np.zeros(0, dtype=np.int64)
        hit = np.isin(self.line_pairs, pairs)
        rows, keys = pa.array(self.line_rows[hit]), self.line_pairs[hit]
        event = pc.if_else(
            pa.array(keys % 2 == 1),
            self.lines.column("adjustment_id").take(rows),
            self.lines.column("shipment_id").take(rows),
        )
        grouped = pa.table({"pair": keys, "event": event}).group_by("pair").aggregate([("event", "count_distinct")])
        found = dict(
            zip(grouped.column("pair").to_pylist(), grouped.column("event_count_distinct").to_pylist(), strict=True)
        )
        return np.array([found.get(p, 0) for p in pairs.tolist()], dtype=np.int64)

    def documents(self, pairs: pd.Series | np.ndarray) -> list[str | None]:
        """The NetSuite documents of each pair, ``; ``-joined in a stable order."""
        pairs = np.asarray(pairs, dtype=np.int64)
        if not len(pairs):
            return []
        hit = np.isin(self.record_pairs, pairs)
        table = pa.table({"pair": self.record_pairs[hit], "document": self.record_documents.filter(pa.array(hit))})
        grouped = table.group_by("pair").aggregate([("document", "list")])
        found = {
            p: "; ".join(sorted(d))
            for p, d in zip(
                grouped.column("pair").to_pylist(), grouped.column("document_list").to_pylist(), strict=True
            )
        }
        return [found.get(p) for p in pairs.tolist()]


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

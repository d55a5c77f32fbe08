"""Orders to compare by hand before enabling sync (Oracle's checklist, step 3).

Oracle asks the seller to compare one refunded and one non-refunded order in NetSuite with
Amazon's report. We suggest orders that matched exactly, so the reviewer sees what a correct
posting looks like: refunded orders (sale and refund both matched) and orders with no refund.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..money import format_minor
from .details import Details

SUGGESTED = 10


def _side(row: pd.Series) -> dict[str, Any]:
    currency = str(row["currency"])
    return {
        "amazon_amount": format_minor(int(row["amazon_compared"]), currency),
        "netsuite_amount": format_minor(int(row["netsuite_minor"]), currency),
        "netsuite_documents": row["netsuite_documents"],
        "settlements": str(row["settlements"]).split(";"),
    }


def _isin(values: pd.Series, among: pd.Series) -> np.ndarray:
    """``values.isin(among)`` through pyarrow (fast on arrow-backed strings)."""
    found = pc.is_in(pa.array(values, pa.string()), value_set=pc.unique(pa.array(among, pa.string())))
    return np.asarray(pc.fill_null(found, False), dtype=bool)


def _with_documents(rows: pd.DataFrame, details: Details) -> pd.DataFrame:
    return rows.assign(netsuite_documents=pd.Series(details.documents(rows["pair"]), index=rows.index, dtype=object))


def _newest(joined: pd.DataFrame, stamps: np.ndarray, mask: np.ndarray, limit: int) -> pd.DataFrame:
    """The ``limit`` most recently posted rows where ``mask`` holds, ties by order id, without
    copying or sorting them all."""
    rows = np.flatnonzero(mask)
    if len(rows) > limit:
        mine = stamps[rows]
        cut = np.partition(mine, len(mine) - limit)[len(mine) - limit]
        rows = rows[mine >= cut]  # ties at the cut are kept, then ordered below
    chosen = joined.iloc[rows]
    return chosen.sort_values(["posted_time", "order_id"], ascending=[False, True], na_position="last").head(limit)


def suggest_checks(joined: pd.DataFrame, details: Details, limit: int = SUGGESTED) -> dict[str, list[dict[str, Any]]]:
    """Matched refunded and non-refunded orders, most recent first (ties by order id).

    Args:
        joined: The joined Amazon/NetSuite rows with their ``kind`` (None where they agree).
        details: Where the chosen rows' NetSuite documents are looked up.
        limit: How many of each to suggest.
    """
    agree = (joined["kind"].isna() & joined["in_amazon"] & joined["in_netsuite"]).to_numpy(dtype=bool)
    is_sale = (joined["transaction_type"] == "Order").to_numpy(dtype=bool)
    refunded_any = _isin(joined["order_id"], joined["order_id"][~is_sale])
    refund_agrees = _isin(joined["order_id"], joined["order_id"][agree & ~is_sale])
    stamps = joined["posted_time"].to_numpy(dtype="datetime64[s]").astype(np.int64)  # NaT: the minimum
    refunded = _newest(joined, stamps, agree & is_sale & refund_agrees, limit)
    plain = _newest(joined, stamps, agree & is_sale & ~refunded_any, limit)
    refunds = joined[agree & ~is_sale & _isin(joined["order_id"], refunded["order_id"])]
    refunded, plain, refunds = (_with_documents(rows, details) for rows in (refunded, plain, refunds))
    refunds = refunds.set_index("order_id")
    return {
        "refunded": [
            {
                "order_id": row["order_id"],
                "currency": str(row["currency"]),
                "order": _side(row),
                "refund": _side(refunds.loc[row["order_id"]]),
            }
            for _, row in refunded.iterrows()
        ],
        "not_refunded": [
            {"order_id": row["order_id"], "currency": str(row["currency"]), "order": _side(row)}
            for _, row in plain.iterrows()
        ],
    }

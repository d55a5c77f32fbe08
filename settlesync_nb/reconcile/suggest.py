"""Orders to compare by hand before enabling sync (Oracle's checklist, step 3).

Oracle asks the seller to compare one refunded and one non-refunded order in NetSuite with
Amazon's report. We suggest orders that matched exactly, so the reviewer sees what a correct
posting looks like: refunded orders (sale and refund both matched) and orders with no refund.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..money import format_minor
from .codes import NONE
from .details import Details
from .matching import Pairs

SUGGESTED = 10


def _side(row: pd.Series) -> dict[str, Any]:
    currency = str(row["currency"])
    return {
        "amazon_amount": format_minor(int(row["amazon_compared"]), currency),
        "netsuite_amount": format_minor(int(row["netsuite_minor"]), currency),
        "netsuite_documents": row["netsuite_documents"],
        "settlements": str(row["settlements"]).split(";"),
    }


def _with_documents(rows: pd.DataFrame, details: Details) -> pd.DataFrame:
    return rows.assign(netsuite_documents=pd.Series(details.documents(rows["pair"]), index=rows.index, dtype=object))


def _newest(pairs: Pairs, candidates: np.ndarray, limit: int) -> pd.DataFrame:
    """The ``limit`` most recently posted of the ``candidates`` pairs, ties by order id, without
    lining them all up or sorting them all."""
    stamps = pairs.amazon.posted[candidates]
    stamps = np.where(stamps == NONE, np.iinfo(np.int64).min, stamps)  # unknown: the oldest
    if len(candidates) > limit:
        cut = np.partition(stamps, len(stamps) - limit)[len(stamps) - limit]
        candidates = candidates[stamps >= cut]  # ties at the cut are kept, then ordered below
    chosen = pairs.rows(candidates)
    return chosen.sort_values(["posted_time", "order_id"], ascending=[False, True], na_position="last").head(limit)


def suggest_checks(
    pairs: Pairs, joined: pd.DataFrame, details: Details, limit: int = SUGGESTED
) -> dict[str, list[dict[str, Any]]]:
    """Matched refunded and non-refunded orders, most recent first (ties by order id).

    Args:
        pairs: Every (order id, type) pair (``Matched.pairs``).
        joined: The pairs the rules looked at, with their ``kind`` (None where they agree).
        details: Where the chosen rows' NetSuite documents are looked up.
        limit: How many of each to suggest.
    """
    agree = pairs.in_plain_agreement.copy()
    agreeing = joined["kind"].isna() & joined["in_amazon"] & joined["in_netsuite"]
    agree[joined.loc[agreeing, "pair"].to_numpy(dtype=np.int64)] = True
    sales = np.arange(0, len(agree), 2)  # a sale's refund is the next pair number
    refunded = _newest(pairs, sales[agree[sales] & agree[sales + 1]], limit)
    plain = _newest(pairs, sales[agree[sales] & ~pairs.present[sales + 1]], limit)
    refunds = pairs.rows(refunded["pair"].to_numpy(dtype=np.int64) + 1)
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

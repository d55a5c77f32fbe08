"""Orders to compare by hand before enabling sync (Oracle's checklist, step 3).

Oracle asks the seller to compare one refunded and one non-refunded order in NetSuite with
Amazon's report. We suggest orders that matched exactly, so the reviewer sees what a correct
posting looks like: refunded orders (sale and refund both matched) and orders with no refund.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..money import format_minor

SUGGESTED = 10


def _side(row: pd.Series) -> dict[str, Any]:
    currency = str(row["currency"])
    return {
        "amazon_amount": format_minor(int(row["amazon_compared"]), currency),
        "netsuite_amount": format_minor(int(row["netsuite_minor"]), currency),
        "netsuite_documents": row["netsuite_documents"],
        "settlements": str(row["settlements"]).split(";"),
    }


def suggest_checks(joined: pd.DataFrame, limit: int = SUGGESTED) -> dict[str, list[dict[str, Any]]]:
    """Matched refunded and non-refunded orders, most recent first (ties by order id).

    Args:
        joined: The joined Amazon/NetSuite rows with their ``kind`` (None where they agree).
        limit: How many of each to suggest.
    """
    agree = joined[joined["kind"].isna() & joined["in_amazon"] & joined["in_netsuite"]]
    agree = agree.sort_values(["posted_time", "order_id"], ascending=[False, True], na_position="last")
    sales = agree[agree["transaction_type"] == "Order"].set_index("order_id", drop=False)
    refunds = agree[agree["transaction_type"] == "Refund"].set_index("order_id", drop=False)
    refunded_any = set(joined.loc[joined["transaction_type"] == "Refund", "order_id"])
    refunded = [oid for oid in sales.index if oid in refunds.index][:limit]
    plain = [oid for oid in sales.index if oid not in refunded_any][:limit]
    return {
        "refunded": [
            {
                "order_id": oid,
                "currency": str(sales.at[oid, "currency"]),
                "order": _side(sales.loc[oid]),
                "refund": _side(refunds.loc[oid]),
            }
            for oid in refunded
        ],
        "not_refunded": [
            {"order_id": oid, "currency": str(sales.at[oid, "currency"]), "order": _side(sales.loc[oid])}
            for oid in plain
        ],
    }

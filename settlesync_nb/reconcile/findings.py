"""Settlement-level findings: totals that do not foot, settlements met twice, unknown lines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ..model import LoadResult, Settlement
from ..money import format_minor
from .categories import UNCLASSIFIED
from .codes import is_one_of
from .rules import ERROR, INFO, KINDS


def settlement_rows(
    load: LoadResult,
    kept: tuple[Settlement, ...],
    lines: pa.Table,
    categories: pa.DictionaryArray,
    columns: list[str],
) -> list[pd.DataFrame]:
    """Settlement-level findings: inconsistent totals, duplicated settlements, unclassified lines.

    Returns:
        Zero or one frame with ``columns`` (the discrepancy layout), one row per finding.
    """
    records = []
    kept_ids = {s.settlement_id for s in kept}
    for item in kept:
        if not item.consistent:
            records.append(settlement_record(item, "settlement_inconsistent", inconsistency(item, lines)))
    by_id = {s.settlement_id: s for s in load.settlements}
    for dup in load.duplicates:
        if dup.settlement_id not in kept_ids:
            continue
        same = "identical (kept once)" if dup.identical else "DIFFERENT: check which download is right"
        text = f"met twice: {dup.kept_source} and {dup.dropped_source} are {same}; kept {dup.kept_source}"
        record = settlement_record(by_id[dup.settlement_id], "duplicate_settlement", text)
        record["severity"] = ERROR if not dup.identical else INFO
        records.append(record)
    unclassified = categories.dictionary.to_pylist().index(UNCLASSIFIED)
    unknown = np.asarray(categories.indices.to_numpy() == unclassified)
    if unknown.any():
        keys = ["settlement_id", "transaction_type", "amount_type", "amount_description"]
        picked = lines.select([*keys, "order_id", "amount_minor", "currency", "source_file", "source_line"])
        frame = picked.filter(pa.array(unknown)).to_pandas().astype({k: "string" for k in keys})
        for values, group in frame.groupby(keys, dropna=False, sort=True):
            sid, ttype, atype, desc = ("" if v is None or v is pd.NA else str(v) for v in values)
            orders = group["order_id"].dropna().unique()
            first = group.iloc[0]
            text = (
                f"{len(group)} line(s) of transaction type {ttype!r}, amount type {atype!r}, description "
                f"{desc!r} are not in the category map (first: {first['source_file']} line {first['source_line']}); "
                "add a [[categories]] rule to classify them"
            )
            records.append(
                {
                    **settlement_record(by_id[sid], "unclassified_line", text),
                    "transaction_type": ttype or None,
                    "order_id": orders[0] if len(orders) == 1 else None,
                    "amazon_minor": int(group["amount_minor"].sum()),
                }
            )
    return [pd.DataFrame.from_records(records, columns=columns)] if records else []


def settlement_record(item: Settlement, kind: str, explanation: str) -> dict[str, object]:
    return {
        "settlement_id": item.settlement_id,
        "transaction_type": None,
        "order_id": None,
        "kind": kind,
        "severity": KINDS[kind],
        "amazon_minor": None,
        "netsuite_minor": None,
        "difference_minor": None,
        "currency": item.currency,
        "netsuite_documents": None,
        "explanation": explanation,
        "marketplace": None,
        "posted_time": None,
        "skus": None,
    }


def inconsistency(item: Settlement, lines: pa.Table) -> str:
    gap = item.total_minor - item.lines_total_minor
    text = (
        f"lines add up to {item.lines_total} but the report's total is {item.total_amount} "
        f"(difference {format_minor(gap, item.currency)})"
    )
    mine = is_one_of(lines.column("settlement_id"), (item.settlement_id,))
    if not (mine & is_one_of(lines.column("amount_description"), ("Current Reserve Amount",))).any():
        text += "; it has no Current Reserve Amount line: a missing reserve hold is the usual cause"
    return text

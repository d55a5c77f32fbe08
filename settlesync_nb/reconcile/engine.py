"""``reconcile``: canonical Amazon lines + NetSuite records -> a :class:`TestReport`.

Pure: no file access, no clock, no globals. Everything it needs arrives as arguments.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pyarrow as pa

from ..config import Settings
from ..io.netsuite import NetSuiteRecords
from ..model import LoadResult, Settlement
from .categories import categorise, settlement_summary
from .codes import is_one_of
from .details import skus_of
from .findings import settlement_rows
from .matching import match
from .report import Check, InputFile, Resolution, SettlementResult, TestReport
from .rules import ERROR, KINDS, Context, assign_kinds, explain
from .suggest import suggest_checks

COLUMNS = [
    "settlement_id",
    "transaction_type",
    "order_id",
    "kind",
    "severity",
    "amazon_minor",
    "netsuite_minor",
    "difference_minor",
    "currency",
    "netsuite_documents",
    "explanation",
    "marketplace",
    "posted_time",
    "skus",
    "resolution",
    "reviewer",
    "note",
]


def reconcile(
    load: LoadResult,
    netsuite: NetSuiteRecords,
    settings: Settings | None = None,
    resolutions: Iterable[Resolution] = (),
    extra_inputs: Iterable[InputFile] = (),
) -> TestReport:
    """Compare settlements with NetSuite and build the test report.

    Args:
        load: Canonical settlement lines (``load_settlements``).
        netsuite: NetSuite records (``load_netsuite``).
        settings: Basis, tolerance, cutoff, type map, category rules (default: defaults).
        resolutions: Reviewer decisions on errors; they unblock the report (see TestReport).
        extra_inputs: Further fingerprinted inputs to list (config file, resolutions file).
    """
    settings = settings or Settings()
    kept, excluded = _apply_cutoff(load.settlements, settings)
    lines = load.table
    if excluded:
        lines = lines.filter(pa.array(~is_one_of(lines.column("settlement_id"), {s.settlement_id for s in excluded})))
    # Categories only need the lines: they are summed on a second core while the sides are matched
    # (numpy and pyarrow release the GIL for their array work).
    with ThreadPoolExecutor(max_workers=1) as pool:
        categorised = pool.submit(_categories, lines, settings)
        matched = match(lines, netsuite.table, settings)
        categories, summary = categorised.result()
    joined, details = matched.joined, matched.details
    # shipments/refund adjustments matter only where NetSuite has several live records
    several = (joined["live_count"] > 1).to_numpy(dtype=bool)
    joined["events"] = 0
    joined.loc[several, "events"] = details.events(joined.loc[several, "pair"])
    ctx = Context(tolerance=settings.tolerance)
    joined["kind"] = assign_kinds(joined, ctx)
    found = joined[joined["kind"].notna()].copy()
    found["events"] = details.events(found["pair"])
    found["netsuite_documents"] = details.documents(found["pair"])
    found["explanation"] = explain(found, ctx)
    found["skus"] = skus_of(lines, found)
    rows = pd.concat(
        [_order_rows(found), *settlement_rows(load, kept, lines, categories, COLUMNS[:14])], ignore_index=True
    )
    rows, unmatched = _resolve(_typed(rows), resolutions)
    inputs = (
        *(InputFile(f.path, f.sha256, "amazon") for f in load.files),
        *(InputFile(path, sha, "netsuite") for path, sha, _ in netsuite.files),
        *extra_inputs,
    )
    results = tuple(_settlement_result(s, rows) for s in kept)
    return TestReport(
        discrepancies=rows,
        summary=summary,
        settlements=results,
        excluded=excluded,
        duplicates=load.duplicates,
        inputs=inputs,
        settings=settings,
        checks=_checks(rows),
        ignored_netsuite_types=matched.ignored,
        unmatched_resolutions=unmatched,
        suggestions=suggest_checks(matched.pairs, joined, details),
    )


def _categories(lines: pa.Table, settings: Settings) -> tuple[pa.DictionaryArray, pd.DataFrame]:
    categories = categorise(lines, settings.categories)
    return categories, settlement_summary(lines, categories)


def _apply_cutoff(
    settlements: Iterable[Settlement], settings: Settings
) -> tuple[tuple[Settlement, ...], tuple[Settlement, ...]]:
    if settings.cutoff is None:
        return tuple(settlements), ()
    start = datetime(settings.cutoff.year, settings.cutoff.month, settings.cutoff.day, tzinfo=UTC)
    kept: list[Settlement] = []
    excluded: list[Settlement] = []
    for item in settlements:
        (excluded if item.end is not None and item.end < start else kept).append(item)
    return tuple(kept), tuple(excluded)


def _order_rows(found: pd.DataFrame) -> pd.DataFrame:
    """Discrepancy rows for (order, type) pairs, in the report's column layout."""
    in_amazon = found["in_amazon"].to_numpy(dtype=bool)
    live = found["in_netsuite"].to_numpy(dtype=bool) & (found["live_count"].to_numpy() > 0)
    return pd.DataFrame(
        {
            "settlement_id": found["settlements"],
            "transaction_type": found["transaction_type"],
            "order_id": found["order_id"],
            "kind": found["kind"],
            "severity": found["kind"].map(KINDS),
            "amazon_minor": _where(found["amazon_compared"], in_amazon),
            "netsuite_minor": _where(found["netsuite_minor"], live),
            "difference_minor": _where(found["difference_minor"], in_amazon & live),
            "currency": found["currency"],
            "netsuite_documents": found["netsuite_documents"],
            "explanation": found["explanation"],
            "marketplace": found["marketplace"],
            "posted_time": found["posted_time"],
            "skus": found["skus"],
        }
    ).reset_index(drop=True)


MONEY_COLUMNS = ("amazon_minor", "netsuite_minor", "difference_minor")


def _typed(rows: pd.DataFrame) -> pd.DataFrame:
    """One dtype per column whatever rows exist: exact nullable integers for money, UTC times,
    text (str with nulls) for the rest."""
    out = rows.copy()
    for column in COLUMNS[:14]:
        if column not in out:
            out[column] = None
        if column in MONEY_COLUMNS:
            out[column] = pd.Series(out[column].astype(object).where(out[column].notna(), None), dtype="Int64")
        elif column == "posted_time":
            out[column] = pd.to_datetime(out[column], utc=True).astype("datetime64[s, UTC]")
        else:
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def _where(values: pd.Series, keep: np.ndarray) -> pd.Series:
    """Exact integers where ``keep`` holds, <NA> elsewhere."""
    return pd.Series(values.to_numpy(dtype=np.int64), index=values.index, dtype="Int64").where(keep)


def _resolve(rows: pd.DataFrame, resolutions: Iterable[Resolution]) -> tuple[pd.DataFrame, tuple[Resolution, ...]]:
    """Attach each resolution to the error it names; list those that name none."""
    rows = rows.assign(resolution=pd.Series([None] * len(rows), dtype=object), reviewer=None, note=None)
    is_order = rows["order_id"].notna() & rows["kind"].ne("unclassified_line")
    order_key = list(zip(rows["order_id"], rows["transaction_type"], strict=True))
    settlement_key = list(zip(rows["settlement_id"], rows["kind"], strict=True))
    unmatched = []
    for item in resolutions:
        scope, first, second = item.key
        if scope == "order":
            hit = is_order & pd.Series([k == (first, second) for k in order_key], index=rows.index)
        else:
            hit = ~is_order & pd.Series([k == (first, second) for k in settlement_key], index=rows.index)
        hit &= rows["severity"] == ERROR
        if not hit.any():
            unmatched.append(item)
            continue
        rows.loc[hit, ["resolution", "reviewer", "note"]] = [item.action, item.reviewer, item.note]
    return rows[COLUMNS], tuple(unmatched)


def _settlement_result(item: Settlement, rows: pd.DataFrame) -> SettlementResult:
    attributed = np.array(
        [item.settlement_id in str(ids).split(";") for ids in rows["settlement_id"].fillna("")], dtype=bool
    )
    mine = rows.loc[attributed]
    counts = mine["kind"].value_counts().to_dict()
    unresolved = int(((mine["severity"] == ERROR) & mine["resolution"].isna()).sum())
    return SettlementResult(item, {k: int(counts.get(k, 0)) for k in KINDS}, unresolved, _checks(mine, item))


CHECKS = (
    ("lines add up to the report total", ("settlement_inconsistent",)),
    ("settlement loaded once, copies identical", ("duplicate_settlement",)),
    ("every Amazon order and refund is in NetSuite", ("missing_in_netsuite",)),
    ("amounts agree within tolerance", ("amount_mismatch",)),
    ("one live NetSuite record per order or refund", ("duplicate_in_netsuite",)),
    ("no cancelled postings", ("cancelled_posting",)),
    ("currencies agree", ("currency_mismatch",)),
)


def _checks(rows: pd.DataFrame, item: Settlement | None = None) -> tuple[Check, ...]:
    out = []
    for name, kinds in CHECKS:
        hit = rows[rows["kind"].isin(kinds) & (rows["severity"] == ERROR)]
        open_errors = int(hit["resolution"].isna().sum())
        detail = f"{len(hit)} found, {open_errors} unresolved" if len(hit) else "none found"
        out.append(Check(name, open_errors == 0, detail))
    unknown = int((rows["kind"] == "unclassified_line").sum())
    out.append(
        Check(
            "every line classified",
            True,
            f"{unknown} unclassified group(s), shown as info" if unknown else "all classified",
        )
    )
    return tuple(out)

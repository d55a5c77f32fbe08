"""Every settlement line in exactly one category, and per-settlement category totals.

The built-in mapping table (``data/categories.csv``) matches the (transaction type, amount
type, amount description) triple with ``*``/``?`` wildcards, first match wins; a user's rules
(``[[categories]]`` in the config) are tried first. A triple nothing matches is
``unclassified``: shown, counted and reported, never dropped. Because each line has exactly one
category, the categories of a settlement add up exactly to its lines total.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from fnmatch import fnmatchcase
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import pyarrow as pa

from ..config import CATEGORY_KEYS, CategoryRule

CATEGORIES = (
    "sales",
    "tax",
    "shipping",
    "promotions",
    "marketplace facilitator tax",
    "selling fees",
    "FBA fees",
    "refunds",
    "reserves",
    "reimbursements",
    "advertising",
    "transfers",
    "other",
)
UNCLASSIFIED = "unclassified"
TRIPLE = ("transaction_type", "amount_type", "amount_description")


@cache
def builtin_rules() -> tuple[CategoryRule, ...]:
    """The shipped mapping table, in order."""
    text = resources.files("settlesync_nb").joinpath("data/categories.csv").read_text(encoding="utf-8")
    return tuple(CategoryRule(**{k: row[k] for k in CATEGORY_KEYS}) for row in csv.DictReader(text.splitlines()))


def classify(transaction_type: str, amount_type: str, amount_description: str, rules: Iterable[CategoryRule]) -> str:
    """The category of one triple: the first rule that matches, else ``unclassified``."""
    values = (transaction_type.casefold(), amount_type.casefold(), amount_description.casefold())
    for rule in rules:
        patterns = (rule.transaction_type, rule.amount_type, rule.amount_description)
        if all(fnmatchcase(v, p.casefold()) for v, p in zip(values, patterns, strict=True)):
            return rule.category
    return UNCLASSIFIED


def categorise(lines: pd.DataFrame, extra_rules: Iterable[CategoryRule] = ()) -> pd.Series:
    """The category of every line (a categorical Series aligned with ``lines``).

    Each distinct triple is classified once, so the cost does not grow with the line count.
    """
    rules = (*extra_rules, *builtin_rules())
    codes = []
    labels = []
    for column in TRIPLE:
        values = lines[column].astype("category")
        codes.append(values.cat.codes.to_numpy(dtype=np.int64))
        labels.append([*map(str, values.cat.categories), ""])  # code -1 (null) -> ""
    sizes = [len(names) for names in labels]
    key = (codes[0] % sizes[0]) * sizes[1] * sizes[2] + (codes[1] % sizes[1]) * sizes[2] + (codes[2] % sizes[2])
    # Dense keys (a few thousand at most): mark the ones present instead of sorting a million.
    present = np.zeros(sizes[0] * sizes[1] * sizes[2], dtype=bool)
    present[key] = True
    distinct = np.flatnonzero(present)
    position = np.zeros(len(present), dtype=np.int64)
    position[distinct] = np.arange(len(distinct))
    inverse = position[key]
    names = []
    for value in distinct.tolist():
        a, rest = divmod(value, sizes[1] * sizes[2])
        b, c = divmod(rest, sizes[2])
        names.append(classify(labels[0][a], labels[1][b], labels[2][c], rules))
    order = [*CATEGORIES, *sorted(set(names) - set(CATEGORIES) - {UNCLASSIFIED}), UNCLASSIFIED]
    return pd.Series(
        pd.Categorical.from_codes(
            np.asarray([order.index(n) for n in names], dtype=np.int64)[inverse.reshape(-1)], categories=pd.Index(order)
        ),
        index=lines.index,
        name="category",
    )


def settlement_summary(lines: pd.DataFrame, categories: pd.Series) -> pd.DataFrame:
    """Exact totals per settlement and category.

    Returns:
        Columns ``settlement_id, currency, category, amount_minor, line_count``, one row per
        category present in each settlement, categories in :data:`CATEGORIES` order.
    """
    settlement = pa.array(lines["settlement_id"])
    table = pa.table(
        {
            "settlement_id": settlement.cast(pa.string()),
            "currency": pa.array(lines["currency"]).cast(pa.string()),
            "category": pa.array(categories.cat.codes.to_numpy(dtype=np.int32)),
            "amount_minor": pa.array(lines["amount_minor"].to_numpy(dtype=np.int64)),
        }
    )
    grouped = table.group_by(["settlement_id", "currency", "category"], use_threads=True).aggregate(
        [("amount_minor", "sum"), ("amount_minor", "count")]
    )
    names = list(categories.cat.categories)
    summary = pd.DataFrame(
        {
            "settlement_id": grouped.column("settlement_id").to_pylist(),
            "currency": grouped.column("currency").to_pylist(),
            "category": pd.Categorical.from_codes(grouped.column("category").to_numpy(), categories=pd.Index(names)),
            "amount_minor": grouped.column("amount_minor_sum").to_numpy().astype(np.int64),
            "line_count": grouped.column("amount_minor_count").to_numpy().astype(np.int64),
        }
    )
    return summary.sort_values(["settlement_id", "currency", "category"], ignore_index=True)

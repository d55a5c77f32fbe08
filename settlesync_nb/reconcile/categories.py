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
from .codes import codes

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


def categorise(lines: pa.Table, extra_rules: Iterable[CategoryRule] = ()) -> pa.DictionaryArray:
    """The category of every line, aligned with ``lines`` (``LoadResult.table``).

    Each distinct triple is classified once, so the cost does not grow with the line count.

    Returns:
        Dictionary-encoded category names; the dictionary lists :data:`CATEGORIES` first, then
        categories only user rules name, then :data:`UNCLASSIFIED`.
    """
    rules = (*extra_rules, *builtin_rules())
    values = []
    labels = []
    for column in TRIPLE:
        coded, names = codes(lines.column(column))
        values.append(coded)
        labels.append([*names, ""])  # code -1 (null) -> ""
    sizes = [len(names) for names in labels]
    key = (values[0] % sizes[0]) * sizes[1] * sizes[2] + (values[1] % sizes[1]) * sizes[2] + (values[2] % sizes[2])
    # Dense keys (a few thousand at most): mark the ones present instead of sorting a million.
    present = np.zeros(sizes[0] * sizes[1] * sizes[2], dtype=bool)
    present[key] = True
    distinct = np.flatnonzero(present)
    position = np.zeros(len(present), dtype=np.int64)
    position[distinct] = np.arange(len(distinct))
    found = []
    for value in distinct.tolist():
        a, rest = divmod(value, sizes[1] * sizes[2])
        b, c = divmod(rest, sizes[2])
        found.append(classify(labels[0][a], labels[1][b], labels[2][c], rules))
    order = [*CATEGORIES, *sorted(set(found) - set(CATEGORIES) - {UNCLASSIFIED}), UNCLASSIFIED]
    category = np.asarray([order.index(n) for n in found], dtype=np.int32)[position[key]]
    return pa.DictionaryArray.from_arrays(pa.array(category), pa.array(order, pa.string()))


def settlement_summary(lines: pa.Table, categories: pa.DictionaryArray) -> pd.DataFrame:
    """Exact totals per settlement and category.

    Returns:
        Columns ``settlement_id, currency, category, amount_minor, line_count``, one row per
        category present in each settlement, categories in :data:`CATEGORIES` order.
    """
    settlement, settlement_names = codes(lines.column("settlement_id"))
    currency, currency_names = codes(lines.column("currency"))
    category = categories.indices.to_numpy().astype(np.int64)
    names = categories.dictionary.to_pylist()
    # one dense integer per (settlement, currency, category): exact sums by bincount-like adds
    shape = (len(settlement_names) + 1, len(currency_names) + 1, len(names))
    key = np.ravel_multi_index((settlement % shape[0], currency % shape[1], category), shape)
    count = np.bincount(key, minlength=int(np.prod(shape)))
    total = np.zeros(len(count), dtype=np.int64)
    np.add.at(total, key, lines.column("amount_minor").to_numpy())
    present = np.flatnonzero(count)
    s, c, k = np.unravel_index(present, shape)
    return pd.DataFrame(
        {
            "settlement_id": [settlement_names[i] if i < len(settlement_names) else None for i in s.tolist()],
            "currency": [currency_names[i] if i < len(currency_names) else None for i in c.tolist()],
            "category": pd.Categorical.from_codes(k, categories=pd.Index(names)),
            "amount_minor": total[present],
            "line_count": count[present].astype(np.int64),
        }
    )

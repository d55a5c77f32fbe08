"""Every line in exactly one category; categories add up to each settlement's total."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from settlesync_nb.config import CategoryRule
from settlesync_nb.io import load_settlements
from settlesync_nb.reconcile import UNCLASSIFIED, categorise, classify, settlement_summary
from settlesync_nb.reconcile.categories import builtin_rules

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent (not a workplace checkout)")


@pytest.mark.parametrize(
    ("triple", "category"),
    [
        (("Order", "ItemPrice", "Principal"), "sales"),
        (("Order", "ItemPrice", "ShippingTax"), "tax"),
        (("Order", "ItemPrice", "Shipping"), "shipping"),
        (("Order", "Promotion", "Shipping"), "promotions"),
        (("Refund", "ItemPrice", "Principal"), "refunds"),
        (("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal"), "marketplace facilitator tax"),
        (("Order", "ItemFees", "FBAPerUnitFulfillmentFee"), "FBA fees"),
        (("Order", "ItemFees", "Commission"), "selling fees"),
        (("other-transaction", "other-transaction", "Current Reserve Amount"), "reserves"),
        (("Transfer", "other-transaction", "Previous Reserve Amount Balance"), "reserves"),
        (("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE"), "reimbursements"),
        (("ServiceFee", "other-transaction", "Cost of Advertising"), "advertising"),
        (("Payable to Amazon", "other-transaction", "Payable to Amazon"), "transfers"),
        (("other-transaction", "NewThing", "Never Seen"), UNCLASSIFIED),
    ],
)
def test_builtin_map(triple: tuple[str, str, str], category: str) -> None:
    """The shipped table puts well-known triples in the expected category."""
    assert classify(*triple, builtin_rules()) == category


def test_user_rules_come_first() -> None:
    """A user's rule overrides the built-in one and can name an unknown triple."""
    rules = (CategoryRule("*", "NewThing", "*", "selling fees"), CategoryRule("*", "ItemFees", "Commission", "other"))
    assert classify("x", "NewThing", "y", (*rules, *builtin_rules())) == "selling fees"
    assert classify("Order", "ItemFees", "Commission", (*rules, *builtin_rules())) == "other"


@needs_corpus
def test_every_observed_fee_code_is_classified() -> None:
    """Every amount description in the corpus vocabulary list has a category."""
    data = json.loads((CORPUS / "synthetic-v2" / "fee-codes.json").read_text(encoding="utf-8"))
    unknown = [
        (t, e["description"])
        for e in data["entries"]
        for t in (e["amount_types"] or ["other-transaction"])
        if classify("other-transaction", t, e["description"], builtin_rules()) == UNCLASSIFIED
    ]
    assert unknown == []


@needs_corpus
def test_categories_add_up_to_each_settlement_total() -> None:
    """Per settlement, the category amounts sum exactly to the report total (real files)."""
    result = load_settlements(sorted(CORPUS.glob("*/*.txt")))
    summary = settlement_summary(result.table, categorise(result.table))
    totals = summary.groupby("settlement_id")["amount_minor"].sum().to_dict()
    assert totals == {s.settlement_id: s.total_minor for s in result.settlements}
    assert UNCLASSIFIED not in set(summary["category"].astype(str))

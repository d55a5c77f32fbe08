"""Each discrepancy rule and explainer, alone, on hand-built joined rows."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from settlesync_nb.reconcile.rules import ORDER_RULES, Context, Rule, assign_kinds, explain

CTX = Context(tolerance=Decimal(0))
BASE = {
    "order_id": "A",
    "transaction_type": "Order",
    "in_amazon": True,
    "in_netsuite": True,
    "live_count": 1,
    "cancelled_count": 0,
    "events": 1,
    "currency": "USD",
    "netsuite_currency": "USD",
    "difference_minor": 0,
    "amazon_compared": 1000,
    "netsuite_minor": 1000,
    "promotion_minor": 0,
    "settlement_count": 1,
    "settlements": "1001",
    "netsuite_documents": "Cash Sale CS1",
    "amazon_minor": 1000,
}
RULES = {rule.kind: rule for rule in ORDER_RULES}


def frame(**changes: object) -> pd.DataFrame:
    return pd.DataFrame([{**BASE, **changes}])


def hits(rule: Rule, **changes: object) -> bool:
    return bool(rule.test(frame(**changes), CTX)[0])


def test_rules_are_ordered_and_cover_the_order_kinds() -> None:
    """The order-level rules run in a fixed, documented order."""
    assert [r.kind for r in ORDER_RULES] == [
        "missing_in_amazon",
        "missing_in_netsuite",
        "cancelled_posting",
        "duplicate_in_netsuite",
        "currency_mismatch",
        "amount_mismatch",
    ]


def test_missing_in_amazon_rule() -> None:
    """A row only NetSuite has is missing in Amazon."""
    assert hits(RULES["missing_in_amazon"], in_amazon=False)
    assert not hits(RULES["missing_in_amazon"])


def test_missing_in_netsuite_rule() -> None:
    """A row only Amazon has is missing in NetSuite."""
    assert hits(RULES["missing_in_netsuite"], in_netsuite=False, live_count=0)
    assert not hits(RULES["missing_in_netsuite"])


def test_cancelled_posting_rule() -> None:
    """Only cancelled records and no live one is a cancelled posting."""
    assert hits(RULES["cancelled_posting"], live_count=0, cancelled_count=1)
    assert not hits(RULES["cancelled_posting"], live_count=1, cancelled_count=1)


@pytest.mark.parametrize(
    ("live", "events", "expected"), [(1, 1, False), (2, 1, True), (2, 2, False), (3, 2, True), (2, 0, True)]
)
def test_duplicate_rule_allows_one_record_per_amazon_event(live: int, events: int, expected: bool) -> None:
    """More live records than Amazon shipments/refund adjustments (and more than one) is a duplicate."""
    assert hits(RULES["duplicate_in_netsuite"], live_count=live, events=events) is expected


def test_currency_mismatch_rule() -> None:
    """Any live NetSuite currency other than Amazon's is a mismatch; an absent one is not."""
    assert hits(RULES["currency_mismatch"], netsuite_currency="EUR")
    assert hits(RULES["currency_mismatch"], netsuite_currency="EUR;USD")
    assert not hits(RULES["currency_mismatch"], netsuite_currency=None)


def test_amount_mismatch_rule_uses_the_tolerance_in_minor_units() -> None:
    """A difference above the tolerance (floored to the currency's minor unit) is a mismatch."""
    rule = RULES["amount_mismatch"]
    assert hits(rule, difference_minor=1)
    lenient = Context(tolerance=Decimal("0.015"))
    assert not rule.test(frame(difference_minor=1), lenient)[0]
    assert rule.test(frame(difference_minor=2), lenient)[0]
    assert rule.test(frame(difference_minor=-2, currency="JPY"), Context(Decimal("1")))[0]


def test_first_matching_rule_wins() -> None:
    """A row two rules match gets the earlier kind only."""
    rows = frame(live_count=0, cancelled_count=1, difference_minor=1000)
    assert list(assign_kinds(rows, CTX)) == ["cancelled_posting"]
    assert list(assign_kinds(frame(), CTX)) == [None]


def test_explanations_combine_every_inferred_reason() -> None:
    """Rounding, promotion, split and earlier-order reasons are all given where they apply."""
    rows = frame(
        kind="amount_mismatch",
        difference_minor=1,
        netsuite_minor=999,
        promotion_minor=-200,
        settlement_count=2,
        settlements="1001;1002",
    )
    text = explain(rows, CTX)[0]
    assert "is 0.01 more than NetSuite 9.99" in text
    assert "rounding" in text and "promotion of -2.00" in text and "1001, 1002" in text
    refund = frame(
        kind="missing_in_netsuite", order_id="OLD", transaction_type="Refund", events=2, order_in_amazon=False
    )
    assert "settled earlier" in explain(refund, CTX)[0] and "2 partial refunds" in explain(refund, CTX)[0]

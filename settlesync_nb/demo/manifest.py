"""``expected.json``: every planted discrepancy and explanation of the demo data set.

The reconciliation tests assert against this manifest, so it is derived from the same records
the files were written from, never typed by hand. Amounts are decimal strings; file paths are
relative to the data set folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..money import format_minor
from .netsuite import OFF_BY, OFF_BY_ROUNDING, Plants, Row
from .records import BASIS_AMOUNT_TYPES, BasisEntry
from .scenario import Scenario

FIRST_DETAIL_LINE = 3  # header is line 1, the summary row line 2


@dataclass(frozen=True)
class Files:
    """Relative paths of the written files, by role."""

    us_first: str
    us_second: str
    de: str
    us_copy: str
    de_redownload: str
    netsuite: str

    @property
    def amazon(self) -> list[str]:
        """Amazon reports in load order."""
        return [self.us_first, self.us_second, self.de, self.us_copy, self.de_redownload]


@dataclass(frozen=True)
class Planted:
    """One manifest entry and, for the README, what the tool should say about it."""

    entry: dict[str, Any]
    says: str


def _money(minor: int, currency: str) -> str:
    return format_minor(minor, currency)


def _entry(
    kind: str,
    note: str,
    order_id: str | None = None,
    transaction_type: str | None = None,
    settlement_id: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "order_id": order_id,
        "transaction_type": transaction_type,
        "settlement_id": settlement_id,
        "note": note,
        **extra,
    }


def settlement_records(scenario: Scenario, files: Files) -> list[dict[str, Any]]:
    """One record per distinct settlement: its own total and what its written lines add up to.

    ``file`` is the copy loaded first (and kept); ``copies`` lists the other downloads. A shell
    glob sorts ``-DE-redownload.txt`` before ``-DE.txt``, which would keep the other copy.
    """
    paths = (files.us_first, files.us_second, files.de)
    copies = {
        scenario.us_first.settlement_id: [(files.us_copy, scenario.us_first, True)],
        scenario.de.settlement_id: [(files.de_redownload, scenario.de_redownload, False)],
    }
    return [
        {
            "settlement_id": s.settlement_id,
            "file": path,
            "currency": s.currency,
            "total_amount": _money(s.total, s.currency),
            "lines_total": _money(s.lines_total, s.currency),
            "consistent": s.total == s.lines_total,
            "line_count": len(s.lines),
            "copies": [
                {
                    "file": copy_path,
                    "total_amount": _money(copy.total, copy.currency),
                    "lines_total": _money(copy.lines_total, copy.currency),
                    "identical": identical,
                }
                for copy_path, copy, identical in copies.get(s.settlement_id, [])
            ],
        }
        for s, path in zip(scenario.settlements, paths, strict=True)
    ]


def settlement_findings(scenario: Scenario, files: Files) -> list[Planted]:
    """Findings about whole settlements and report lines (no NetSuite involved)."""
    us1, us2, de = scenario.settlements
    missing = us2.missing[0]
    difference = us2.total - us2.lines_total
    restated = scenario.restated_line
    old, new = de.lines[restated].amount, scenario.de_redownload.lines[restated].amount
    line = scenario.unclassified
    unclassified_at = FIRST_DETAIL_LINE + us1.lines.index(line)
    return [
        Planted(
            _entry(
                "settlement_inconsistent",
                f"total-amount {_money(us2.total, 'USD')} includes a Current Reserve Amount line of "
                f"{_money(missing.amount, 'USD')} that is missing from the file",
                settlement_id=us2.settlement_id,
                file=files.us_second,
                total_amount=_money(us2.total, "USD"),
                lines_total=_money(us2.lines_total, "USD"),
                difference=_money(difference, "USD"),
            ),
            f"settlement {us2.settlement_id} does not foot: total {_money(us2.total, 'USD')}, lines add up to "
            f"{_money(us2.lines_total, 'USD')} (difference {_money(difference, 'USD')}, likely a missing reserve line)",
        ),
        Planted(
            _entry(
                "duplicate_settlement",
                "the same settlement downloaded twice: an identical byte copy",
                settlement_id=us1.settlement_id,
                file=files.us_copy,
                kept_file=files.us_first,
                identical=True,
                severity="info",
            ),
            f"settlement {us1.settlement_id} met twice (identical copies); counted once",
        ),
        Planted(
            _entry(
                "duplicate_settlement",
                f"a re-download that differs: line {FIRST_DETAIL_LINE + restated} "
                f"({de.lines[restated].order_id} Commission) restated from {_money(old, 'EUR')} to "
                f"{_money(new, 'EUR')}, total-amount changed to match",
                settlement_id=de.settlement_id,
                file=files.de_redownload,
                kept_file=files.de,
                identical=False,
                severity="error",
            ),
            f"settlement {de.settlement_id} met twice with DIFFERENT content; the first copy is used, "
            "decide which one is right",
        ),
        Planted(
            _entry(
                "unclassified_line",
                f"a line of a vocabulary no category map knows: {line.transaction_type} / {line.amount_type} / "
                f"{line.amount_description}",
                settlement_id=us1.settlement_id,
                file=files.us_first,
                line=unclassified_at,
                line_transaction_type=line.transaction_type,
                amount_type=line.amount_type,
                amount_description=line.amount_description,
                amount=_money(line.amount, "USD"),
            ),
            f"1 unclassified line ({line.amount_type} / {line.amount_description}, "
            f"{_money(line.amount, 'USD')}) in settlement {us1.settlement_id}: shown, not dropped",
        ),
    ]


_SAYS = {
    "missing_in_netsuite": "order missing in NetSuite: Amazon {amazon} {currency}, no NetSuite transaction",
    "amount_mismatch": "amounts differ by {difference}: Amazon {amazon}, NetSuite {netsuite} {currency}",
    "duplicate_in_netsuite": "order posted twice in NetSuite: 2 live transactions of {amazon} {currency}",
    "cancelled_posting": "posting cancelled: the only NetSuite transaction is Voided (Amazon {amazon} {currency})",
    "currency_mismatch": "currency differs: Amazon {amazon} {currency}, NetSuite {netsuite} {netsuite_currency}",
}


def netsuite_findings(entries: dict[tuple[str, str], BasisEntry], plants: Plants, rows: list[Row]) -> list[Planted]:
    """Findings that compare Amazon's orders with the NetSuite export."""
    cases = (
        ("missing_in_netsuite", plants.missing_us, "no NetSuite transaction at all (never synced)"),
        ("missing_in_netsuite", plants.missing_de, "no NetSuite transaction at all (never synced)"),
        ("amount_mismatch", plants.off_by_5, f"NetSuite amount is {_money(OFF_BY, 'USD')} more than Amazon's"),
        ("amount_mismatch", plants.off_by_cent, f"NetSuite amount is {_money(OFF_BY_ROUNDING, 'USD')} less (rounding)"),
        ("duplicate_in_netsuite", plants.duplicated, "two live Cash Sale rows for the order (synced twice)"),
        ("cancelled_posting", plants.voided, "the order's only NetSuite row has Status Voided (its amount kept)"),
        ("currency_mismatch", plants.wrong_currency, "EUR order recorded in NetSuite with Currency USD, same amount"),
    )
    out = []
    for kind, order_id, note in cases:
        entry = entries[(order_id, "Order")]
        mine = [row for row in rows if row.order_id == order_id]
        facts: dict[str, Any] = {
            "amazon_amount": _money(entry.amount, entry.currency),
            "currency": entry.currency,
            "netsuite_internal_ids": [row.internal_id for row in mine],
        }
        if mine:
            facts["netsuite_amount"] = _money(sum(row.amount for row in mine), entry.currency)
            facts["netsuite_statuses"] = [row.status for row in mine]
        if kind == "amount_mismatch":
            facts["difference"] = _money(sum(row.amount for row in mine) - entry.amount, entry.currency)
        if kind == "currency_mismatch":
            facts["netsuite_currency"] = mine[0].currency
        says = _SAYS[kind].format(
            amazon=facts["amazon_amount"],
            netsuite=facts.get("netsuite_amount"),
            currency=entry.currency,
            difference=facts.get("difference"),
            netsuite_currency=facts.get("netsuite_currency"),
        )
        out.append(Planted(_entry(kind, note, order_id, "Order", entry.settlement_ids[0], **facts), says))
    ghost = [row for row in rows if row.order_id == plants.not_in_amazon]
    amount = _money(plants.not_in_amazon_amount, "USD")
    facts = {"netsuite_amount": amount, "currency": "USD", "netsuite_internal_ids": [r.internal_id for r in ghost]}
    note = "a Cash Sale for an order id that is in no loaded settlement"
    out.append(
        Planted(
            _entry("missing_in_amazon", note, plants.not_in_amazon, "Order", None, **facts),
            f"NetSuite transaction for an order in no loaded settlement: {amount} USD",
        )
    )
    return out


def explanations(
    scenario: Scenario, entries: dict[tuple[str, str], BasisEntry], plants: Plants
) -> list[dict[str, Any]]:
    """Orders whose amounts need an explanation rather than a correction."""

    def item(order_id: str, kind: str, reason: str, note: str) -> dict[str, Any]:
        entry = entries[(order_id, kind)]
        return {
            "order_id": order_id,
            "transaction_type": kind,
            "reason": reason,
            "settlement_ids": list(entry.settlement_ids),
            "amazon_amount": _money(entry.amount, entry.currency),
            "currency": entry.currency,
            "note": note,
        }

    out = [
        item(order_id, "Order", "promotion", "a 10% promotion reduces the order total")
        for order_id in scenario.promotions
    ]
    split = "two shipments settled in consecutive settlements; NetSuite holds their sum"
    out.append(item(scenario.split_order, "Order", "split across settlements", split))
    earlier = "the order was settled before the loaded periods; a Credit Memo matches the refund"
    out.append(item(scenario.earlier_order, "Refund", "refund of an earlier order", earlier))
    out.append(item(plants.off_by_cent, "Order", "rounding", "NetSuite is 0.01 lower (also an amount_mismatch)"))
    return out


def build_manifest(
    seed: int,
    scenario: Scenario,
    files: Files,
    entries: dict[tuple[str, str], BasisEntry],
    plants: Plants,
    rows: list[Row],
) -> tuple[dict[str, Any], list[Planted]]:
    """The expected.json document and the planted findings (for the README)."""
    planted = settlement_findings(scenario, files) + netsuite_findings(entries, plants, rows)
    document = {
        "generator": "settlesync demo",
        "mode": "normal",
        "seed": seed,
        "basis": f"NetSuite amount = sum of {' + '.join(BASIS_AMOUNT_TYPES)} lines per (order id, Order|Refund) "
        "across all loaded settlements; refunds compared by magnitude",
        "files": {"amazon": files.amazon, "netsuite": [files.netsuite]},
        "settlements": settlement_records(scenario, files),
        "discrepancies": [p.entry for p in planted],
        "explanations": explanations(scenario, entries, plants),
    }
    return document, planted

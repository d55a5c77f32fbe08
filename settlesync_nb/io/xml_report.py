"""The XML settlement report (GET_V2_SETTLEMENT_REPORT_DATA_XML), read into the canonical lines.

``SettlementReport/SettlementData`` is the summary; every ``Order``, ``Refund``,
``OtherTransaction`` (and any other transaction element) yields one canonical line per money
element it holds (an element with a ``currency`` attribute). A money element this reader does not
know how to book is a row problem, never silently dropped; breakdown elements that only restate
their parent's amount (``OtherTransactionItem``, an advertising ``TransactionAmount`` beside its
base and tax) are counted as such.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from lxml import etree

from ..errors import FileProblem, RowProblem
from .dates import EXPECTED_SETTLEMENT_DATE, SETTLEMENT_DATE_FORMATS, TIMESTAMP, parse_dates
from .parsed import AMOUNT_SOURCE, AMOUNT_TEXT, ParsedFile, ProblemLog, SummaryRow
from .source import RawFile

# group element -> canonical amount_type
AMOUNT_GROUPS = {
    "ItemPrice": "ItemPrice",
    "ItemPriceAdjustments": "ItemPrice",
    "ItemFees": "ItemFees",
    "ItemFeeAdjustments": "ItemFees",
    "Promotion": "Promotion",
    "PromotionAdjustment": "Promotion",
    "ItemWithheldTax": "ItemWithheldTax",
    "ItemTaxWithheld": "ItemWithheldTax",
    "Fees": "ItemFees",
    "ShipmentFees": "Shipment-Fees",
    "OrderFees": "Order-Fees",
    "DirectPayment": "Direct-Payment",
}
DESCRIPTION_CHILDREN = ("Type", "TransactionType", "DirectPaymentType")
CONTEXT = {
    "order_id": "AmazonOrderID",
    "merchant_order_id": "MerchantOrderID",
    "adjustment_id": "AdjustmentID",
    "shipment_id": "ShipmentID",
    "marketplace": "MarketplaceName",
    "fulfillment_id": "MerchantFulfillmentID",
    "posted_text": "PostedDate",
    "sku": "SKU",
    "quantity_text": "Quantity",
    "order_item_code": "AmazonOrderItemCode",
    "promotion_id": "MerchantPromotionID",
}
BREAKDOWN_PARENTS = {"OtherTransactionItem"}
ADVERTISING_PARTS = ("BaseAmount", "TaxAmount")
# Elements holding money even when they lack the ``currency`` attribute they normally carry.
MONEY_TAGS = {"Amount", "TransactionAmount", *ADVERTISING_PARTS}
# The raw bytes are always UTF-8 by now (see source.read_raw), whatever the declaration says.
_SAFE_PARSER = etree.XMLParser(
    encoding="utf-8", resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
)


def _local(element: etree._Element | None) -> str:
    if element is None or not isinstance(element.tag, str):
        return ""  # comments, processing instructions
    return etree.QName(element).localname


def _line(element: etree._Element) -> int:
    """The element's line in the file (lxml knows it for every parsed element)."""
    line: object = element.sourceline
    return line if isinstance(line, int) else 0


def _is_money(element: etree._Element) -> bool:
    return isinstance(element.tag, str) and (element.get("currency") is not None or _local(element) in MONEY_TAGS)


def _child_text(element: etree._Element, name: str) -> str | None:
    for child in element:
        if _local(child) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def read_xml(raw: RawFile) -> ParsedFile:
    """Read an XML settlement report into canonical detail lines (amounts still text)."""
    try:
        root = etree.fromstring(bytes(raw.data), _SAFE_PARSER)  # a no-op unless memory-mapped
        raw.release()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise FileProblem(
            raw.path,
            f"is not well-formed XML (line {line}: {exc.msg})",
            "Download the report again; an XML report must be complete.",
        ) from None
    reports = [e for e in root.iter() if _local(e) == "SettlementReport"]
    if not reports:
        found = sorted({_local(e) for e in root.iter() if _local(e)})[:15]
        raise FileProblem(
            raw.path,
            f"is XML but holds no SettlementReport element (elements found: {', '.join(found)})",
            "Pass an Amazon settlement report (GET_V2_SETTLEMENT_REPORT_DATA_XML).",
        )
    problems = ProblemLog()
    summaries: list[SummaryRow] = []
    records: list[dict[str, Any]] = []
    unbooked = 0  # money elements in no known place: rows rejected
    for report in reports:
        settlement_id = _summary(raw.path, report, summaries, problems)
        for transaction in report:
            if _local(transaction) not in ("SettlementData", ""):
                before = problems.total
                _transaction(raw.path, settlement_id, transaction, records, problems)
                unbooked += problems.total - before
    return ParsedFile(
        raw=raw,
        format="xml",
        summaries=summaries,
        details=_table(raw.path, records, problems),
        problems=problems,
        data_rows=len(records) + len(summaries) + unbooked,
        no_amount_rows=0,
        blank_lines=0,
        detail_rows=len(records),
    )


def _summary(path: str, report: etree._Element, summaries: list[SummaryRow], problems: ProblemLog) -> str:
    data = next((e for e in report if _local(e) == "SettlementData"), None)
    if data is None:
        problems.add(RowProblem(path, _line(report), "SettlementData", "nothing", "a SettlementData element"))
        return ""
    total = next((e for e in data if _local(e) == "TotalAmount"), None)
    settlement_id = _child_text(data, "AmazonSettlementID") or ""
    summaries.append(
        SummaryRow(
            settlement_id=settlement_id,
            start=_child_text(data, "StartDate") or "",
            end=_child_text(data, "EndDate") or "",
            deposit_date=_child_text(data, "DepositDate") or "",
            total=(total.text or "").strip() if total is not None else "",
            currency=(total.get("currency", "") if total is not None else "").strip().upper(),
            line=_line(total if total is not None else data),
        )
    )
    return settlement_id


def _transaction(
    path: str, settlement_id: str, transaction: etree._Element, records: list[dict[str, Any]], problems: ProblemLog
) -> None:
    kind = _local(transaction)
    transaction_type = _child_text(transaction, "TransactionType") or kind
    base: dict[str, Any] = {"settlement_id": settlement_id, "transaction_type": transaction_type}
    base.update({name: _child_text(transaction, tag) for name, tag in CONTEXT.items()})
    money = [e for e in transaction.iter() if _is_money(e)]
    names = {_local(e) for e in money}
    for element in money:
        parent = element.getparent()
        tag = _local(element)
        if parent is None or _local(parent) in BREAKDOWN_PARENTS:
            continue
        if tag == "TransactionAmount" and names & set(ADVERTISING_PARTS):
            continue
        line = dict(base)
        line.update(_context(element, transaction))
        booked = _booking(element, parent, transaction, transaction_type)
        if booked is None:
            problems.add(
                RowProblem(
                    path,
                    _line(element),
                    tag,
                    (element.text or "").strip(),
                    "an amount in a known place (ItemPrice, ItemFees, Promotion, ...): "
                    "this XML holds money settlesync cannot book; report it to the settlesync team",
                )
            )
            continue
        line["amount_type"], line["amount_description"] = booked
        line[AMOUNT_TEXT] = (element.text or "").strip()
        line[AMOUNT_SOURCE] = tag
        line["currency"] = (element.get("currency") or "").strip().upper() or None
        line["source_line"] = _line(element)
        records.append(line)


def _context(element: etree._Element, transaction: etree._Element) -> dict[str, Any]:
    """Item-level identifiers from the element's ancestors up to the transaction."""
    found: dict[str, Any] = {}
    node = element.getparent()
    while node is not None and node is not transaction:
        for name, tag in CONTEXT.items():
            if found.get(name) is None:
                value = _child_text(node, tag)
                if value is not None:
                    found[name] = value
        node = node.getparent()
    return found


def _booking(
    element: etree._Element, parent: etree._Element, transaction: etree._Element, transaction_type: str
) -> tuple[str, str] | None:
    """(amount_type, amount_description) for a money element, or None when unknown."""
    tag = _local(element)
    if parent is transaction:
        if tag == "Amount":
            return "other-transaction", transaction_type
        if tag in ADVERTISING_PARTS or tag == "TransactionAmount":
            return "other-transaction", f"{transaction_type} {tag}".strip()
        return None
    description = next((t for t in (_child_text(parent, n) for n in DESCRIPTION_CHILDREN) if t), None)
    group = _local(parent)
    if group in ("Component", "Fee"):
        group = _local(parent.getparent())
    amount_type = AMOUNT_GROUPS.get(group)
    if amount_type is None or description is None:
        return None
    return amount_type, description


def _table(path: str, records: list[dict[str, Any]], problems: ProblemLog) -> pa.Table:
    columns = [
        "settlement_id",
        "transaction_type",
        *CONTEXT,
        "amount_type",
        "amount_description",
        AMOUNT_TEXT,
        AMOUNT_SOURCE,
        "currency",
        "source_line",
    ]
    data = {name: [r.get(name) for r in records] for name in columns}
    table = pa.table({n: pa.array(v, pa.int64() if n == "source_line" else pa.string()) for n, v in data.items()})
    lines = table.column("source_line").to_numpy()
    posted = table.column("posted_text")
    stamps, bad = parse_dates(posted, SETTLEMENT_DATE_FORMATS)
    problems.add_mask(path, bad, lines, posted.combine_chunks(), "PostedDate", EXPECTED_SETTLEMENT_DATE)
    quantity_text = table.column("quantity_text")
    whole = pc.match_substring_regex(quantity_text, r"^-?[0-9]{1,9}$")
    problems.add_mask(path, pc.invert(whole), lines, quantity_text, "Quantity", "a whole number")
    quantity = pc.if_else(whole, quantity_text, pa.scalar(None, pa.string())).cast(pa.int64())
    table = table.drop_columns(["posted_text", "quantity_text"])
    return table.append_column("posted_time", stamps.cast(TIMESTAMP)).append_column("quantity", quantity)

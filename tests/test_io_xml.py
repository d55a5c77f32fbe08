"""The XML settlement report (SettlementReport) read into the same canonical lines."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import summary, v2_settlement, write_bytes, write_v1, write_v2

from settlesync_nb.errors import FileProblem, RowErrors
from settlesync_nb.io import load_settlements

ORDER = """
      <Order>
        <AmazonOrderID>111-0000001-0000001</AmazonOrderID>
        <MerchantOrderID>M-1</MerchantOrderID>
        <ShipmentID>S1</ShipmentID>
        <MarketplaceName>Amazon.com</MarketplaceName>
        <Fulfillment>
          <MerchantFulfillmentID>AFN</MerchantFulfillmentID>
          <PostedDate>2024-01-05T10:00:00+00:00</PostedDate>
          <Item>
            <AmazonOrderItemCode>00592319913016</AmazonOrderItemCode>
            <SKU>SKU-1</SKU>
            <Quantity>2</Quantity>
            <ItemPrice>
              <Component><Type>Principal</Type><Amount currency="USD">29.99</Amount></Component>
              <Component><Type>Tax</Type><Amount currency="USD">2.40</Amount></Component>
            </ItemPrice>
            <ItemFees>
              <Fee><Type>Commission</Type><Amount currency="USD">-4.50</Amount></Fee>
            </ItemFees>
            <Promotion>
              <MerchantPromotionID>PROMO-1</MerchantPromotionID>
              <Type>Principal</Type>
              <Amount currency="USD">-1.00</Amount>
            </Promotion>
          </Item>
        </Fulfillment>
      </Order>"""
REFUND = """
      <Refund>
        <AmazonOrderID>111-0000002-0000002</AmazonOrderID>
        <AdjustmentID>ADJ-1</AdjustmentID>
        <MarketplaceName>Amazon.com</MarketplaceName>
        <Fulfillment>
          <MerchantFulfillmentID>AFN</MerchantFulfillmentID>
          <PostedDate>2024-01-08T12:30:00+00:00</PostedDate>
          <AdjustedItem>
            <AmazonOrderItemCode>00592319913099</AmazonOrderItemCode>
            <MerchantAdjustmentItemID>MA-1</MerchantAdjustmentItemID>
            <SKU>SKU-2</SKU>
            <ItemPriceAdjustments>
              <Component><Type>Principal</Type><Amount currency="USD">-10.00</Amount></Component>
            </ItemPriceAdjustments>
            <ItemFeeAdjustments>
              <Fee><Type>Commission</Type><Amount currency="USD">1.50</Amount></Fee>
            </ItemFeeAdjustments>
            <PromotionAdjustment>
              <MerchantPromotionID>PROMO-2</MerchantPromotionID>
              <Type>Shipping</Type>
              <Amount currency="USD">0.50</Amount>
            </PromotionAdjustment>
          </AdjustedItem>
        </Fulfillment>
      </Refund>"""
OTHER = """
      <OtherTransaction>
        <TransactionType>Current Reserve Amount</TransactionType>
        <TransactionID>T-1</TransactionID>
        <PostedDate>2024-01-15T00:00:00+00:00</PostedDate>
        <Amount currency="USD">-5.00</Amount>
      </OtherTransaction>
      <OtherTransaction>
        <TransactionType>FBA Inventory Reimbursement</TransactionType>
        <AmazonOrderID>111-0000003-0000003</AmazonOrderID>
        <PostedDate>2024-01-10T00:00:00+00:00</PostedDate>
        <Amount currency="USD">4.00</Amount>
        <OtherTransactionItem>
          <SKU>SKU-3</SKU><Quantity>1</Quantity><Amount currency="USD">4.00</Amount>
        </OtherTransactionItem>
      </OtherTransaction>
      <AdvertisingTransactionDetails>
        <TransactionType>Cost of Advertising</TransactionType>
        <PostedDate>2024-01-12T00:00:00+00:00</PostedDate>
        <BaseAmount currency="USD">-10.00</BaseAmount>
        <TaxAmount currency="USD">-0.80</TaxAmount>
        <TransactionAmount currency="USD">-10.80</TransactionAmount>
      </AdvertisingTransactionDetails>"""


# every test runs twice: files read into memory, and memory-mapped (how large files are read)
pytestmark = pytest.mark.usefixtures("file_access")


def report(settlement_id: str = "5001", total: str = "7.09", currency: str = "USD", body: str = "") -> str:
    """One SettlementReport message inside Amazon's envelope."""
    return f"""
  <Message>
    <MessageID>1</MessageID>
    <SettlementReport>
      <SettlementData>
        <AmazonSettlementID>{settlement_id}</AmazonSettlementID>
        <TotalAmount currency="{currency}">{total}</TotalAmount>
        <StartDate>2024-01-01T00:00:00+00:00</StartDate>
        <EndDate>2024-01-15T00:00:00+00:00</EndDate>
        <DepositDate>2024-01-17T00:00:00+00:00</DepositDate>
      </SettlementData>{body}
    </SettlementReport>
  </Message>"""


def envelope(*messages: str, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>', xmlns: str = "") -> str:
    """Amazon's AmazonEnvelope around settlement report messages."""
    return f"""{prolog}
<AmazonEnvelope{xmlns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>M_EXAMPLE</MerchantIdentifier></Header>
  <MessageType>SettlementReport</MessageType>{"".join(messages)}
</AmazonEnvelope>
"""


def write_xml(path: Path, text: str, *, encoding: str = "utf-8", compress: bool = False) -> Path:
    """Write an XML report."""
    return write_bytes(path, text.encode(encoding), compress=compress)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_full_report_foots_with_every_transaction_kind(tmp_path: Path) -> None:
    """Orders, refunds, other transactions and advertising give one line per amount and foot to the total."""
    text = envelope(report(body=ORDER + REFUND + OTHER))
    result = load_settlements([write_xml(tmp_path / "r.xml", text)])
    settlement = result.settlement("5001")
    assert (settlement.format, settlement.currency, settlement.line_count) == ("xml", "USD", 11)
    assert (settlement.total_amount, settlement.lines_total, settlement.consistent) == ("7.09", "7.09", True)
    assert settlement.deposit_date is not None and settlement.deposit_date.day == 17
    lines = result.lines
    booked = lines[["transaction_type", "amount_type", "amount_description", "amount_minor"]].values.tolist()
    assert booked == [
        ["Order", "ItemPrice", "Principal", 2999],
        ["Order", "ItemPrice", "Tax", 240],
        ["Order", "ItemFees", "Commission", -450],
        ["Order", "Promotion", "Principal", -100],
        ["Refund", "ItemPrice", "Principal", -1000],
        ["Refund", "ItemFees", "Commission", 150],
        ["Refund", "Promotion", "Shipping", 50],
        ["Current Reserve Amount", "other-transaction", "Current Reserve Amount", -500],
        ["FBA Inventory Reimbursement", "other-transaction", "FBA Inventory Reimbursement", 400],
        ["Cost of Advertising", "other-transaction", "Cost of Advertising BaseAmount", -1000],
        ["Cost of Advertising", "other-transaction", "Cost of Advertising TaxAmount", -80],
    ]


def test_identifiers_come_from_the_nearest_element(tmp_path: Path) -> None:
    """Order, item, fulfillment and promotion identifiers are taken from the amount's own ancestors."""
    text = envelope(report(total="26.89", body=ORDER))
    path = write_xml(tmp_path / "r.xml", text)
    lines = load_settlements([path]).lines
    first = lines.iloc[0]
    assert (first["order_id"], first["merchant_order_id"], first["shipment_id"]) == ("111-0000001-0000001", "M-1", "S1")
    assert (first["order_item_code"], first["sku"], first["quantity"]) == ("00592319913016", "SKU-1", 2)
    assert (first["marketplace"], first["fulfillment_id"]) == ("Amazon.com", "AFN")
    assert first["posted_time"] == pd.Timestamp("2024-01-05 10:00:00", tz="UTC")
    assert lines["promotion_id"].isna().tolist() == [True, True, True, False]
    assert lines["promotion_id"].iloc[3] == "PROMO-1"
    assert first["source_line"] == _line_of(text, "29.99")


def test_refund_keeps_its_adjustment_id(tmp_path: Path) -> None:
    """Refund lines carry the order id and the adjustment id."""
    text = envelope(report(total="-8.00", body=REFUND))
    lines = load_settlements([write_xml(tmp_path / "r.xml", text)]).lines
    assert set(lines["adjustment_id"]) == {"ADJ-1"}
    assert set(lines["order_id"]) == {"111-0000002-0000002"}


def test_gzip_and_default_namespace(tmp_path: Path) -> None:
    """A gzip-compressed XML report with a default namespace loads the same."""
    text = envelope(report(total="26.89", body=ORDER), xmlns=' xmlns="urn:example:amazon"')
    result = load_settlements([write_xml(tmp_path / "r.xml.gz", text, compress=True)])
    assert result.settlement("5001").consistent
    assert result.files[0].compressed


def test_zero_decimal_currency_xml(tmp_path: Path) -> None:
    """A JPY XML report reads whole yen; a yen amount with decimals is an error at its line."""
    body = OTHER.replace('currency="USD"', 'currency="JPY"').replace("-5.00", "-500").replace("4.00", "400")
    body = body.replace("-10.00", "-1000").replace("-0.80", "-80").replace("-10.80", "-1080")
    good = envelope(report(total="-1180", currency="JPY", body=body))
    assert load_settlements([write_xml(tmp_path / "ok.xml", good)]).settlement("5001").consistent
    bad = good.replace(">-500<", ">-500.5<")
    with pytest.raises(RowErrors) as raised:
        load_settlements([write_xml(tmp_path / "bad.xml", bad)])
    problem = raised.value.problems[0]
    assert (problem.line, problem.column, problem.found) == (_line_of(bad, "-500.5"), "Amount", "-500.5")


def test_amount_without_currency_attribute_still_counts(tmp_path: Path) -> None:
    """An Amount element missing its currency attribute is booked in the settlement's currency, not dropped."""
    body = ORDER.replace('<Amount currency="USD">-4.50</Amount>', "<Amount>-4.50</Amount>")
    result = load_settlements([write_xml(tmp_path / "r.xml", envelope(report(total="26.89", body=body)))])
    settlement = result.settlement("5001")
    assert (settlement.line_count, settlement.consistent) == (4, True)


def test_amount_in_another_currency_is_an_error(tmp_path: Path) -> None:
    """An amount whose currency differs from its settlement's is reported at its line."""
    text = envelope(report(total="26.89", body=ORDER.replace('currency="USD">2.40', 'currency="EUR">2.40')))
    with pytest.raises(RowErrors) as raised:
        load_settlements([write_xml(tmp_path / "r.xml", text)])
    assert [(p.line, p.column, p.found) for p in raised.value.problems] == [(_line_of(text, "2.40"), "currency", "EUR")]


def test_money_in_an_unknown_place_is_an_error(tmp_path: Path) -> None:
    """An amount this reader cannot book is reported, never silently dropped."""
    body = ORDER.replace(
        "<Quantity>2</Quantity>", '<Quantity>2</Quantity><Mystery><Amount currency="USD">1.00</Amount></Mystery>'
    )
    text = envelope(report(total="27.89", body=body))
    with pytest.raises(RowErrors) as raised:
        load_settlements([write_xml(tmp_path / "r.xml", text)])
    problem = raised.value.problems[0]
    assert (problem.line, problem.column, problem.found) == (_line_of(text, "<Mystery>"), "Amount", "1.00")


def test_non_numeric_amount_and_bad_date_and_quantity(tmp_path: Path) -> None:
    """Every bad amount, date and quantity in an XML report is reported with its line."""
    body = (
        ORDER.replace(">29.99<", ">twenty<")
        .replace("2024-01-05T10:00:00+00:00", "soon")
        .replace("<Quantity>2</Quantity>", "<Quantity>²</Quantity>")
    )
    with pytest.raises(RowErrors) as raised:
        load_settlements([write_xml(tmp_path / "r.xml", envelope(report(body=body)))])
    assert sorted({p.column for p in raised.value.problems}) == ["Amount", "PostedDate", "Quantity"]


def test_two_settlement_reports_in_one_envelope(tmp_path: Path) -> None:
    """Each SettlementReport message is its own settlement."""
    text = envelope(report("A", "26.89", body=ORDER), report("B", "-8.00", body=REFUND))
    result = load_settlements([write_xml(tmp_path / "r.xml", text)])
    assert [(s.settlement_id, s.line_count, s.consistent) for s in result.settlements] == [
        ("A", 4, True),
        ("B", 3, True),
    ]


def test_settlement_without_transactions(tmp_path: Path) -> None:
    """A settlement with only its SettlementData loads with no lines."""
    result = load_settlements([write_xml(tmp_path / "r.xml", envelope(report(total="0.00")))])
    assert (result.settlement("5001").line_count, len(result.lines)) == (0, 0)


def test_latin1_declared_xml(tmp_path: Path) -> None:
    """An XML report declared and saved as ISO-8859-1 decodes its accented text."""
    text = envelope(
        report(total="26.89", body=ORDER.replace("SKU-1", "Größe")),
        prolog='<?xml version="1.0" encoding="ISO-8859-1"?>',
    )
    result = load_settlements([write_xml(tmp_path / "r.xml", text, encoding="latin-1")])
    assert result.lines["sku"].iloc[0] == "Größe"


def test_truncated_xml_is_a_clear_error(tmp_path: Path) -> None:
    """An XML download cut short is reported as not well-formed, with the line."""
    text = envelope(report(body=ORDER))
    with pytest.raises(FileProblem, match=r"not well-formed XML \(line \d+"):
        load_settlements([write_xml(tmp_path / "r.xml", text[: len(text) // 2])])


def test_xml_that_is_not_a_settlement_report(tmp_path: Path) -> None:
    """Another XML document is refused with the elements it holds."""
    path = write_xml(tmp_path / "r.xml", "<Orders><Order><Id>1</Id></Order></Orders>")
    with pytest.raises(FileProblem, match=r"no SettlementReport element.*Order"):
        load_settlements([path])


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    """A DOCTYPE entity pointing at a local file is never expanded into the data."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    prolog = f'<?xml version="1.0"?>\n<!DOCTYPE AmazonEnvelope [<!ENTITY x SYSTEM "file://{secret}">]>'
    text = envelope(report(total="26.89", body=ORDER.replace("SKU-1", "&x;")), prolog=prolog)
    path = write_xml(tmp_path / "r.xml", text)
    result = load_settlements([path])
    assert "TOP-SECRET" not in " ".join(str(v) for v in result.lines["sku"].tolist())


def test_xml_v2_and_v1_load_together(tmp_path: Path) -> None:
    """Reports of all three variants load in one call into one frame."""
    xml = write_xml(tmp_path / "a.xml", envelope(report("X", "26.89", body=ORDER)))
    v2 = write_v2(tmp_path / "b.txt", v2_settlement("Y", ["1.00", "2.00"]))
    v1_rows = [summary("Z", "3.00", "CAD"), {"settlement-id": "Z", "transaction-type": "Fee", "other-amount": "3.00"}]
    v1 = write_v1(tmp_path / "c.txt", v1_rows)
    result = load_settlements([xml, v2, v1])
    assert [(s.settlement_id, s.format, s.consistent) for s in result.settlements] == [
        ("X", "xml", True),
        ("Y", "flat-v2", True),
        ("Z", "flat-v1", True),
    ]
    assert len(result.lines) == 4 + 2 + 1
    assert result.lines.groupby("currency", observed=True).size().to_dict() == {"CAD": 1, "USD": 6}


def test_direct_payment_is_booked(tmp_path: Path) -> None:
    """A DirectPayment amount is booked as Direct-Payment with its type, like the old flat file's pair."""
    body = ORDER.replace(
        "</Fulfillment>",
        "</Fulfillment><DirectPayment><DirectPaymentType>Card</DirectPaymentType>"
        '<Amount currency="USD">-1.00</Amount></DirectPayment>',
    )
    result = load_settlements([write_xml(tmp_path / "r.xml", envelope(report(total="25.89", body=body)))])
    assert result.settlement("5001").consistent
    assert result.lines[["amount_type", "amount_description"]].values.tolist()[-1] == ["Direct-Payment", "Card"]

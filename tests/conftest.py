"""Shared builders for loader tests: small report files written under ``tmp_path`` in code."""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pytest

from settlesync_nb.io import source
from settlesync_nb.io.flat import V2_COLUMNS

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"

V1_COLUMNS = (
    "settlement-id",
    "settlement-start-date",
    "settlement-end-date",
    "deposit-date",
    "total-amount",
    "currency",
    "transaction-type",
    "order-id",
    "merchant-order-id",
    "adjustment-id",
    "shipment-id",
    "marketplace-name",
    "shipment-fee-type",
    "shipment-fee-amount",
    "order-fee-type",
    "order-fee-amount",
    "fulfillment-id",
    "posted-date",
    "order-item-code",
    "merchant-order-item-id",
    "merchant-adjustment-item-id",
    "sku",
    "quantity-purchased",
    "price-type",
    "price-amount",
    "item-related-fee-type",
    "item-related-fee-amount",
    "misc-fee-amount",
    "other-fee-amount",
    "other-fee-reason-description",
    "promotion-id",
    "promotion-type",
    "promotion-amount",
    "direct-payment-type",
    "direct-payment-amount",
    "other-amount",
)
V1_COLUMNS_33 = tuple(c for c in V1_COLUMNS if not c.startswith("promotion-"))
NETSUITE_HEADER = ("Internal ID", "Type", "Date", "Document Number", "Status", "Amazon Order ID", "Amount", "Currency")


def summary(
    settlement_id: str = "1001",
    total: str = "0.00",
    currency: str = "USD",
    start: str = "2024-01-01 00:00:00 UTC",
    end: str = "2024-01-15 00:00:00 UTC",
    deposit: str = "2024-01-17 00:00:00 UTC",
) -> dict[str, str]:
    """The summary row of a flat file (V2 or V1: they share these columns)."""
    return {
        "settlement-id": settlement_id,
        "settlement-start-date": start,
        "settlement-end-date": end,
        "deposit-date": deposit,
        "total-amount": total,
        "currency": currency,
    }


def detail(settlement_id: str = "1001", amount: str = "0.00", **fields: str) -> dict[str, str]:
    """A V2 detail row, an order's principal unless ``fields`` (dashes as underscores) say otherwise."""
    row = {
        "settlement-id": settlement_id,
        "transaction-type": "Order",
        "order-id": "111-0000001-0000001",
        "shipment-id": "S1",
        "marketplace-name": "Amazon.com",
        "amount-type": "ItemPrice",
        "amount-description": "Principal",
        "amount": amount,
        "fulfillment-id": "AFN",
        "posted-date": "2024-01-05",
        "posted-date-time": "2024-01-05 10:00:00 UTC",
        "order-item-code": "00592319913016",
        "sku": "SKU-1",
        "quantity-purchased": "1",
    }
    row.update({key.replace("_", "-"): value for key, value in fields.items()})
    return row


def v2_settlement(settlement_id: str, amounts: Sequence[str], currency: str = "USD") -> list[dict[str, str]]:
    """A summary row whose total is the exact sum of one detail line per amount."""
    from decimal import Decimal

    total = sum((Decimal(a.strip().replace(",", ".")) for a in amounts), Decimal(0))
    places = 0 if currency == "JPY" else 2
    rows = [summary(settlement_id, f"{total:.{places}f}", currency)]
    rows += [detail(settlement_id, a, order_id=f"111-0000000-{i:07d}") for i, a in enumerate(amounts)]
    return rows


def tsv_text(
    columns: Sequence[str], rows: Iterable[Mapping[str, str]], *, decimal_comma: bool = False, newline: str = "\n"
) -> str:
    """Header plus one tab-separated line per row (missing columns empty), each ended by ``newline``."""
    lines = ["\t".join(columns)]
    for row in rows:
        values = []
        for column in columns:
            value = row.get(column, "")
            if decimal_comma and column.endswith("amount"):
                value = value.replace(".", ",")
            values.append(value)
        lines.append("\t".join(values))
    return "".join(line + newline for line in lines)


def write_bytes(path: Path, data: bytes, *, compress: bool = False) -> Path:
    """Write ``data`` (gzip-compressed when asked) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return path


def write_v2(
    path: Path,
    rows: Iterable[Mapping[str, str]],
    *,
    columns: Sequence[str] = V2_COLUMNS,
    encoding: str = "utf-8",
    bom: bool = False,
    compress: bool = False,
    newline: str = "\n",
    decimal_comma: bool = False,
    trailing_blank_lines: int = 0,
) -> Path:
    """Write a Flat File V2 report from row dicts keyed by header name."""
    text = tsv_text(columns, rows, decimal_comma=decimal_comma, newline=newline) + newline * trailing_blank_lines
    data = text.encode(encoding)
    if bom:
        data = "\ufeff".encode(encoding) + data
    return write_bytes(path, data, compress=compress)


def write_v1(path: Path, rows: Iterable[Mapping[str, str]], *, columns: Sequence[str] = V1_COLUMNS) -> Path:
    """Write an old flat file report (36 columns by default) from row dicts keyed by header name."""
    return write_bytes(path, tsv_text(columns, rows).encode("utf-8"))


def write_netsuite(
    path: Path, rows: Iterable[Sequence[str]], header: Sequence[str] = NETSUITE_HEADER, *, encoding: str = "utf-8"
) -> Path:
    """Write a NetSuite saved-search CSV export (values quoted when they need it)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return write_bytes(path, buffer.getvalue().encode(encoding))


def physical_lines(path: Path) -> int:
    """Lines in an uncompressed text file, a last line without a line break included."""
    data = path.read_bytes()
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


@pytest.fixture
def corpus() -> Path:
    """The shared corpus of real and third-party reports; tests using it skip without it."""
    if not CORPUS.is_dir():
        pytest.skip(f"report corpus not found at {CORPUS} (it lives beside the project, not in it)")
    return CORPUS


@pytest.fixture(params=["read", "memory-mapped"])
def file_access(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test twice: input files read into memory, and memory-mapped (as large files are)."""
    if request.param == "memory-mapped":
        monkeypatch.setattr(source, "MAP_FROM", 1)
    return str(request.param)

"""The old flat file (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE, "V1"), 33 or 36 columns.

A V1 row spreads its money over several type/amount column pairs. Each non-empty amount
becomes one canonical line (so one row can give two lines, e.g. an advertising fee and its
tax); rows with no amount at all (Amazon's per-item rows carrying only the quantity) are
counted, not turned into lines.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .flat import SUMMARY_COLUMNS, split_rows
from .parsed import AMOUNT_SOURCE, AMOUNT_TEXT, ParsedFile
from .source import RawFile

# amount column -> (canonical amount_type, column holding the description or None)
AMOUNT_PAIRS: dict[str, tuple[str, str | None]] = {
    "price-amount": ("ItemPrice", "price-type"),
    "item-related-fee-amount": ("ItemFees", "item-related-fee-type"),
    "shipment-fee-amount": ("Shipment-Fees", "shipment-fee-type"),
    "order-fee-amount": ("Order-Fees", "order-fee-type"),
    "promotion-amount": ("Promotion", "promotion-type"),
    "direct-payment-amount": ("Direct-Payment", "direct-payment-type"),
    "other-fee-amount": ("other-transaction", "other-fee-reason-description"),
    "misc-fee-amount": ("other-transaction", None),
    "other-amount": ("other-transaction", None),
}
V1_REQUIRED = (*SUMMARY_COLUMNS, "transaction-type", "price-type", "price-amount", "other-amount")
HINT_V1 = "An old flat file settlement report (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE) has these columns."


def read_flat_v1(raw: RawFile) -> ParsedFile:
    """Read an old flat file report into canonical detail lines (amounts still text)."""
    rows = split_rows(raw, V1_REQUIRED, HINT_V1)
    base = rows.shared_columns()
    base["currency"] = rows.clean("currency")
    transaction_type = base["transaction_type"].cast(pa.string())
    parts = []
    used = np.zeros(rows.details.num_rows, dtype=bool)
    for order, (amount_column, (amount_type, description_column)) in enumerate(AMOUNT_PAIRS.items()):
        amounts = rows.clean(amount_column)
        present = np.asarray(pc.is_valid(amounts))
        if not present.any():
            continue
        used |= present
        description = transaction_type
        if description_column is not None:
            description = pc.coalesce(rows.clean(description_column).cast(pa.string()), description)
        mask = pa.array(present)
        count = int(present.sum())
        part = {name: column.filter(mask) for name, column in base.items()}
        part["amount_type"] = pa.repeat(amount_type, count)
        part["amount_description"] = description.filter(mask)
        part[AMOUNT_TEXT] = amounts.filter(mask).cast(pa.string())
        part[AMOUNT_SOURCE] = pa.repeat(amount_column, count)
        part["pair_order"] = pa.array(np.full(count, order, dtype=np.int8))
        parts.append(_normalise(pa.table(part)))
    if not parts:
        empty = pa.array([], pa.string())
        none = {n: c.filter(pa.array(used)) for n, c in base.items()}
        parts.append(
            _normalise(
                pa.table(
                    {
                        **none,
                        "amount_type": empty,
                        "amount_description": empty,
                        AMOUNT_TEXT: empty,
                        AMOUNT_SOURCE: empty,
                        "pair_order": pa.array([], pa.int8()),
                    }
                )
            )
        )
    details = pa.concat_tables(parts).sort_by([("source_line", "ascending"), ("pair_order", "ascending")])
    return ParsedFile(
        raw=raw,
        format="flat-v1",
        summaries=rows.summaries,
        details=details.drop_columns(["pair_order"]),
        problems=rows.problems,
        data_rows=rows.data_rows,
        no_amount_rows=int((~used).sum()),
        blank_lines=rows.tsv.blank_lines + rows.blank_rows,
        detail_rows=int(used.sum()),
    )


def _normalise(table: pa.Table) -> pa.Table:
    """Plain string columns, so that the parts of every pair concatenate."""
    fields = []
    for field in table.schema:
        kind = pa.string() if pa.types.is_dictionary(field.type) else field.type
        fields.append(pa.field(field.name, kind))
    return table.cast(pa.schema(fields))

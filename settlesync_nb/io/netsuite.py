"""NetSuite saved-search CSV exports, read into one row per NetSuite transaction.

A saved search's header row holds its column labels, which users choose; a
:class:`ColumnMapping` says which label is which field, with presets for the order-id custom
fields NetSuite Connector (FarApp) and Celigo use. Numbers and dates follow the user's
NetSuite preferences (``1,234.56``, ``(1.00)``, ``3/15/2023``). An export with one row per
transaction line (the Main Line filter missing) is refused, because it would double count.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import FileProblem, InputError, MissingColumns, RowErrors, UsageError
from ..money import exponent, parse_amounts
from .dates import EXPECTED_NETSUITE_DATE, NETSUITE_DATE_FORMATS, parse_dates
from .parsed import ProblemLog, blank_to_null
from .source import read_raw

FIELDS = ("internal_id", "type", "date", "document_number", "status", "order_id", "amount", "currency")
REQUIRED = ("internal_id", "type", "order_id", "amount")
_ORDER_ID_LABELS = {
    "default": ("Amazon Order ID", "Amazon Order Id", "Amazon Order Number"),
    "farapp": (
        "FarApp Channel Order",
        "Channel Order",
        "Channel Order #",
        "Channel Order ID",
        "custbody_fa_channel_order",
    ),
    "celigo": ("eTail Order Id", "eTail Order ID", "Celigo eTail Order ID", "custbody_celigo_etail_order_id"),
}
PRESETS = tuple(_ORDER_ID_LABELS)
_LABELS: dict[str, tuple[str, ...]] = {
    "internal_id": ("Internal ID", "Internal Id", "id"),
    "type": ("Type", "Transaction Type", "type"),
    "date": ("Date", "Transaction Date", "trandate"),
    "document_number": ("Document Number", "Document Number/ID", "Number", "tranid"),
    "status": ("Status", "status"),
    "amount": ("Amount", "Amount (Transaction Total)", "Total", "foreigntotal"),
    "currency": ("Currency", "currency"),
}
_NBSP = "\u00a0"  # NetSuite's "1 000,00" number format groups with a no-break space
MISSING_HINT = (
    'Name your column labels in a config file ([netsuite.columns] internal_id = "...", ...) or '
    'choose a preset for the order-id field ([netsuite] preset = "farapp" or "celigo").'
)


@dataclass(frozen=True)
class ColumnMapping:
    """Which header label holds each field; ``None`` means "find it by its usual labels".

    Attributes:
        preset: ``default`` (an ``Amazon Order ID`` column), ``farapp`` or ``celigo``.
        columns: Field name -> exact header label, overriding the preset.
        decimal_separator: ``.`` (``1,234.56``) or ``,`` (``1.234,56``).
        currency: Currency of every amount when the export has no Currency column; ``None``
            takes each order's settlement currency at reconciliation.
    """

    preset: str = "default"
    columns: Mapping[str, str] = field(default_factory=dict)
    decimal_separator: str = "."
    currency: str | None = None

    def __post_init__(self) -> None:
        if self.preset not in _ORDER_ID_LABELS:
            raise UsageError(f"Unknown NetSuite preset: {self.preset!r} (valid options are {', '.join(PRESETS)})")
        unknown = sorted(set(self.columns) - set(FIELDS))
        if unknown:
            raise UsageError(
                f"Unknown NetSuite field(s) {unknown} in the column mapping (valid options are {', '.join(FIELDS)})"
            )
        if self.decimal_separator not in (".", ","):
            raise UsageError(f"decimal_separator must be '.' or ',' (found {self.decimal_separator!r})")

    def labels(self, name: str) -> tuple[str, ...]:
        """Header labels accepted for a field, most specific first."""
        if name in self.columns:
            return (self.columns[name],)
        if name == "order_id":
            return _ORDER_ID_LABELS[self.preset]
        return _LABELS[name]


@dataclass(frozen=True)
class NetSuiteRecords:
    """NetSuite transactions, one row each, with their provenance.

    ``frame`` columns: internal_id, type, date (UTC), document_number, status, order_id,
    amount_text (plain decimal string), amount_minor (int64 or <NA> until the currency is
    known), currency, source_file, source_line.
    """

    frame: pd.DataFrame
    files: tuple[tuple[str, str, int], ...]  # (path, sha256, rows)


def load_netsuite(paths: Iterable[str | Path], mapping: ColumnMapping | None = None) -> NetSuiteRecords:
    """Load NetSuite saved-search CSV exports.

    Raises:
        MissingColumns: a required field has no column; the message lists the columns found.
        RowErrors: rows with bad amounts, dates or ids; every one is listed.
        InputError: the export lists transaction lines, or two files list the same transaction.
    """
    mapping = mapping or ColumnMapping()
    paths = list(paths)
    if not paths:
        raise UsageError("No NetSuite export given: pass at least one export file.")
    frames, files = [], []
    log = ProblemLog()
    for path in paths:
        table, sha = _read(str(path), mapping, log)
        frames.append(table)
        files.append((str(path), sha, table.num_rows))
    if log.total:
        raise RowErrors(log.problems, "Fix the export (or its column mapping) and run again.", total=log.total)
    table = pa.concat_tables(frames)
    _refuse_repeated_ids(table)
    frame = table.to_pandas()
    frame["amount_minor"] = frame["amount_minor"].astype("Int64")
    return NetSuiteRecords(frame, tuple(files))


def _read(path: str, mapping: ColumnMapping, log: ProblemLog) -> tuple[pa.Table, str]:
    raw = read_raw(path)
    header = next(csv.reader([raw.first_line]), [])
    if len(header) < 2:
        raise FileProblem(
            path,
            f"is not a comma-separated export (first line: {raw.first_line[:120]!r})",
            "Export the saved search as CSV from NetSuite.",
        )
    columns = _resolve(path, header, mapping)
    table = pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(raw.content)),
        read_options=pacsv.ReadOptions(column_names=[f"c{i}" for i in range(len(header))], skip_rows=1),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={f"c{i}": pa.string() for i in range(len(header))}, strings_can_be_null=False
        ),
    )
    lines = _line_numbers(raw.data[: raw.end], table.num_rows)
    get = {
        name: blank_to_null(table.column(f"c{index}"))
        if index is not None
        else pa.chunked_array([pa.nulls(table.num_rows, pa.string())])
        for name, index in columns.items()
    }
    for name in REQUIRED:
        log.add_mask(
            path,
            pc.is_null(get[name]),
            lines,
            pa.array([""] * table.num_rows),
            header[columns[name]],  # type: ignore[index]
            f"a value ({name.replace('_', ' ')} is required on every row)",
        )
    amount_text, bad_amount = _normalise_amounts(get["amount"], mapping.decimal_separator)
    log.add_mask(
        path,
        pc.and_(bad_amount, pc.is_valid(get["amount"])),
        lines,
        get["amount"].combine_chunks(),
        header[columns["amount"]],  # type: ignore[index]
        "an amount like 1,234.56, -1.00 or (1.00)"
        if mapping.decimal_separator == "."
        else "an amount like 1.234,56, -1,00 or (1,00)",
    )
    dates, bad_date = parse_dates(get["date"], NETSUITE_DATE_FORMATS)
    if columns["date"] is not None:
        log.add_mask(
            path, bad_date, lines, get["date"].combine_chunks(), header[columns["date"]], EXPECTED_NETSUITE_DATE
        )
    currency = (
        get["currency"]
        if columns["currency"] is not None
        else pa.chunked_array([pa.array([mapping.currency] * table.num_rows, pa.string())])
    )
    currency = pc.utf8_upper(currency)
    minor = _minor_units(path, amount_text, currency, lines, header[columns["amount"]], log)  # type: ignore[index]
    out = pa.table(
        {
            "internal_id": get["internal_id"],
            "type": get["type"],
            "date": dates,
            "document_number": get["document_number"],
            "status": get["status"],
            "order_id": get["order_id"],
            "amount_text": amount_text,
            "amount_minor": minor,
            "currency": currency,
            "source_file": pa.array([path] * table.num_rows, pa.string()).dictionary_encode(),
            "source_line": pa.array(lines, pa.int64()),
        }
    )
    return out, raw.sha256


def _resolve(path: str, header: list[str], mapping: ColumnMapping) -> dict[str, int | None]:
    """Field -> column index, by the mapping's labels (case and spacing ignored)."""
    position = {_key(label): i for i, label in reversed(list(enumerate(header)))}
    found: dict[str, int | None] = {}
    missing = []
    for name in FIELDS:
        hits = [position[_key(label)] for label in mapping.labels(name) if _key(label) in position]
        found[name] = hits[0] if hits else None
        if not hits and name in REQUIRED:
            missing.append(f"{name} (a column labelled {' or '.join(repr(x) for x in mapping.labels(name))})")
    if missing:
        raise MissingColumns(path, missing, header, MISSING_HINT)
    return found


def _key(label: str) -> str:
    return " ".join(label.replace("\ufeff", "").split()).casefold()


def _line_numbers(content: bytes, rows: int) -> np.ndarray:
    """Physical line of each data row; quoted values may span lines (memos)."""
    breaks = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
    if breaks == rows + 1:
        return np.arange(2, rows + 2, dtype=np.int64)
    reader = csv.reader(io.StringIO(content.decode("utf-8"), newline=""))
    next(reader, None)
    starts = []
    previous_end = reader.line_num
    for record in reader:
        if record:
            starts.append(previous_end + 1)
        previous_end = reader.line_num
    return np.asarray(starts[:rows], dtype=np.int64)


def _amount_pattern(decimal_separator: str) -> str:
    grouping = "," if decimal_separator == "." else "."
    number = rf"(?:\d{{1,3}}(?:[{re.escape(grouping)}' {_NBSP}]\d{{3}})+|\d+)(?:{re.escape(decimal_separator)}\d+)?"
    return (
        rf"^\s*(?P<open>\(?)\s*(?P<sign>-?)\s*(?:[$€£¥]|[A-Z]{{3}})?\s*(?P<sign2>-?)\s*"
        rf"(?P<number>{number})\s*(?P<close>\)?)\s*$"
    )


def _normalise_amounts(values: pa.ChunkedArray, decimal_separator: str) -> tuple[pa.Array, pa.Array]:
    """Turn NetSuite's formatted numbers into plain decimal text (``(1,234.50)`` -> ``-1234.50``).

    Returns:
        ``(text, bad)``: normalised text (null where invalid or empty) and the invalid mask.
    """
    text = values.combine_chunks() if values.num_chunks else pa.array([], pa.string())
    parts = pc.extract_regex(text, _amount_pattern(decimal_separator))
    parenthesised = pc.equal(parts.field("open"), "(")
    valid = pc.fill_null(pc.and_(parts.is_valid(), pc.equal(parenthesised, pc.equal(parts.field("close"), ")"))), False)
    negative = pc.or_(parenthesised, pc.or_(pc.equal(parts.field("sign"), "-"), pc.equal(parts.field("sign2"), "-")))
    grouping = "," if decimal_separator == "." else "."
    number = pc.replace_substring_regex(parts.field("number"), rf"[{re.escape(grouping)}' {_NBSP}]", "")
    if decimal_separator == ",":
        number = pc.replace_substring(number, ",", ".")
    signed = pc.if_else(pc.fill_null(negative, False), pc.binary_join_element_wise("-", number, ""), number)
    return pc.if_else(valid, signed, pa.scalar(None, pa.string())), pc.invert(valid)


def _minor_units(
    path: str, amount_text: pa.Array, currency: pa.ChunkedArray, lines: np.ndarray, column: str, log: ProblemLog
) -> pa.Array:
    """Minor units where the currency is known; null where it is left to reconciliation."""
    codes = currency.combine_chunks() if currency.num_chunks else pa.array([], pa.string())
    minor = np.zeros(len(amount_text), dtype=np.int64)
    known = np.zeros(len(amount_text), dtype=bool)
    for code in pc.unique(pc.drop_null(codes)).to_pylist():
        rows = np.asarray(pc.fill_null(pc.equal(codes, code), False), dtype=bool)
        rows &= np.asarray(amount_text.is_valid(), dtype=bool)
        if not rows.any():
            continue
        values, valid = parse_amounts(amount_text.filter(pa.array(rows)), exponent(code))
        bad = np.zeros(len(rows), dtype=bool)
        bad[rows] = ~np.asarray(valid, dtype=bool)
        log.add_mask(path, pa.array(bad), lines, amount_text, column, f"at most {exponent(code)} decimals for {code}")
        minor[rows] = values.to_numpy()
        known |= rows
    return pa.array(minor, mask=~known)


def _refuse_repeated_ids(table: pa.Table) -> None:
    ids = table.column("internal_id").combine_chunks()
    counts = pc.value_counts(ids)
    repeated = counts.filter(pc.greater(counts.field("counts"), 1))
    if not len(repeated):
        return
    first = repeated[0]["values"].as_py()
    rows = table.filter(pc.equal(ids, first)).select(["source_file", "source_line"]).to_pylist()
    where = ", ".join(f"{r['source_file']} line {r['source_line']}" for r in rows[:5])
    files = {r["source_file"] for r in rows}
    if len(files) > 1:
        hint = (
            "The exports overlap: the same transaction is in more than one file. "
            "Load exports covering separate periods, or one export."
        )
    else:
        hint = (
            "The saved search lists one row per transaction line. Add the criterion "
            "'Main Line is true' to the saved search (Criteria > Standard) and export again."
        )
    raise InputError(
        f"NetSuite Internal ID {first} appears {len(rows)} times ({where}); "
        f"{len(repeated)} internal id(s) repeat in all. {hint}"
    )

"""NetSuite saved-search CSV exports, read into one row per NetSuite transaction.

A saved search's header row holds its column labels, which users choose; a
:class:`ColumnMapping` says which label is which field, with presets for the order-id custom
fields NetSuite Connector (FarApp) and Celigo use. Numbers and dates follow the user's
NetSuite preferences (``1,234.56``, ``(1.00)``, ``3/15/2023``). An export with one row per
transaction line (the Main Line filter missing) is refused, because it would double count.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import FileProblem, InputError, MissingColumns, RowErrors, UsageError
from .dates import (
    EXPECTED_NETSUITE_DATE,
    EXPECTED_NETSUITE_DAY_FIRST,
    NETSUITE_DATE_FORMATS,
    NETSUITE_DAY_FIRST_FORMATS,
    parse_dates,
)
from .netsuite_amounts import minor_units, normalise_amounts
from .netsuite_csv import read_csv_rows
from .netsuite_mapping import (
    CURRENCY_NAMES,
    FIELDS,
    MISSING_HINT,
    REQUIRED,
    REQUIRED_VALUES,
    ColumnMapping,
)
from .parsed import ProblemLog, blank_to_null
from .source import read_raw

if TYPE_CHECKING:  # pandas is imported by pyarrow's to_pandas, when a frame is made
    import pandas as pd


@dataclass(frozen=True)
class NetSuiteRecords:
    """NetSuite transactions, one row each, with their provenance.

    ``table`` (and ``frame``, its pandas copy) columns: internal_id, type, date (UTC),
    document_number, status, order_id, amount_text (plain decimal string), amount_minor (int64
    or <NA> until the currency is known), currency, source_file, source_line.
    """

    table: pa.Table
    files: tuple[tuple[str, str, int], ...]  # (path, sha256, rows)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The records as a pandas frame (made once, on first use)."""
        frame = self.table.to_pandas()
        frame["amount_minor"] = frame["amount_minor"].astype("Int64")
        return frame


def load_netsuite(paths: Iterable[str | Path] | str | Path, mapping: ColumnMapping | None = None) -> NetSuiteRecords:
    """Load NetSuite saved-search CSV exports.

    Raises:
        MissingColumns: a required field has no column; the message lists the columns found.
        RowErrors: rows with bad amounts, dates or ids; every one is listed.
        InputError: the export lists transaction lines, or two files list the same transaction.
    """
    mapping = mapping or ColumnMapping()
    paths = [paths] if isinstance(paths, str | Path) else list(paths)  # one path, not its characters
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
    return NetSuiteRecords(table, tuple(files))


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
    parsed = read_csv_rows(raw, len(header))
    raw.release()
    for problem in parsed.problems:
        log.add(problem)
    table, lines, rows = parsed.table, parsed.lines, parsed.table.num_rows
    get = {
        name: blank_to_null(table.column(f"c{index}"))
        if index is not None
        else pa.chunked_array([pa.nulls(rows, pa.string())])
        for name, index in columns.items()
    }
    label = {name: header[index] for name, index in columns.items() if index is not None}
    for name in REQUIRED_VALUES:
        required = f"a value ({name.replace('_', ' ')} is required on every row)"
        log.add_mask(path, pc.is_null(get[name]), lines, get[name], label[name], required)
    amount_text, bad_amount = normalise_amounts(get["amount"], mapping.decimal_separator)
    log.add_mask(
        path,
        pc.and_(bad_amount, pc.is_valid(get["amount"])),
        lines,
        get["amount"],
        label["amount"],
        "an amount like 1,234.56, -1.00 or (1.00)"
        if mapping.decimal_separator == "."
        else "an amount like 1.234,56, -1,00 or (1,00)",
    )
    day_first = mapping.date_order == "dmy"
    dates, bad_date = parse_dates(get["date"], NETSUITE_DAY_FIRST_FORMATS if day_first else NETSUITE_DATE_FORMATS)
    if "date" in label:
        expected = EXPECTED_NETSUITE_DAY_FIRST if day_first else EXPECTED_NETSUITE_DATE
        log.add_mask(path, bad_date, lines, get["date"], label["date"], expected)
    currency = get["currency"] if "currency" in label else pa.repeat(pa.scalar(mapping.currency, pa.string()), rows)
    currency = _currency_codes(currency)
    if "currency" in label:
        unknown = pc.invert(pc.match_substring_regex(currency, r"^[A-Z]{3}$"))
        log.add_mask(
            path,
            unknown,
            lines,
            get["currency"],
            label["currency"],
            "an ISO currency code such as USD (or a NetSuite currency name such as US Dollar)",
        )
    minor = minor_units(path, amount_text, get["amount"], currency, lines, label["amount"], log)
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
            "source_file": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(rows, dtype=np.int32)), pa.array([path], pa.string())
            ),
            "source_line": pa.array(lines, pa.int64()),
        }
    )
    return out, raw.sha256


def _currency_codes(values: pa.ChunkedArray | pa.Array) -> pa.Array:
    """ISO codes from codes or NetSuite currency names (``US Dollar`` -> ``USD``); nulls stay null."""
    upper = pc.utf8_upper(values)
    if isinstance(upper, pa.ChunkedArray):
        upper = upper.combine_chunks() if upper.num_chunks else pa.array([], pa.string())
    names = pa.array(list(CURRENCY_NAMES), pa.string())
    codes = pa.array(list(CURRENCY_NAMES.values()), pa.string())
    return pc.coalesce(codes.take(pc.index_in(upper, value_set=names)), upper)


def _resolve(path: str, header: list[str], mapping: ColumnMapping) -> dict[str, int | None]:
    """Field -> column index, by the mapping's labels (case and spacing ignored).

    A required field, or any field the mapping names a label for, must be found.
    """
    position = {_key(label): i for i, label in reversed(list(enumerate(header)))}
    found: dict[str, int | None] = {}
    missing = []
    for name in FIELDS:
        hits = [position[_key(label)] for label in mapping.labels(name) if _key(label) in position]
        found[name] = hits[0] if hits else None
        if not hits and (name in REQUIRED or name in mapping.columns):
            missing.append(f"{name} (a column labelled {' or '.join(repr(x) for x in mapping.labels(name))})")
    if missing:
        raise MissingColumns(path, missing, header, MISSING_HINT)
    return found


def _key(label: str) -> str:
    return " ".join(label.replace("\ufeff", "").split()).casefold()


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

"""Join what the format readers found in every file into one canonical load.

Here the cross-file rules are enforced: which copy of a settlement counts (see
:mod:`.copies`); amounts are parsed exactly in their settlement's currency; every problem from
every file is raised together; each settlement's lines are added up against its own total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import RowErrors, RowProblem
from ..model import CATEGORICAL_COLUMNS, LINE_COLUMNS, LoadResult, Settlement, SourceFile
from ..money import expected_form, exponent, parse_amount, parse_amounts
from .copies import Copy, detail_ids, resolve
from .dates import EXPECTED_SETTLEMENT_DATE, SETTLEMENT_DATE_FORMATS, TIMESTAMP, parse_date
from .parsed import AMOUNT_SOURCE, AMOUNT_TEXT, ParsedFile, ProblemLog
from .tabular import DICTIONARY

HINT = "Fix or re-download the file(s) named above; nothing was loaded."


@dataclass(frozen=True)
class _Header:
    """A settlement's summary row, parsed."""

    format: str
    currency: str
    total_minor: int = 0
    start: datetime | None = None
    end: datetime | None = None
    deposit_date: datetime | None = None


def assemble(files: list[ParsedFile]) -> LoadResult:
    """Combine parsed files into canonical lines and settlements.

    Raises:
        RowErrors: with every row problem of every file.
    """
    log = ProblemLog()
    for parsed in files:
        log.extend(parsed.problems)
    owners = resolve(files, log)
    headers = {sid: _header(files, copy, log) for sid, copy in owners.kept.items()}
    currencies = {sid: head.currency for sid, head in headers.items()}
    tables = [
        _canonical(parsed, _lines_of(parsed, counted), currencies, log)
        for parsed, counted in zip(files, owners.counted, strict=True)
    ]
    if log.total:
        raise RowErrors(log.problems, HINT, total=log.total)
    settlements = _settlements(files, tables, owners.kept, headers)
    accounting = tuple(_accounting(parsed, table.num_rows) for parsed, table in zip(files, tables, strict=True))
    table = pa.concat_tables(tables).unify_dictionaries() if tables else _empty()
    return LoadResult(table, settlements, tuple(owners.duplicates), accounting)


def _lines_of(parsed: ParsedFile, settlement_ids: set[str]) -> pa.Table:
    """The detail lines belonging to these settlements (no copy when that is all of them)."""
    details = parsed.details
    if detail_ids(parsed) <= settlement_ids:
        return details
    ids = details.column("settlement_id").cast(pa.string())
    return details.filter(pc.is_in(ids, value_set=pa.array(sorted(settlement_ids), pa.string())))


def _canonical(parsed: ParsedFile, details: pa.Table, currencies: dict[str, str], log: ProblemLog) -> pa.Table:
    """Parse amounts in their settlement's currency and order the columns canonically."""
    path = parsed.raw.path
    lines = details.column("source_line").to_numpy()
    sids = _dictionary(details.column("settlement_id"))
    # currency of each line, as an index into `codes`: computed per distinct settlement id
    codes = sorted(set(currencies.values()))
    of_id = [codes.index(currencies[s]) if s in currencies else None for s in sids.dictionary.to_pylist()]
    line_currency = pa.array(of_id, pa.int32()).take(sids.indices)
    _check_line_currencies(parsed, details, line_currency, codes, lines, log)
    minor = np.zeros(details.num_rows, dtype=np.int64)
    where = np.asarray(line_currency.fill_null(-1).to_numpy(zero_copy_only=False))
    text = details.column(AMOUNT_TEXT)
    for index, currency in enumerate(codes):
        if not currency:
            continue  # an invalid currency: reported against the summary row
        rows = where == index
        if not rows.any():
            continue
        every = bool(rows.all())
        if every and details is parsed.details and parsed.amounts and parsed.amounts[0] == currency:
            _, part, valid = parsed.amounts  # parsed by the reader, in this currency
        else:
            part, valid = parse_amounts(text if every else text.filter(pa.array(rows)), exponent(currency))
        minor[rows] = part.to_numpy(zero_copy_only=False)
        bad = np.zeros(len(rows), dtype=bool)
        bad[rows] = ~np.asarray(valid.to_numpy(zero_copy_only=False), dtype=bool)
        if bad.any():
            source = details.column(AMOUNT_SOURCE) if AMOUNT_SOURCE in details.column_names else "amount"
            log.add_mask(path, bad, lines, text, source, expected_form(currency))
    columns: dict[str, pa.Array | pa.ChunkedArray] = {}
    for name in LINE_COLUMNS:
        if name == "amount_minor":
            columns[name] = pa.array(minor)
        elif name == "currency":
            columns[name] = pa.DictionaryArray.from_arrays(line_currency, pa.array(codes, pa.string()))
        elif name == "source_file":
            columns[name] = pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(details.num_rows, dtype=np.int32)), pa.array([path], pa.string())
            )
        elif name in CATEGORICAL_COLUMNS:
            columns[name] = _dictionary(details.column(name))
        else:
            columns[name] = details.column(name)
    return pa.table(columns)


def _dictionary(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """One dictionary-encoded chunk of a text column (already encoded columns are not copied)."""
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    if column.num_chunks == 1:
        return column.chunk(0)
    return column.combine_chunks() if column.num_chunks else pa.array([], DICTIONARY)


def _check_line_currencies(
    parsed: ParsedFile, details: pa.Table, line_currency: pa.Array, codes: list[str], lines: np.ndarray, log: ProblemLog
) -> None:
    """A line that names its own currency must name its settlement's."""
    own = details.column("currency")
    if own.null_count == len(own):
        return  # the usual case: only the summary row names the currency
    own = _dictionary(own)
    named = pc.index_in(pc.utf8_upper(own.dictionary), value_set=pa.array(codes, pa.string()))
    named_per_line = named.cast(pa.int32()).take(own.indices)
    conflict = pc.and_(pc.is_valid(own), pc.fill_null(pc.not_equal(named_per_line, line_currency), True))
    conflict = pc.and_(conflict, pc.is_valid(line_currency))
    log.add_mask(parsed.raw.path, conflict, lines, own, "currency", "the settlement's currency from its summary row")


def _header(files: list[ParsedFile], copy: Copy, log: ProblemLog) -> _Header:
    """The summary row's dates and total, parsed; problems logged against its line."""
    s, path, kind = copy.summary, files[copy.file].raw.path, files[copy.file].format
    if len(s.currency) != 3 or not s.currency.isascii() or not s.currency.isalpha():
        log.add(RowProblem(path, s.line, "currency", s.currency, "a three-letter ISO currency code such as USD or EUR"))
        return _Header(kind, "")
    try:
        total = parse_amount(s.total, s.currency)
    except ValueError:
        log.add(RowProblem(path, s.line, "total-amount", s.total, expected_form(s.currency)))
        total = 0
    dates: list[datetime | None] = []
    for text, column in (
        (s.start, "settlement-start-date"),
        (s.end, "settlement-end-date"),
        (s.deposit_date, "deposit-date"),
    ):
        try:
            dates.append(parse_date(text, SETTLEMENT_DATE_FORMATS) if text else None)
        except ValueError:
            log.add(RowProblem(path, s.line, column, text, EXPECTED_SETTLEMENT_DATE))
            dates.append(None)
    return _Header(kind, s.currency, total, *dates)


def _settlements(
    files: list[ParsedFile], tables: list[pa.Table], kept: dict[str, Copy], headers: dict[str, _Header]
) -> tuple[Settlement, ...]:
    """One Settlement per kept summary, its lines added up over every file that holds some."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    sources: dict[str, set[int]] = defaultdict(set)
    for index, table in enumerate(tables):
        grouped = table.group_by("settlement_id").aggregate([("amount_minor", "sum"), ("amount_minor", "count")])
        for row in grouped.to_pylist():
            sid = str(row["settlement_id"])
            totals[sid][0] += int(row["amount_minor_sum"] or 0)
            totals[sid][1] += int(row["amount_minor_count"])
            sources[sid].add(index)
    out = []
    for sid, copy in kept.items():
        head = headers[sid]
        used = sorted(sources[sid] | {copy.file})
        out.append(
            Settlement(
                settlement_id=sid,
                format=head.format,
                currency=head.currency,
                start=head.start,
                end=head.end,
                deposit_date=head.deposit_date,
                total_minor=head.total_minor,
                lines_total_minor=totals[sid][0],
                line_count=totals[sid][1],
                sources=tuple(dict.fromkeys(files[i].raw.path for i in used)),
            )
        )
    return tuple(out)


def _accounting(parsed: ParsedFile, lines: int) -> SourceFile:
    return SourceFile(
        path=parsed.raw.path,
        format=parsed.format,
        sha256=parsed.raw.sha256,
        encoding=parsed.raw.encoding,
        compressed=parsed.raw.compressed,
        data_rows=parsed.data_rows,
        summary_rows=len(parsed.summaries),
        lines=lines,
        no_amount_rows=parsed.no_amount_rows,
        blank_lines=parsed.blank_lines,
        duplicate_lines=parsed.details.num_rows - lines,
        detail_rows=parsed.detail_rows,
    )


def _empty() -> pa.Table:
    fields = []
    for name in LINE_COLUMNS:
        if name in CATEGORICAL_COLUMNS:
            fields.append(pa.field(name, DICTIONARY))
        elif name in ("amount_minor", "quantity", "source_line"):
            fields.append(pa.field(name, pa.int64()))
        elif name == "posted_time":
            fields.append(pa.field(name, TIMESTAMP))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields).empty_table()

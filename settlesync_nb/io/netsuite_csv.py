"""NetSuite CSV exports parsed as text, every row tied to the physical line it starts on.

Quoted values (memos) may span lines, so row N is not line N + 1. pyarrow parses regular
files; a file it cannot take as it is (a row with the wrong number of fields, an unterminated
quote, line counts that need recounting) is parsed again with the standard library's csv
module, which says where each record starts, and its bad rows become row problems.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import RowProblem
from .source import RawFile


@dataclass(frozen=True)
class CsvTable:
    """The data rows of a CSV export, columns ``c0..cN`` as text, with their line numbers."""

    table: pa.Table
    lines: np.ndarray  # physical line each row starts on (header = line 1), int64
    problems: tuple[RowProblem, ...]
    blank_lines: int


def read_csv_rows(raw: RawFile, width: int) -> CsvTable:
    """Parse ``raw`` (a headed CSV of ``width`` columns) as text, skipping blank lines.

    Rows whose every field is empty (what a spreadsheet leaves below the data) count as blank.
    """
    names = [f"c{i}" for i in range(width)]
    content = raw.data[: raw.end]  # bytes (a memory-mapped export is copied: exports are small)
    invalid = 0

    def on_invalid(row: pacsv.InvalidRow) -> str:
        nonlocal invalid
        invalid += 1
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(content)),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                check_utf8=False,  # source.read_raw hands over valid UTF-8 only
            ),
        )
    except pa.ArrowInvalid:
        return _with_csv_module(raw, content, width)
    breaks = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
    if invalid or breaks != table.num_rows + 1:
        return _with_csv_module(raw, content, width)
    table, lines, blank = _drop_empty_rows(table, np.arange(2, table.num_rows + 2, dtype=np.int64))
    return CsvTable(table, lines, (), raw.trailing_blank_lines + blank)


def _with_csv_module(raw: RawFile, content: bytes, width: int) -> CsvTable:
    """Every record with the line it starts on; records of the wrong width become problems."""
    reader = csv.reader(io.StringIO(content.decode("utf-8"), newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[RowProblem] = []
    blank = raw.trailing_blank_lines
    previous_end = 0
    while True:
        start = previous_end + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            text = content.decode("utf-8").splitlines()[start - 1] if start > 1 else ""
            problems.append(RowProblem(raw.path, start, "", text, f"a well-formed CSV row ({exc})"))
            break  # the csv module cannot resynchronise after a broken quote
        previous_end = reader.line_num
        if start == 1:
            continue  # the header
        if not record or (len(record) == 1 and not record[0].strip()):
            blank += reader.line_num - start + 1
        elif len(record) == width:
            rows.append(record)
            lines.append(start)
        else:
            expected = f"{width} comma-separated fields like the header"
            if len(record) < width:
                expected += " (the row looks cut short: export again)"
            problems.append(RowProblem(raw.path, start, "", f"{len(record)} fields: {','.join(record)}", expected))
    columns = {f"c{i}": pa.array([r[i] for r in rows], pa.string()) for i in range(width)}
    table, numbers, empty = _drop_empty_rows(pa.table(columns), np.asarray(lines, dtype=np.int64))
    return CsvTable(table, numbers, tuple(problems), blank + empty)


def _drop_empty_rows(table: pa.Table, lines: np.ndarray) -> tuple[pa.Table, np.ndarray, int]:
    """Without the rows whose every field is empty or spaces, and how many there were."""
    empty = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        if not empty.any():
            break
        lengths = pc.binary_length(pc.utf8_trim_whitespace(column))
        empty &= np.asarray(lengths.to_numpy(zero_copy_only=False) == 0)
    if not empty.any():
        return table, lines, 0
    return table.filter(pa.array(~empty)), lines[~empty], int(empty.sum())

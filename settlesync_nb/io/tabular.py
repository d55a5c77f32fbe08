"""Tab-separated reports read with pyarrow, every data row tied to its physical line number.

Amazon's flat files are unquoted TSV: one physical line is one row. pyarrow parses them in
parallel; we keep the line number of each row (header = line 1), count blank lines, and turn
rows with the wrong number of fields (a truncated download, a stray tab) into row problems
instead of losing them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import RowProblem
from .source import RawFile

DICTIONARY = pa.dictionary(pa.int32(), pa.string())
BLOCK_SIZE = 1 << 20  # measured: 1 MiB blocks parse fastest on two cores (bench/load_bench.py)


@dataclass(frozen=True)
class TsvTable:
    """The data rows of a TSV file as strings, with where each came from."""

    table: pa.Table
    lines: np.ndarray  # physical line number of each row, int64
    header: tuple[str, ...]
    blank_lines: int
    problems: tuple[RowProblem, ...]


def normalise_header(name: str) -> str:
    """Header cells compare case-insensitively and without surrounding spaces."""
    return name.strip().lower()


def read_tsv(raw: RawFile, dictionary_columns: Collection[str] = ()) -> TsvTable:
    """Parse ``raw`` as a headed TSV whose every column is text.

    Empty lines come back as rows of empty strings (the format readers count them as blank);
    rows with another number of fields than the header become row problems.

    Args:
        raw: The decoded file.
        dictionary_columns: Normalised column names to read dictionary-encoded (repetitive
            values such as transaction types: smaller and faster to group).
    """
    header = tuple(normalise_header(h) for h in raw.first_line.split("\t"))
    names = _unique_names(header)
    invalid: list[int] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(row.actual_columns)
        return "skip"

    table = pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(raw.content)),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=BLOCK_SIZE),
        parse_options=pacsv.ParseOptions(
            delimiter="\t", quote_char=False, ignore_empty_lines=False, invalid_row_handler=on_invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: DICTIONARY if n in dictionary_columns else pa.string() for n in names},
            strings_can_be_null=False,
        ),
    )
    if not invalid:
        lines = np.arange(2, table.num_rows + 2, dtype=np.int64)
        return TsvTable(table, lines, header, raw.trailing_blank_lines, ())
    return _with_scanned_lines(raw, table, header, len(names))


def _with_scanned_lines(raw: RawFile, table: pa.Table, header: tuple[str, ...], width: int) -> TsvTable:
    """Slow path for files with blank or malformed lines: classify each line ourselves.

    When pyarrow reads in parallel it hands rows with the wrong field count to a handler
    without their line numbers, so the numbers of every row are recovered by scanning.
    """
    good: list[int] = []
    problems: list[RowProblem] = []
    blank = raw.trailing_blank_lines
    content = raw.data[: raw.end]
    lines = content.split(b"\n")
    if content.endswith(b"\n"):
        lines.pop()  # the final line break ends the last row; it starts no line
    for number, line in enumerate(lines[1:], start=2):
        text = line.rstrip(b"\r")
        fields = text.count(b"\t") + 1
        if fields == width or not text:
            good.append(number)  # pyarrow keeps empty lines as rows of empty strings
        elif not text.strip(b" \t"):
            blank += 1  # spaces only: pyarrow skipped it as malformed; it is just blank
        else:
            shown = text.decode("utf-8", "replace")
            expected = f"{width} tab-separated fields like the header"
            if fields < width:
                expected += " (the row looks cut short: download the report again)"
            problems.append(RowProblem(raw.path, number, "", f"{fields} fields: {shown}", expected))
    if len(good) != table.num_rows:  # pragma: no cover - a parser disagreement would be a bug
        raise AssertionError(f"{raw.path}: {table.num_rows} rows parsed, {len(good)} lines scanned")
    return TsvTable(table, np.asarray(good, dtype=np.int64), header, blank, tuple(problems))


def _unique_names(header: tuple[str, ...]) -> list[str]:
    """Column names for pyarrow: duplicates and blanks get a positional suffix."""
    seen: dict[str, int] = {}
    names = []
    for position, name in enumerate(header, start=1):
        name = name or f"column-{position}"
        count = seen.get(name, 0)
        seen[name] = count + 1
        names.append(name if count == 0 else f"{name}.{count}")
    return names

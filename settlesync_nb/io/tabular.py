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
    """Parse ``raw`` as a headed TSV whose every column is text; empty fields are null.

    Empty lines come back as rows of nulls (the format readers count them as blank);
    rows with another number of fields than the header become row problems.

    Args:
        raw: The decoded file.
        dictionary_columns: Normalised column names to read dictionary-encoded (repetitive
            values such as transaction types: smaller and faster to group).
    """
    header = tuple(normalise_header(h) for h in raw.first_line.split("\t"))
    names = _unique_names(header)
    table, invalid = _parse(raw.content, names, dictionary_columns)
    if not invalid:
        lines = np.arange(2, table.num_rows + 2, dtype=np.int64)
        return TsvTable(table, lines, header, raw.trailing_blank_lines, ())
    return _with_scanned_lines(raw, header, names, dictionary_columns)


def _parse(content: memoryview | bytes, names: list[str], dictionary_columns: Collection[str]) -> tuple[pa.Table, int]:
    """pyarrow's parallel TSV parse; rows with the wrong field count are skipped and counted."""
    invalid = 0

    def on_invalid(row: pacsv.InvalidRow) -> str:
        nonlocal invalid
        invalid += 1
        return "skip"

    table = pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(content)),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=BLOCK_SIZE),
        parse_options=pacsv.ParseOptions(
            delimiter="\t", quote_char=False, ignore_empty_lines=False, invalid_row_handler=on_invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: DICTIONARY if n in dictionary_columns else pa.string() for n in names},
            # an empty field is null straight from the parser (in parallel, no second pass)
            strings_can_be_null=True,
            null_values=[""],
            quoted_strings_can_be_null=False,
            check_utf8=False,  # source.read_raw hands over valid UTF-8 only
        ),
    )
    return table, invalid


def _with_scanned_lines(
    raw: RawFile, header: tuple[str, ...], names: list[str], dictionary_columns: Collection[str]
) -> TsvTable:
    """Slow path for files with malformed lines: classify each line ourselves and parse again.

    When pyarrow reads in parallel it hands rows with the wrong field count to a handler
    without their line numbers, so every line is classified here and the well-formed ones are
    parsed again with their numbers known. Extra fields that are all empty (trailing tabs) are
    dropped: they hold nothing. A carriage return inside a line is malformed: pyarrow would end
    the row there.
    """
    width = len(names)
    problems: list[RowProblem] = []
    blank = raw.trailing_blank_lines
    lines = bytes(raw.content).split(b"\n")
    if lines and not lines[-1]:
        lines.pop()  # the final line break ends the last row; it starts no line
    kept, numbers = [lines[0]], []
    for number, line in enumerate(lines[1:], start=2):
        text = line.removesuffix(b"\r")
        fields = text.count(b"\t") + 1
        if fields > width:
            head, extra = _split_extra(text, width)
            if not extra.strip(b" \t"):
                line = text = head  # empty fields past the header's (trailing tabs) hold nothing
                fields = width
        if (fields == width or not text) and b"\r" not in text:
            kept.append(line)  # a row (pyarrow keeps empty lines as rows of nulls)
            numbers.append(number)
        elif not text.strip(b" \t\r"):
            blank += 1  # spaces only: just blank
        else:
            problems.append(_malformed(raw.path, number, text, width))
    table, invalid = _parse(b"\n".join(kept) + b"\n", names, dictionary_columns)  # an empty last line stays a row
    if invalid or table.num_rows != len(numbers):  # pragma: no cover - a parser disagreement would be a bug
        raise AssertionError(f"{raw.path}: {table.num_rows} rows parsed, {len(numbers)} lines scanned")
    return TsvTable(table, np.asarray(numbers, dtype=np.int64), header, blank, tuple(problems))


def _split_extra(text: bytes, width: int) -> tuple[bytes, bytes]:
    """A line's first ``width`` fields, and what follows them (without the tab between)."""
    parts = text.split(b"\t", width)
    return b"\t".join(parts[:width]), parts[width]


def _malformed(path: str, number: int, text: bytes, width: int) -> RowProblem:
    fields = text.count(b"\t") + 1
    shown = text.decode("utf-8", "replace")
    if b"\r" in text:
        expected = "one row per line (this line holds a carriage return: download the report again)"
    else:
        expected = f"{width} tab-separated fields like the header"
        if fields < width:
            expected += " (the row looks cut short: download the report again)"
    return RowProblem(path, number, "", f"{fields} fields: {shown}", expected)


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

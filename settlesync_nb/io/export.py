"""Writing canonical data out: CSV safe to open in a spreadsheet, and typed Parquet.

Amounts leave as exact decimal text (CSV) or ``decimal128`` (Parquet), never floats. In CSV,
a text cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is prefixed
with ``'`` so that a spreadsheet shows it instead of evaluating it as a formula; plain numbers
such as ``-12.34`` are not text and stay as they are.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..errors import FileProblem, UsageError
from ..model import LINE_COLUMNS
from ..money import DEFAULT_EXPONENT, exponent, format_minor_array

FORMULA_START = r"^[=+\-@\t\r]"
PLAIN_NUMBER = r"^[+-]?\d+(\.\d+)?$"  # "-12.34" is a number, not a formula: left as it is
WRITERS = ("csv", "parquet")


def neutralise_formulas(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Prefix ``'`` to text a spreadsheet would run as a formula."""
    if pa.types.is_dictionary(values.type):
        values = values.cast(pa.string())
    risky = pc.and_(
        pc.match_substring_regex(values, FORMULA_START), pc.invert(pc.match_substring_regex(values, PLAIN_NUMBER))
    )
    risky = pc.fill_null(risky, False)
    if not pc.any(risky).as_py():
        return values
    return pc.if_else(risky, pc.utf8_replace_slice(values, start=0, stop=0, replacement="'"), values)


def places_of(currencies: Iterable[str] | pd.Series) -> np.ndarray:
    """Decimal places of each value's currency, looked up once per distinct currency."""
    values = currencies if isinstance(currencies, pd.Series) else pd.Series(list(currencies), dtype="string")
    categorical = pd.Categorical(values)
    by_code = [exponent(str(c)) for c in categorical.categories]
    return np.array([*by_code, DEFAULT_EXPONENT], dtype=np.int64)[categorical.codes]  # code -1: missing


def decimal_column(minor: pa.Array | np.ndarray, currencies: Iterable[str] | pd.Series) -> pa.Array:
    """Exact ``decimal128`` amounts from minor units; the scale is the largest exponent present."""
    minor = np.asarray(minor, dtype=np.int64)
    places = places_of(currencies)
    scale = int(places.max()) if len(places) else DEFAULT_EXPONENT
    unscaled = minor * 10 ** (scale - places)
    words = np.empty((len(minor), 2), dtype=np.int64)  # little-endian 128-bit two's complement
    words[:, 0] = unscaled
    words[:, 1] = np.where(unscaled < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(18, scale), len(minor), [None, pa.py_buffer(words)])


def amount_text(frame: pd.DataFrame, amount: str = "amount_minor", currency: str = "currency") -> pa.Array:
    """Decimal strings of a minor-unit column, each in its row's currency."""
    places = places_of(frame[currency])
    distinct = np.unique(places)
    one = int(distinct[0]) if len(distinct) == 1 else None
    minor = pa.array(frame[amount].to_numpy(dtype=np.int64))
    return format_minor_array(minor, one if one is not None else pa.array(places))


def canonical_table(lines: pd.DataFrame, for_csv: bool) -> pa.Table:
    """The ``settlesync load`` columns: canonical lines with ``amount`` instead of minor units."""
    columns = {}
    for name in LINE_COLUMNS:
        if name == "amount_minor":
            columns["amount"] = (
                amount_text(lines) if for_csv else decimal_column(lines["amount_minor"].to_numpy(), lines["currency"])
            )
        else:
            columns[name] = (
                pa.array(lines[name]) if name != "posted_time" else pa.array(lines[name], pa.timestamp("s", tz="UTC"))
            )
    return pa.table(columns)


def write_table(table: pa.Table, path: str | Path) -> None:
    """Write ``table`` as CSV or Parquet, chosen by the file extension."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in WRITERS:
        raise UsageError(f"Unknown output type: {path.name!r} (valid options are .csv, .parquet)")
    if kind == "csv":
        table = _spreadsheet_safe(table)
    # written beside the target and renamed: a failed write leaves no half-written file behind
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "parquet":
            pq.write_table(table, partial)
        else:
            pacsv.write_csv(table, partial, pacsv.WriteOptions(quoting_style="needed"))
        os.replace(partial, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise FileProblem(
            str(path), f"cannot be written ({exc.strerror or exc})", "Choose a folder you can write to."
        ) from None


def _spreadsheet_safe(table: pa.Table) -> pa.Table:
    """Text with formulas neutralised and times as ISO 8601 UTC text."""
    safe = {}
    for field in table.schema:
        column = table.column(field.name)
        if _is_text(field.type):
            column = neutralise_formulas(column)
        elif pa.types.is_timestamp(field.type):
            column = pc.strftime(column, format="%Y-%m-%dT%H:%M:%SZ")
        safe[field.name] = column
    return pa.table(safe)


def _is_text(kind: pa.DataType) -> bool:
    """String columns in any of arrow's layouts (pandas' ``str`` columns arrive as ``large_string``)."""
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind))


def write_lines(lines: pd.DataFrame, path: str | Path) -> None:
    """Write canonical lines to ``.csv`` (UTF-8, decimal text) or ``.parquet`` (decimal128)."""
    write_table(canonical_table(lines, for_csv=str(path).lower().endswith(".csv")), path)

"""Column-at-a-time text building for the large data set: no Python loop per line.

Numbers are generated with numpy, turned into text with pyarrow compute kernels, joined into
whole lines with :func:`pyarrow.compute.binary_join_element_wise` and written straight from
the resulting string array's data buffer. Money stays integer minor units until it is text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..arrowtext import text_layout

EPOCH = date(1970, 1, 1)
ALNUM = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)
BASE64 = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", dtype=np.uint8)


def digits(values: np.ndarray, width: int) -> pa.Array:
    """Non-negative integers as decimal text, zero-padded to ``width`` (``0012345``)."""
    return pc.utf8_lpad(pa.array(values, pa.int64()).cast(pa.string()), width=width, padding="0")


def ascii_text(codes: np.ndarray) -> pa.Array:
    """One string per row of a 2-D array of ASCII codes (``uint8``), without a Python loop."""
    width = codes.shape[1]
    return pa.array(np.ascontiguousarray(codes).view(f"S{width}").ravel(), pa.binary(width)).cast(pa.string())


def cents(minor: np.ndarray, decimal_separator: str = ".") -> pa.Array:
    """Minor units (two decimals) as plain decimal text: ``-1234.50``."""
    magnitude = np.abs(minor)
    whole = pa.array(magnitude // 100).cast(pa.string())
    fraction = pc.utf8_lpad(pa.array(magnitude % 100).cast(pa.string()), width=2, padding="0")
    body = pc.binary_join_element_wise(whole, fraction, decimal_separator)
    return pc.if_else(pa.array(minor < 0), pc.binary_join_element_wise("-", body, ""), body)


def _group(values: np.ndarray, padded: np.ndarray) -> pa.Array:
    plain = pa.array(values, pa.int64()).cast(pa.string())
    return pc.if_else(pa.array(padded), pc.utf8_lpad(plain, width=3, padding="0"), plain)


def grouped_cents(minor: np.ndarray) -> pa.Array:
    """Magnitudes of minor units with thousands separators, NetSuite style: ``1,234.50``."""
    magnitude = np.abs(minor)
    whole = magnitude // 100
    text = _group(whole % 1000, whole >= 1000)
    rest = whole // 1000
    while rest.any():
        higher = pc.binary_join_element_wise(_group(rest % 1000, rest >= 1000), text, ",")
        text = pc.if_else(pa.array(rest > 0), higher, text)
        rest = rest // 1000
    fraction = pc.utf8_lpad(pa.array(magnitude % 100).cast(pa.string()), width=2, padding="0")
    return pc.binary_join_element_wise(text, fraction, ".")


def by_day(seconds: np.ndarray, render: Callable[[date], str]) -> pa.Array:
    """Text that depends only on the UTC day of each moment (seconds since the epoch).

    ``render`` runs once per distinct day: ``strftime`` on every value would be the slowest
    step of the whole generator.
    """
    days = np.asarray(seconds, dtype=np.int64) // 86400
    if not len(days):
        return pa.array([], pa.string())
    first = int(days.min())
    table = pa.array([render(EPOCH + timedelta(days=first + i)) for i in range(int(days.max()) - first + 1)])
    return table.take(pa.array(days - first))


def clock(seconds: np.ndarray) -> pa.Array:
    """The UTC time of day of each moment, ``08:23:12``."""
    within = np.asarray(seconds, dtype=np.int64) % 86400
    return pc.binary_join_element_wise(
        digits(within // 3600, 2), digits(within // 60 % 60, 2), digits(within % 60, 2), ":"
    )


def join_fields(fields: list[pa.Array | str], delimiter: str) -> pa.Array:
    """Whole lines: fields joined by ``delimiter``, each line ending with a line break.

    A ``str`` field is the same on every line.
    """
    *head, last = fields
    ended = last + "\n" if isinstance(last, str) else pc.binary_join_element_wise(last, "\n", "")
    return pc.binary_join_element_wise(*head, ended, delimiter)


def write_lines(handle: BinaryIO, lines: pa.Array) -> int:
    """Write a string array's values back to back (each already ends with a line break).

    Returns:
        The number of bytes written.
    """
    if lines.null_count:
        raise ValueError("a generated line is null: a field was missing")
    bounds, data = text_layout(lines)
    start, end = int(bounds[0]), int(bounds[-1])
    handle.write(data[start:end].data)
    return end - start

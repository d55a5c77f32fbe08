"""Vectorised parsing of the date forms Amazon and NetSuite write, to UTC timestamps.

Each distinct text is parsed once (reports repeat the same few dates), with the forms below
tried in order. Slash dates are month first (Amazon documents ``MM/DD/YY``; NetSuite's US
default is ``M/D/YYYY``); dotted dates are day first (German files).
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SETTLEMENT_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S UTC",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%d.%m.%Y %H:%M:%S UTC",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%Y/%m/%d %H:%M:%S UTC",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d",
    "%m/%d/%y",
    "%m/%d/%Y",
    "%d.%m.%y",
    "%d.%m.%Y",
    "%Y/%m/%d",
)
NETSUITE_DATE_FORMATS = (
    "%m/%d/%y",
    "%m/%d/%Y",
    "%Y-%m-%d",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S",
)
EXPECTED_SETTLEMENT_DATE = (
    "a date like 2024-01-15 08:23:12 UTC, 14.03.2023 07:49:55 UTC, 2025-06-05T22:07:18+00:00 or 01/15/24"
)
# NetSuite follows the user's date preference: day-first forms for `date_order = "dmy"`.
NETSUITE_DAY_FIRST_FORMATS = (
    "%d/%m/%y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S",
)
EXPECTED_NETSUITE_DATE = "a date like 3/15/2023 or 2023-03-15"
EXPECTED_NETSUITE_DAY_FIRST = "a date like 15/3/2023, 15.03.2023 or 2023-03-15"
TIMESTAMP = pa.timestamp("s", tz="UTC")
# A two-digit year must not read as year 24 AD: `%y` forms come before `%Y` ones, and anything
# outside these years is treated as unparseable.
EARLIEST = datetime(1990, 1, 1)
LATEST = datetime(2100, 1, 1)


def parse_dates(values: pa.Array | pa.ChunkedArray, formats: tuple[str, ...]) -> tuple[pa.Array, pa.Array]:
    """Parse date strings; empty strings become null.

    Returns:
        ``(timestamps, bad)``: UTC timestamps (null where empty or invalid) and a mask of the
        non-empty values no form matched.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks else pa.array([], pa.string())
    encoded = values if pa.types.is_dictionary(values.type) else pc.dictionary_encode(values)
    distinct = pc.utf8_trim_whitespace(encoded.dictionary)
    seconds = np.zeros(len(distinct), dtype=np.int64)
    found = np.zeros(len(distinct), dtype=bool)
    pending = np.flatnonzero(np.asarray(pc.not_equal(distinct, ""), dtype=bool))
    pending = _try_forms(distinct, pending, formats, seconds, found)
    if len(pending):
        # fractions of a second (``08:23:12.000Z``) are dropped: settlement times are to the second
        whole = pc.replace_substring_regex(distinct, r"(:[0-9]{2})[.,][0-9]+", r"\1")
        pending = _try_forms(whole, pending, formats, seconds, found)
    bad = np.zeros(len(distinct), dtype=bool)
    bad[pending] = True
    parsed = pa.array(seconds, mask=~found).cast(TIMESTAMP)
    indices = encoded.indices
    return parsed.take(indices), pc.fill_null(pa.array(bad).take(indices), False)


def _try_forms(
    distinct: pa.Array, pending: np.ndarray, formats: tuple[str, ...], seconds: np.ndarray, found: np.ndarray
) -> np.ndarray:
    """Parse the ``pending`` values with each form in turn; returns those no form matched."""
    low, high = _epoch(EARLIEST), _epoch(LATEST)
    for form in formats:
        if not len(pending):
            break
        # each form is tried only on what the earlier forms left (a file uses one or two)
        attempt = pc.strptime(distinct.take(pending), format=form, unit="s", error_is_null=True)
        if attempt.type.tz is None:
            attempt = pc.assume_timezone(attempt, "UTC")
        epoch = attempt.cast(pa.int64()).to_numpy(zero_copy_only=False)
        hit = np.asarray(attempt.is_valid(), dtype=bool)
        hit[hit] = (epoch[hit] >= low) & (epoch[hit] < high)
        seconds[pending[hit]] = epoch[hit]
        found[pending[hit]] = True
        pending = pending[~hit]
    return pending


def _epoch(moment: datetime) -> int:
    return int(moment.replace(tzinfo=UTC).timestamp())


def parse_date(text: str, formats: tuple[str, ...]) -> datetime | None:
    """Scalar :func:`parse_dates`: ``None`` for empty text.

    Raises:
        ValueError: no form matched.
    """
    stamps, bad = parse_dates(pa.array([text], pa.string()), formats)
    if bad[0].as_py():
        raise ValueError(f"not a date: {text!r}")
    value = stamps[0].as_py()
    return value

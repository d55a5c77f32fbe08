"""Formats: reading Amazon settlement reports and NetSuite exports into canonical data.

``load_settlements`` is the one front door for Amazon reports: it detects the variant of each
file (Flat File V2, old flat file, XML; gzip or not; any of the encodings Amazon uses) and
returns a :class:`~settlesync_nb.model.LoadResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import FileProblem, UsageError
from ..model import LoadResult
from .assemble import assemble
from .flat import read_flat_v2
from .flat_v1 import read_flat_v1
from .parsed import ParsedFile
from .source import RawFile, read_raw
from .tabular import normalise_header
from .xml_report import read_xml

READERS: dict[str, Callable[[RawFile], ParsedFile]] = {
    "flat-v2": read_flat_v2,
    "flat-v1": read_flat_v1,
    "xml": read_xml,
}
_V2_MARKERS = {"settlement-id", "amount-type", "amount-description", "amount"}
_V1_MARKERS = {"settlement-id", "price-type", "price-amount"}
_ZIP_MAGIC = b"PK\x03\x04"


def detect_format(raw: RawFile) -> str:
    """Name the report variant of ``raw`` (a key of :data:`READERS`).

    Raises:
        FileProblem: the file is not a settlement report; the message lists what was found.
    """
    head = raw.data[:512].lstrip()
    if head.startswith(b"<"):
        return "xml"
    if raw.data[: len(_ZIP_MAGIC)] == _ZIP_MAGIC:
        raise FileProblem(
            raw.path,
            "is a ZIP archive or an Excel workbook, not a settlement report",
            "Pass the report as Amazon delivers it (tab-separated text, gzip-compressed or not); "
            "a report opened and saved in a spreadsheet must be saved back as tab-delimited text.",
        )
    header = {normalise_header(h) for h in raw.first_line.split("\t")}
    if header >= _V2_MARKERS:
        return "flat-v2"
    if header >= _V1_MARKERS:
        return "flat-v1"
    found = raw.first_line[:300]
    if "\t" not in raw.first_line and "," in raw.first_line:
        hint = (
            "It is comma-separated; Amazon settlement reports are tab-separated. "
            "If it is a NetSuite export, pass it with --netsuite."
        )
    else:
        hint = (
            "Expected a tab-separated header with settlement-id, amount-type, amount-description and "
            "amount (Flat File V2), or settlement-id, price-type and price-amount (old flat file), or XML."
        )
    columns = [c.strip() for c in raw.first_line.split("\t")]
    listed = ", ".join(repr(c) for c in columns[:30]) if "\t" in raw.first_line else repr(found)
    raise FileProblem(raw.path, f"is not a settlement report (columns found: {listed})", hint)


def read_report(path: str | Path, format: str | None = None, encoding: str | None = None) -> ParsedFile:
    """Read one report file without cross-file checks (see :func:`load_settlements`)."""
    raw = read_raw(path, encoding)
    name = format or detect_format(raw)
    try:
        reader = READERS[name]
    except KeyError:
        raise UsageError(f"Unknown report format: {name!r} (valid options are {', '.join(READERS)})") from None
    return reader(raw)


def load_settlements(
    paths: Iterable[str | Path] | str | Path,
    *,
    format: str | None = None,
    encoding: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> LoadResult:
    """Load Amazon settlement reports into canonical lines.

    Args:
        paths: Report files (``.txt``/``.tsv``/``.xml``, gzip-compressed or not), in any mix;
            one path alone is one file.
        format: Force one variant for every file (``flat-v2``, ``flat-v1``, ``xml``).
        encoding: Force a text encoding for every file (default: detected).
        progress: Called with each file's path before it is read.

    Returns:
        Canonical lines, one :class:`~settlesync_nb.model.Settlement` per settlement id (a copy
        met twice is kept once and listed in ``duplicates``), and per-file accounting.

    Raises:
        FileProblem: a file is missing, empty or not a settlement report.
        MissingColumns: a report lacks required columns.
        RowErrors: rows are malformed; every problem of every file is listed.
    """
    paths = [paths] if isinstance(paths, str | Path) else list(paths)  # one path, not its characters
    if not paths:
        raise UsageError("No settlement report given: pass at least one report file.")
    if format is not None and format not in READERS:
        raise UsageError(f"Unknown report format: {format!r} (valid options are {', '.join(READERS)})")
    parsed = []
    for path in paths:
        if progress:
            progress(str(path))
        parsed.append(read_report(path, format, encoding))
    return assemble(parsed)


__all__ = ["READERS", "FileProblem", "detect_format", "load_settlements", "read_report"]

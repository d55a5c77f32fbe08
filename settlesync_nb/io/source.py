"""Read one input file as UTF-8 text bytes: gunzip, strip a BOM, detect the encoding, fingerprint.

Everything format-specific happens later; this module answers "what bytes did the user give
us, in which encoding, and what kind of report do they look like".
"""

from __future__ import annotations

import gzip
import hashlib
import mmap
import os
import re
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..errors import FileProblem

# A file's bytes: a large uncompressed file stays memory-mapped (read-only, never copied);
# code reading it sticks to what both types offer (slices, find/rfind, the buffer protocol).
Content = bytes | mmap.mmap
MAP_FROM = 1 << 20  # files from this size on are memory-mapped
GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_HASHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="settlesync-sha256")
_JAPANESE_HINTS = re.compile(rb"JPY|amazon\.co\.jp", re.IGNORECASE)

# Encodings tried after UTF-8, by what the file looks like. Amazon documents UTF-8 but EU files
# arrive as cp1252 and Japanese ones as cp932 (Shift_JIS).
JAPANESE_FALLBACKS = ("cp932", "cp1252")
WESTERN_FALLBACKS = ("cp1252", "cp932")


@dataclass
class RawFile:
    """One input file's content, decoded to UTF-8, with what was learned reading it.

    ``data[:end]`` is the content without trailing blank lines (kept as an offset so that a
    large file is not copied). A reader calls :meth:`release` once it has parsed the content,
    so that a large file's bytes are not held through the rest of the load.
    """

    path: str
    data: Content
    end: int
    digest: Future[str]
    encoding: str
    compressed: bool
    trailing_blank_lines: int

    @property
    def sha256(self) -> str:
        """sha256 of the file as stored (computed in the background while it is parsed)."""
        return self.digest.result()

    def release(self) -> None:
        """Drop the content (everything else about the file is kept)."""
        self.data = b""
        self.end = 0

    @property
    def content(self) -> memoryview:
        """The content up to the last non-blank line, without copying."""
        return memoryview(self.data)[: self.end]

    @property
    def first_line(self) -> str:
        """The first line (the header of a tabular report), without its line break."""
        end = self.data.find(b"\n")
        head = self.data[: len(self.data) if end < 0 else end]
        return head.decode("utf-8").rstrip("\r")


def file_sha256(path: str | Path) -> str:
    """sha256 of a file as stored on disk (compressed files are hashed compressed)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_bytes(name: str) -> Content:
    """The file's bytes; a large file is memory-mapped instead of copied (read-only)."""
    try:
        with open(name, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < MAP_FROM or not size:  # (an empty file cannot be mapped)
                return handle.read()
            populate = getattr(mmap, "MAP_POPULATE", 0)  # Linux only
            if not populate:
                return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            # MAP_POPULATE faults every page in at once (far cheaper than one fault per page)
            return mmap.mmap(handle.fileno(), 0, flags=mmap.MAP_SHARED | populate, prot=mmap.PROT_READ)
    except FileNotFoundError:
        raise FileProblem(name, "file not found", "Check the path.") from None
    except IsADirectoryError:
        raise FileProblem(name, "is a folder, not a file", "Pass the report files inside it.") from None
    except OSError as exc:
        raise FileProblem(name, f"cannot be read ({exc.strerror})", "Check its permissions.") from None


def read_raw(path: str | Path, encoding: str | None = None) -> RawFile:
    """Read ``path`` and return its content as UTF-8 bytes.

    Args:
        path: The file; gzip-compressed content is detected by its magic bytes, whatever the
            file is called.
        encoding: Force a text encoding instead of detecting it.

    Raises:
        FileProblem: the file is missing, unreadable, empty, not valid gzip, or not text in the
            given encoding.
    """
    name = str(path)
    stored = _read_bytes(name)
    # hashlib releases the GIL: the fingerprint is computed while pyarrow parses the file
    sha = _HASHER.submit(lambda: hashlib.sha256(stored).hexdigest())
    compressed = stored[:2] == GZIP_MAGIC
    data = _gunzip(name, stored) if compressed else stored
    text, used = _to_utf8(name, data, encoding)
    if text.find(b"\n") < 0 and text.find(b"\r") >= 0:
        # classic Mac line endings (Excel for Mac's "Tab Delimited Text")
        text = bytes(text).replace(b"\r", b"\n")
    end, blank = _content_end(text)
    if not end:
        # checked once decoded: a file holding only a byte order mark is empty too
        raise FileProblem(name, "is empty", "Download the report again; an empty file holds no settlement.")
    return RawFile(name, text, end, sha, used, compressed, blank)


def _gunzip(name: str, stored: Content) -> bytes:
    try:
        return gzip.decompress(stored)
    except (OSError, EOFError, zlib.error) as exc:
        raise FileProblem(
            name,
            f"looks gzip-compressed but cannot be decompressed ({exc})",
            "The download is probably incomplete: fetch the report document again.",
        ) from None


def _to_utf8(name: str, data: Content, forced: str | None) -> tuple[Content, str]:
    if forced:
        try:
            return str(data, forced).encode("utf-8").removeprefix(_UTF8_BOM), forced
        except LookupError:
            raise FileProblem(name, f"unknown encoding {forced!r}", "Use e.g. utf-8, cp1252, cp932.") from None
        except UnicodeEncodeError:  # lone surrogates, e.g. utf-16 forced on a file cut short
            raise FileProblem(
                name, f"is not valid {forced}", "Leave the encoding out to let settlesync detect it."
            ) from None
        except UnicodeDecodeError as exc:
            raise FileProblem(
                name,
                f"is not valid {forced} (byte {exc.start}: {data[exc.start : exc.start + 4]!r})",
                "Leave the encoding out to let settlesync detect it.",
            ) from None
    if data[: len(_UTF8_BOM)] == _UTF8_BOM:
        data = data[len(_UTF8_BOM) :]
    elif data[:2] in _UTF16_BOMS:
        try:
            return str(data, "utf-16").encode("utf-8"), "utf-16"
        except UnicodeError:
            raise FileProblem(
                name,
                "starts with a UTF-16 byte order mark but is not valid UTF-16 (cut short?)",
                "Download the report again, or pass the encoding it was saved in.",
            ) from None
    if _is_ascii(data) or _is_utf8(data):
        return data, "utf-8"
    japanese = _JAPANESE_HINTS.search(data[: 1 << 16]) is not None
    for candidate in JAPANESE_FALLBACKS if japanese else WESTERN_FALLBACKS:
        try:
            return str(data, candidate).encode("utf-8"), candidate
        except UnicodeDecodeError:
            continue
    # latin-1 maps every byte: the last resort keeps every character visible for the user.
    return str(data, "latin-1").encode("utf-8"), "latin-1"


def _is_ascii(data: Content) -> bool:
    if isinstance(data, bytes):
        return data.isascii()
    return not len(data) or int(np.frombuffer(data, dtype=np.uint8).max()) < 0x80


def _is_utf8(data: Content) -> bool:
    """Whether ``data`` is valid UTF-8, checked by pyarrow in place (decoding a large file to a
    Python string would briefly take two to four times its size)."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _content_end(data: Content) -> tuple[int, int]:
    """Where the content ends once whitespace-only lines at the end are dropped, and how many.

    The line break of the last real row is kept.
    """
    blank = 0
    end = len(data)
    while end:
        content_end = end - 1 if data[end - 1] == 0x0A else end
        start = data.rfind(b"\n", 0, content_end) + 1
        if not data[start:content_end].isspace() and start < content_end:
            break
        blank += 1
        end = start
    return end, blank

"""Arrow text arrays read in place: their value offsets and bytes as numpy views (no copy)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa


def text_layout(text: pa.StringArray) -> tuple[np.ndarray, np.ndarray]:
    """The value offsets (one more than values) and the bytes of a string array, without copying.

    Value ``i`` is ``data[bounds[i]:bounds[i + 1]]``; the array's own offset is applied.
    """
    _, offsets, data = text.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32)[text.offset : text.offset + len(text) + 1]
    return bounds, (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8))

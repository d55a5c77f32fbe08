"""Running our notebooks: strict parameters, papermill execution, results and offline HTML.

``record``/``report_view``/``inputs`` are what notebook cells call; ``runner``/``html``/``batch``
are what the CLI calls. Nothing in the core packages imports this one.
"""

from __future__ import annotations

from .record import RESULTS_MIMETYPE, read_results, record_results

__all__ = ["RESULTS_MIMETYPE", "read_results", "record_results"]

"""ipywidgets front ends over the package's pure functions; one widget family per module."""

from __future__ import annotations

from .explorer import DiscrepancyExplorer

__all__ = ["DiscrepancyExplorer"]

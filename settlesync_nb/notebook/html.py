"""The offline HTML report: nbconvert with our template, plotly.js embedded exactly once.

Figures are stored in notebooks as plotly's own mimetype (JupyterLab renders it); for HTML a
preprocessor turns each into a ``<div>`` drawn by the single inline copy of plotly.js that the
template puts in the page head. The template drops every script nbconvert would load from the
network (require.js, MathJax, mermaid, the widget manager), so the report works offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat

from .runner import PROJECT_ROOT

TEMPLATES = PROJECT_ROOT / "templates"
TEMPLATE = "settlesync-report"
PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"


def _plotly_preprocessor() -> Any:
    import plotly.io as pio
    from nbconvert.preprocessors import Preprocessor

    class PlotlyToHtml(Preprocessor):
        """Give every plotly output an HTML form that uses the page's plotly.js."""

        def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if PLOTLY_MIMETYPE in data and "text/html" not in data:
                    data["text/html"] = pio.to_html(
                        dict(data[PLOTLY_MIMETYPE]),
                        full_html=False,
                        include_plotlyjs=False,
                        include_mathjax=False,
                        config={"displaylogo": False, "responsive": True},
                    )
            return cell, resources

    return PlotlyToHtml()


def export_html(executed: str | Path, target: str | Path, *, with_code: bool = False, title: str | None = None) -> Path:
    """Write the offline HTML of an executed notebook; code cells only when ``with_code``."""
    from nbconvert import HTMLExporter
    from plotly.offline import get_plotlyjs

    node = nbformat.read(str(executed), as_version=4)
    node.metadata.pop("widgets", None)  # a report has no live widgets; their loader is a CDN script
    if title:
        node.metadata["title"] = title
    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name=TEMPLATE)
    exporter.exclude_input = not with_code
    exporter.exclude_input_prompt = not with_code
    exporter.exclude_output_prompt = True
    exporter.register_preprocessor(_plotly_preprocessor(), enabled=True)
    body, _ = exporter.from_notebook_node(node, resources={"plotly_js": get_plotlyjs()})
    path = Path(target)
    path.write_text(body, encoding="utf-8")
    return path

"""Strict notebook parameters: only the names a notebook declares, typed as it declares them.

papermill only warns about unknown parameters and its ``-p`` turns ``0.01`` into a float and
``0012345`` into 12345. Here every value is checked against ``papermill.inspect_notebook``:
unknown names are refused with the list of valid ones, text parameters stay text, and other
types are read as YAML literals.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..errors import UsageError

TEXT_TYPES = {"str", "None"}


def declared(notebook: str | Path) -> dict[str, dict[str, Any]]:
    """The notebook's parameters: name -> {inferred_type_name, default, help}."""
    import papermill

    path = Path(notebook)
    if not path.is_file():
        raise UsageError(f"{path}: notebook not found")
    try:
        found = papermill.inspect_notebook(str(path))
    except ValueError as exc:  # e.g. no kernel recorded in the notebook
        raise UsageError(f"{path}: {exc} Open it in JupyterLab, choose a Python kernel and save it.") from None
    return {name: dict(info) for name, info in found.items()}


def coerce(name: str, value: Any, info: Mapping[str, Any]) -> Any:
    """A parameter value of the declared type (command-line values arrive as text)."""
    kind = str(info.get("inferred_type_name", "None"))
    if not isinstance(value, str) or kind in TEXT_TYPES:
        return value
    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError as exc:
        raise UsageError(f"parameter {name}: {value!r} is not a valid {kind} ({exc.__class__.__name__})") from None
    expected = {"int": int, "float": float, "bool": bool, "list": list, "dict": dict}.get(kind)
    if expected is not None and not isinstance(parsed, expected):
        raise UsageError(f"parameter {name}: expected a {kind}, found {value!r}")
    return parsed


def check(notebook: str | Path, given: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and type ``given`` parameters against the notebook's declarations.

    Raises:
        UsageError: an unknown name, a missing required one (declared with default ``None``),
            or a value of the wrong type; the message lists the valid parameters.
    """
    spec = declared(notebook)
    valid = ", ".join(f"{n} ({i.get('inferred_type_name')})" for n, i in spec.items())
    unknown = sorted(set(given) - set(spec))
    if unknown:
        raise UsageError(f"{Path(notebook).name}: unknown parameter(s) {', '.join(unknown)}; valid parameters: {valid}")
    missing = [n for n, i in spec.items() if str(i.get("default")) == "None" and n not in given]
    if missing:
        raise UsageError(f"{Path(notebook).name}: missing required parameter(s) {', '.join(missing)}; valid: {valid}")
    return {name: coerce(name, value, spec[name]) for name, value in given.items()}


def read_params_file(path: str | Path) -> dict[str, Any]:
    """Parameters from a YAML mapping file (``--params`` or a preset)."""
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{file}: parameters file not found") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"{file}: not valid YAML ({exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise UsageError(f"{file}: expected a mapping of parameter names to values")
    return data

"""The conda environment file mirrors pyproject.toml, so both installs get the same libraries."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml
from conftest import PROJECT_ROOT

# pip requirement name -> conda-forge package name, where they differ
CONDA_NAMES = {"psycopg[binary]": "psycopg"}
_REQUIREMENT = re.compile(r"^\s*(?P<name>[A-Za-z0-9_.\-]+(?:\[[^\]]+\])?)\s*(?P<spec>[<>=!~].*)?$")


def _pyproject() -> dict[str, Any]:
    with (PROJECT_ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)


def _environment() -> dict[str, Any]:
    loaded = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _split(requirement: str) -> tuple[str, str]:
    match = _REQUIREMENT.match(requirement)
    assert match is not None, f"cannot read requirement {requirement!r}"
    return match["name"].lower(), (match["spec"] or "").replace(" ", "")


def _conda_dependencies() -> tuple[dict[str, str], list[Any]]:
    conda: dict[str, str] = {}
    pip: list[Any] = []
    for entry in _environment()["dependencies"]:
        if isinstance(entry, dict):
            pip.extend(entry.get("pip", []))
            continue
        name, spec = _split(str(entry))
        conda[name] = spec
    return conda, pip


def test_environment_lists_every_runtime_dependency_with_the_same_version() -> None:
    """Each pyproject dependency appears in environment.yml under its conda name with the same specifier."""
    expected = {}
    for requirement in _pyproject()["project"]["dependencies"]:
        name, spec = _split(requirement)
        expected[CONDA_NAMES.get(name, name)] = spec
    conda, _ = _conda_dependencies()
    listed = {name: spec for name, spec in conda.items() if name not in ("python", "pip")}
    assert listed == expected


def test_environment_python_matches_requires_python() -> None:
    """The conda Python pin is pyproject's requires-python."""
    conda, _ = _conda_dependencies()
    assert conda["python"] == _pyproject()["project"]["requires-python"].replace(" ", "") == ">=3.11"


def test_environment_pip_section_installs_the_project_with_dev_tools() -> None:
    """The pip section installs settlesync itself, editable, with its dev extra (and pip is listed for it)."""
    conda, pip = _conda_dependencies()
    assert "pip" in conda
    assert pip == ["-e .[dev]"]
    assert "dev" in _pyproject()["project"]["optional-dependencies"]


def test_requirement_reader_handles_extras_and_specifiers() -> None:
    """The requirement splitter used above keeps extras in the name and the whole specifier."""
    assert _split("psycopg[binary]>=3.2") == ("psycopg[binary]", ">=3.2")
    assert _split("pandas >= 3.0, <4") == ("pandas", ">=3.0,<4")
    assert _split("pip") == ("pip", "")


def test_cli_constants_match_the_package() -> None:
    """The CLI's import-free copies of the format and action names agree with the package."""
    from settlesync_nb.cli.app import REPORT_FORMATS, RESOLUTION_ACTIONS
    from settlesync_nb.io import READERS
    from settlesync_nb.reconcile import ACTIONS

    assert tuple(READERS) == REPORT_FORMATS
    assert RESOLUTION_ACTIONS == ACTIONS


def test_cli_help_does_not_import_the_data_stack() -> None:
    """`settlesync --help` stays fast: importing the CLI does not import pandas or SQLAlchemy."""
    import subprocess
    import sys

    code = "import sys, settlesync_nb.cli; print(sorted(m for m in ('pandas', 'sqlalchemy') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

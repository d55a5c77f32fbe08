"""Named parameter presets: YAML files in ``templates/presets/`` beside the report template."""

from __future__ import annotations

from typing import Any

from ..errors import UsageError
from .params import read_params_file
from .runner import PROJECT_ROOT

PRESETS = PROJECT_ROOT / "templates" / "presets"


def available() -> list[str]:
    """Preset names (file names without ``.yaml``)."""
    return sorted(p.stem for p in PRESETS.glob("*.yaml"))


def load_preset(name: str) -> dict[str, Any]:
    """The parameters of preset ``name``."""
    path = PRESETS / f"{name}.yaml"
    if not path.is_file():
        raise UsageError(f"Unknown preset: {name!r} (valid options are {', '.join(available()) or 'none'})")
    return read_params_file(path)

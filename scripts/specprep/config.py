"""The ``prepare.yaml`` format.

```yaml
source: openapi.yaml          # the vendor's file (YAML or JSON), relative to prepare.yaml
keep:                         # optional: operations kept, "METHOD /path"
  - GET /v1/expenses
overlays:                     # optional: Overlay 1.0 files applied in order, before `keep`
  - overlay.yaml
repairs: all                  # all | none | [name, ...] | {all: true, skip: [name, ...]}
deviations:                   # optional: where real answers differ from the file (deviations.py)
  omitted-required:
    "#/components/schemas/ExpenseSplit": [category, tax_rate]
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .deviations import Deviations, parse_deviations
from .documents import load_mapping
from .errors import PrepareError
from .repairs import REPAIR_NAMES

_KEYS = frozenset({"source", "keep", "overlays", "repairs", "deviations"})


@dataclass(frozen=True)
class PrepareConfig:
    """A parsed prepare.yaml, with paths resolved against its folder."""

    path: Path
    source: Path
    keep: tuple[str, ...] | None
    overlays: tuple[Path, ...]
    repairs: tuple[str, ...]
    deviations: Deviations = field(default_factory=Deviations)


def load_config(path: Path) -> PrepareConfig:
    """Read and check ``path``; raise :class:`PrepareError` with the file name on any problem."""
    data = load_mapping(path, "prepare.yaml")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise PrepareError(f"{path}: unknown key(s) {unknown}; expected {sorted(_KEYS)}")
    source = data.get("source")
    if not isinstance(source, str) or not source:
        raise PrepareError(f"{path}: 'source' must name the spec file")
    keep = data.get("keep")
    if keep is not None and (
        not isinstance(keep, list) or not keep or not all(isinstance(k, str) for k in keep)
    ):
        raise PrepareError(f"{path}: 'keep' must be a non-empty list of 'METHOD /path' strings")
    overlays = data.get("overlays") or []
    if not isinstance(overlays, list) or not all(isinstance(o, str) for o in overlays):
        raise PrepareError(f"{path}: 'overlays' must be a list of file names")
    folder = path.parent
    return PrepareConfig(
        path=path,
        source=folder / source,
        keep=tuple(keep) if keep is not None else None,
        overlays=tuple(folder / overlay for overlay in overlays),
        repairs=_repair_selection(data.get("repairs", "all"), path),
        deviations=parse_deviations(data.get("deviations"), path),
    )


def _repair_selection(value: Any, path: Path) -> tuple[str, ...]:
    if value == "all" or value is True:
        return REPAIR_NAMES
    if value == "none" or value is False or value is None:
        return ()
    if isinstance(value, list):
        _check_names(value, path)
        return tuple(name for name in REPAIR_NAMES if name in value)
    if isinstance(value, dict) and set(value) <= {"all", "skip"}:
        skip = value.get("skip") or []
        if not isinstance(skip, list):
            raise PrepareError(f"{path}: 'repairs.skip' must be a list of repair names")
        _check_names(skip, path)
        base = REPAIR_NAMES if value.get("all", True) else ()
        return tuple(name for name in base if name not in skip)
    raise PrepareError(
        f"{path}: 'repairs' must be all, none, a list of names or {{all: true, skip: [...]}}"
    )


def _check_names(names: list[Any], path: Path) -> None:
    unknown = [name for name in names if name not in REPAIR_NAMES]
    if unknown:
        raise PrepareError(f"{path}: unknown repair(s) {unknown}; known: {list(REPAIR_NAMES)}")

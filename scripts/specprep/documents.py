"""Reading and writing OpenAPI, overlay and prepare.yaml documents."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import yaml

from .errors import PrepareError


def load_document(path: Path) -> Any:
    """Load a YAML or JSON file (JSON is chosen by the ``.json`` suffix; YAML is a superset)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PrepareError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        # The C loader is several times faster on large published files when available.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return normalise(yaml.load(text, Loader=loader))  # noqa: S506 - a safe loader
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise PrepareError(f"cannot parse {path}: {exc}") from exc


def normalise(value: Any) -> Any:
    """Return ``value`` as JSON would carry it: string keys, dates as ISO strings.

    YAML reads an unquoted ``200:`` response code as an int and ``2024-01-31`` as a date;
    OpenAPI means strings in both places.
    """
    if isinstance(value, dict):
        return {_key(key): normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _key(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def load_mapping(path: Path, what: str) -> dict[str, Any]:
    """Load ``path`` and insist that its top level is a mapping."""
    data = load_document(path)
    if not isinstance(data, dict):
        raise PrepareError(f"{path}: a {what} must be a mapping at the top level")
    return data


def dump_json(document: Any) -> str:
    """Serialise deterministically (key order as in the document, stable indentation)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

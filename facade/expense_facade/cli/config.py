"""The command's config file: where it is and how it is read (docs/command.md)."""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from expense_facade.cli.exits import UsageError

CONFIG_ENV = "EXPENSE_FACADE_CONFIG"


def default_config_path() -> Path:
    """``config.toml`` in the user's config folder (XDG, macOS or Windows convention)."""
    if sys.platform == "win32":
        base = os.environ.get("APPDATA")
        root = Path(base) if base else Path.home() / "AppData" / "Roaming"
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_CONFIG_HOME")
        root = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return root / "expense-facade" / "config.toml"


def load_config(
    explicit: str | None, environ: Mapping[str, str] | None = None
) -> tuple[Path | None, dict[str, Any]]:
    """The config file's path and contents; a missing default file is an empty config."""
    named = explicit or (os.environ if environ is None else environ).get(CONFIG_ENV)
    path = Path(named) if named else default_config_path()
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        if named:
            raise UsageError(f"config file {path} does not exist") from None
        return None, {}
    except OSError as exc:
        raise UsageError(f"cannot read config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"config file {path} is not valid TOML: {exc}") from None
    return path, data

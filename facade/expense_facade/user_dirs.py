"""The per-user folders of this application: where the config file and the default
ledger live, by the platform's convention (docs/command.md, "Configuration"; docs/export.md,
"The ledger").
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "expense-facade"


def user_config_dir() -> Path:
    """``$XDG_CONFIG_HOME/expense-facade`` (``~/.config/...``) on Linux and other Unixes,
    ``~/Library/Application Support/expense-facade`` on macOS, ``%APPDATA%\\expense-facade``
    on Windows (not created here)."""
    if sys.platform == "win32":
        base = os.environ.get("APPDATA")
        root = Path(base) if base else Path.home() / "AppData" / "Roaming"
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Application Support"
    else:
        root = _xdg("XDG_CONFIG_HOME", ".config")
    return root / APP_DIR_NAME


def user_data_dir() -> Path:
    """``$XDG_DATA_HOME/expense-facade`` (``~/.local/share/...``) on Linux and other Unixes,
    ``~/Library/Application Support/expense-facade`` on macOS,
    ``%LOCALAPPDATA%\\expense-facade`` on Windows (not created here)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA")
        root = Path(base) if base else Path.home() / "AppData" / "Local"
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Application Support"
    else:
        root = _xdg("XDG_DATA_HOME", ".local/share")
    return root / APP_DIR_NAME


def _xdg(variable: str, default: str) -> Path:
    # The XDG spec: a relative value is invalid and is ignored.
    value = os.environ.get(variable)
    return Path(value) if value and Path(value).is_absolute() else Path.home() / default


__all__ = ["APP_DIR_NAME", "user_config_dir", "user_data_dir"]

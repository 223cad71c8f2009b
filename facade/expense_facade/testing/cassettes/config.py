"""The vcrpy configuration: the scrubbing hooks and matchers as keyword arguments for
``vcr.VCR`` or pytest-recording (``vcr_config``), and a ready ``vcr.VCR`` (``make_vcr``).
See docs/cassettes.md, "Cassettes in your own CI"."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expense_facade.testing.cassettes.matching import DEFAULT_MATCH_ON, register_matchers
from expense_facade.testing.cassettes.scrubbing import DEFAULT_SCRUBBER, Scrubber

if TYPE_CHECKING:
    import vcr

INSTALL_HINT = "pip install 'expense-facade[testing]'"
"""How to install what recording and replaying need (vcrpy, PyYAML, pytest-recording)."""


class MissingTestingExtra(ImportError):
    """vcrpy (or PyYAML) is not installed: the ``testing`` extra brings them."""


def require(module: str, package: str) -> Any:
    """``import module`` (a development dependency, imported only when asked for), or
    ``MissingTestingExtra`` naming ``package`` and how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingTestingExtra(
            f"cassettes need {package}, which is not installed: {INSTALL_HINT}"
        ) from exc


def vcr_config(*, scrubber: Scrubber | None = None, **overrides: Any) -> dict[str, Any]:
    """Keyword arguments for ``vcr.VCR(**...)`` or pytest-recording's ``vcr_config``.

    The record mode is left to the caller: pytest-recording's ``--record-mode`` (or
    vcrpy's default) applies unless ``overrides`` sets ``record_mode``. The request hook
    normalises every request (placeholder origin, no signature parameters) before vcrpy
    matches it, so vcrpy's built-in ``method``/``path``/``query``/``body`` matchers used
    here behave like ``match_url`` and friends without any registration; ``make_vcr``
    registers and uses the library's own matchers instead. Compressed responses are stored
    decoded so that the scrubbing can see their text. ``scrubber`` carries registered
    secrets (recording); ``overrides`` replace any key.
    """
    chosen = scrubber or DEFAULT_SCRUBBER
    config: dict[str, Any] = {
        "match_on": ("method", "path", "query", "body"),
        "before_record_request": chosen.scrub_request,
        "before_record_response": chosen.scrub_response,
        "decode_compressed_response": True,
        "serializer": "yaml",
        "record_on_exception": False,
    }
    config.update(overrides)
    return config


def make_vcr(
    cassette_dir: str | Path,
    record_mode: str = "none",
    *,
    scrubber: Scrubber | None = None,
    **overrides: Any,
) -> vcr.VCR:
    """A ``vcr.VCR`` reading and writing ``<cassette_dir>/<name>.yaml``, with the scrubbing
    hooks and this package's matchers (``DEFAULT_MATCH_ON``) registered.

    ``record_mode="none"`` (the default) replays only: a request that is not in the
    cassette raises vcrpy's ``CannotOverwriteExistingCassetteException``. Without vcrpy
    installed, ``MissingTestingExtra`` names the extra to install.
    """
    vcrpy = require("vcr", "vcrpy")
    config = vcr_config(scrubber=scrubber, record_mode=record_mode, match_on=DEFAULT_MATCH_ON)
    config.update(overrides)
    recorder = vcrpy.VCR(
        cassette_library_dir=str(cassette_dir),
        path_transformer=vcrpy.VCR.ensure_suffix(".yaml"),
        **config,
    )
    return register_matchers(recorder)

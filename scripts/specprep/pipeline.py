"""Preparation from a prepare.yaml to a document ready for the generator."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import PrepareConfig, load_config
from .deviations import apply_deviations
from .documents import load_mapping
from .errors import PrepareError
from .keep import OperationKey, keep_operations, list_operations
from .overlay import apply_overlay
from .repairs import run_repairs
from .repairs.compositions import find_composition_cycle


@dataclass
class Preparation:
    """The prepared document and what was done to it."""

    config: PrepareConfig
    document: dict[str, Any]
    operations: list[OperationKey]
    overlay_messages: list[str] = field(default_factory=list)
    repairs: dict[str, list[str]] = field(default_factory=dict)
    deviation_messages: list[str] = field(default_factory=list)

    @property
    def repair_count(self) -> int:
        """How many changes the repairs made in total."""
        return sum(len(messages) for messages in self.repairs.values())


def prepare(prepare_yaml: Path) -> Preparation:
    """Load ``prepare_yaml`` and its source, then apply the declared deviations, overlays,
    ``keep`` and repairs.

    Deviations and overlays come first because they are written against the source file
    as published;
    ``keep`` next, so repairs only touch (and report on) what the client will contain.
    """
    config = load_config(prepare_yaml)
    return prepare_document(config, load_mapping(config.source, "OpenAPI document"))


def prepare_document(config: PrepareConfig, document: dict[str, Any]) -> Preparation:
    """Apply ``config`` to an already loaded ``document`` (edited in place)."""
    if not str(document.get("openapi", "")).startswith("3."):
        raise PrepareError(f"{config.source}: not an OpenAPI 3.x document (no 'openapi: 3.x')")
    deviation_messages = apply_deviations(document, config.deviations)
    overlay_messages = []
    for overlay_path in config.overlays:
        overlay = load_mapping(overlay_path, "overlay")
        overlay_messages += apply_overlay(document, overlay, source=overlay_path.name)
    if config.keep is not None:
        keep_operations(document, list(config.keep))
    repairs = run_repairs(document, list(config.repairs))
    cycle = find_composition_cycle(document)
    if cycle is not None:
        raise PrepareError(
            f"{config.source}: schemas that include themselves through allOf/oneOf/anyOf "
            f"({' -> '.join(cycle)}): no generator can expand them; the "
            "'recursive-compositions' repair splits a union whose variants include it"
        )
    return Preparation(
        config=config,
        document=document,
        operations=list_operations(document),
        overlay_messages=overlay_messages,
        repairs=repairs,
        deviation_messages=deviation_messages,
    )

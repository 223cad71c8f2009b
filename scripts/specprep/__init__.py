"""Declarative preparation of OpenAPI files for openapi-python-client.

A ``prepare.yaml`` next to each spec says which operations to keep (with everything they
reference), which OpenAPI Overlay 1.0 documents to apply and which generic repairs to run.
:func:`prepare` applies it and returns the prepared document with a report of every change.
"""

from .config import PrepareConfig, load_config
from .deviations import Deviations, apply_deviations
from .documents import dump_json, load_document
from .errors import PrepareError
from .keep import OperationKey, keep_operations
from .overlay import apply_overlay
from .pipeline import Preparation, prepare, prepare_document
from .repairs import REPAIR_NAMES, REPAIRS, run_repairs

__all__ = [
    "REPAIRS",
    "REPAIR_NAMES",
    "Deviations",
    "OperationKey",
    "Preparation",
    "PrepareConfig",
    "PrepareError",
    "apply_deviations",
    "apply_overlay",
    "dump_json",
    "keep_operations",
    "load_config",
    "load_document",
    "prepare",
    "prepare_document",
    "run_repairs",
]

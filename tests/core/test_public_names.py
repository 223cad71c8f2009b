"""The package's lazily loaded names stay in step with the modules they come from.

``expense_facade/__init__.py`` lists the error and record names by hand so that importing
the package does not import attrs; these tests make that list impossible to let drift.
"""

from __future__ import annotations

import expense_facade as ef
import pytest
from expense_facade import errors, records

MODULES = (errors, records)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_public_name_of_the_module_is_the_packages(module: object) -> None:
    for name in module.__all__:  # type: ignore[attr-defined]
        assert name in ef.__all__, f"{name} missing from expense_facade.__all__"
        assert getattr(ef, name) is getattr(module, name), name


def test_every_lazily_loaded_name_exists_where_the_package_looks_for_it() -> None:
    lazy = ef._ERROR_NAMES | ef._RECORD_NAMES
    for name in lazy:
        assert getattr(ef, name) is not None, name
    assert frozenset(errors.__all__) == ef._ERROR_NAMES
    assert frozenset(records.__all__) >= ef._RECORD_NAMES

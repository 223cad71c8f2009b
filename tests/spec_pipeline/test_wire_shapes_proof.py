"""The spec reaches the type checker: a response field the adapter reads, renamed, removed or
retyped in specs/<vendor>/openapi.yaml, fails mypy in the adapter and in the simulator.

Per vendor of ``support.spec_mutations.PROBES``: copy the vendor's spec folder and the
generated packages into a temporary folder, apply the three edits (each to its own field
of one response schema), regenerate that vendor there with scripts/regenerate.py, and run
mypy --strict on the adapter and the simulator of this repository against the regenerated
package. Then, for each edit:

* every line of the adapter that reads the field (holds its quoted name) has an error;
* the simulator has an error naming the field (the answer it builds no longer fits).

A control run on the unedited copy is clean, so the errors come from the edits alone.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from support.spec_mutations import (
    PROBES,
    FieldProbe,
    RetypeProbe,
    apply_probe,
    copy_spec,
    load,
    save,
)
from support.spec_pipeline import GENERATED, REGENERATE, REPO

pytestmark = pytest.mark.slow  # a regeneration and two mypy runs per vendor

_ERROR = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): error: (?P<message>.*)$", re.M)

MYPY_CONFIG = """\
[mypy]
strict = True
python_version = 3.11
mypy_path = {generated}:{facade}
cache_dir = {cache}

[mypy-expense_clients.*]
ignore_errors = True
"""


def regenerate(vendor: str, specs: Path, generated: Path) -> None:
    """Regenerate ``vendor`` from ``specs`` into ``generated`` (a copy of generated/)."""
    command = [sys.executable, str(REGENERATE), "--vendor", vendor]
    command += ["--specs", str(specs), "--output", str(generated)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr


def mypy_errors(
    probe: FieldProbe | RetypeProbe, generated: Path, cache: Path
) -> dict[str, list[str]]:
    """mypy's errors in the probe's adapter and simulator: ``"path:line" -> messages``."""
    config = generated.parent / "mypy.ini"
    config.write_text(
        MYPY_CONFIG.format(generated=generated, facade=REPO / "facade", cache=cache),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "mypy", "--config-file", str(config), "--no-error-summary"]
    command += [probe.adapter, probe.simulator]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
    errors: dict[str, list[str]] = defaultdict(list)
    for match in _ERROR.finditer(completed.stdout):
        errors[f"{match['path']}:{match['line']}"].append(match["message"])
    if completed.returncode not in (0, 1) or (completed.returncode == 1 and not errors):
        pytest.fail(f"mypy did not run: {completed.stdout}{completed.stderr}")
    return errors


def reading_lines(path: str, field: str) -> list[int]:
    """Lines of ``path`` that read ``field`` (hold it as a quoted key, outside comments)."""
    lines = (REPO / path).read_text(encoding="utf-8").splitlines()
    quoted = f'"{field}"'
    return [n for n, line in enumerate(lines, 1) if quoted in line.split("#", 1)[0]]


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for every run here: the second run only re-checks what the edit touched."""
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.mark.parametrize("vendor", sorted(PROBES))
def test_renamed_removed_and_retyped_fields_fail_mypy_in_adapter_and_simulator(
    vendor: str, tmp_path: Path, mypy_cache: Path
) -> None:
    probe = PROBES[vendor]
    specs, generated = tmp_path / "specs", tmp_path / "generated"
    folder = copy_spec(vendor, specs)
    shutil.copytree(GENERATED, generated, ignore=shutil.ignore_patterns("__pycache__"))

    assert mypy_errors(probe, generated, mypy_cache) == {}, "clean before the edits"

    document = load(folder)
    apply_probe(document, probe)
    save(folder, document)
    regenerate(vendor, specs, generated)
    errors = mypy_errors(probe, generated, mypy_cache)

    for field in probe.fields:
        lines = reading_lines(probe.adapter, field)
        assert lines, f"{probe.adapter} does not read {field!r}: pick another probe field"
        unreported = [n for n in lines if f"{probe.adapter}:{n}" not in errors]
        assert not unreported, f"{field}: no mypy error at {probe.adapter} lines {unreported}"
        in_simulator = [
            message
            for where, messages in errors.items()
            if where.startswith(f"{probe.simulator}:")
            for message in messages
            if f'"{field}"' in message
        ]
        assert in_simulator, f"{field}: no mypy error in {probe.simulator}: {dict(errors)}"

"""Cassettes in an integration's own CI (docs/cassettes.md): the small pytest project the page
shows (pytest-recording with the library's ``vcr_config``; a sync and an async test)
records against the loopback sandbox with ``--record-mode=once``, then replays with
``--block-network`` (the sandbox stopped, a placeholder credential); what it recorded holds
no credential, and the async test recorded the sync test's cassette byte for byte."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from expense_facade.sandbox import Sandbox
from expense_facade.testing.cassettes import PLACEHOLDER_ORIGIN, SecretScanner

VENDOR = "brex"

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cassettes.md"
# A file the page shows: a marker line naming it, then its Python code block.
SHOWN_FILE = re.compile(
    r"^<!-- file: (?P<name>[\w.]+) -->\n```python\n(?P<code>.*?)^```$", re.DOTALL | re.MULTILINE
)

# Beside the page's files, a test that holds the replay to the sandbox's ground truth.
GROUND_TRUTH = """
import json
import os

import expense_facade as ef
import pytest


@pytest.mark.vcr
def test_the_listing_is_the_sandbox_ground_truth():
    with ef.connect("brex", token=os.environ["BREX_TOKEN"], base_url=os.environ["BREX_URL"],
                    max_retries=0, rate_limit=False) as client:
        ids = [e.id for e in client.list_approved(page_size=4)]
    assert ids == json.loads(os.environ["EXPECTED_IDS"])
"""


def documented_project() -> dict[str, str]:
    """The files docs/cassettes.md shows for an integration's suite, by name."""
    files = {m["name"]: m["code"] for m in SHOWN_FILE.finditer(DOCS.read_text("utf-8"))}
    assert set(files) == {"conftest.py", "test_brex_export.py", "test_brex_export_async.py"}
    return files


def run_pytest(project: Path, env: dict[str, str], *options: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options],
        cwd=project,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "3 passed" in result.stdout


@pytest.mark.slow
def test_a_pytest_recording_suite_records_from_the_sandbox_and_replays_offline(
    tmp_path: Path,
) -> None:
    project = tmp_path / "integration"
    project.mkdir()
    (project / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # its own rootdir
    for name, code in {**documented_project(), "test_ground_truth.py": GROUND_TRUTH}.items():
        (project / name).write_text(code, encoding="utf-8")
    sb = Sandbox(seed=5, size=30, vendors=(VENDOR,))
    token = sb.credentials(VENDOR)["token"]
    expected = [str(i) for i in sb.vendor(VENDOR).approved_ids()]
    assert len(expected) > 4  # several pages, so several recorded interactions
    env = {"EXPECTED_IDS": json.dumps(expected), "BREX_TOKEN": token}

    with sb.serve(port=0) as server:
        base_url = server.base_url(VENDOR)
        run_pytest(project, {**env, "BREX_URL": base_url}, "--record-mode=once")
    recorded = {p.relative_to(project).as_posix(): p for p in project.rglob("*.yaml")}
    assert sorted(recorded) == [
        "cassettes/test_brex_export/test_approved_expenses_are_listed_with_their_details.yaml",
        "cassettes/test_brex_export_async/"
        "test_approved_expenses_are_listed_with_their_details_async.yaml",
        "cassettes/test_ground_truth/test_the_listing_is_the_sandbox_ground_truth.yaml",
    ]
    texts = {name: path.read_text(encoding="utf-8") for name, path in recorded.items()}
    documented, documented_async, ground_truth = (texts[name] for name in sorted(texts))
    assert documented.count("uri:") == 2  # the docs' test is bounded: one page, one detail
    assert documented_async == documented  # aconnect recorded the very same cassette
    assert ground_truth.count("uri:") >= 3  # every page
    for text in texts.values():
        assert token not in text
        assert urlsplit(base_url).netloc not in text  # the loopback origin is replaced
    assert SecretScanner([token]).scan_tree(project / "cassettes") == []

    # Replay: the server is gone, the network blocked, the credential a placeholder.
    replay_url = PLACEHOLDER_ORIGIN + urlsplit(base_url).path
    replay = {**env, "BREX_URL": replay_url, "BREX_TOKEN": "placeholder-credential"}
    run_pytest(project, replay, "--block-network")
    assert {n: p.read_text(encoding="utf-8") for n, p in recorded.items()} == texts  # unchanged

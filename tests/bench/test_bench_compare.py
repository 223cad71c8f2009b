"""``bench.py --compare REV``'s parts: a temporary checkout of a revision, and children
that import the package from the checkout they are told (a comparison of a checkout with
itself would say nothing). No timing is asserted."""

from __future__ import annotations

import subprocess
from pathlib import Path

import bench
import bench_loopback
import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # a git worktree and a few child processes


def test_a_checkout_of_a_revision_is_made_and_removed() -> None:
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    with bench.checkout_of(head) as tree:
        assert (tree / "facade" / "expense_facade" / "__init__.py").is_file()
        made = tree
    assert not made.exists()
    listed = subprocess.run(
        ["git", "worktree", "list"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert str(made) not in listed


def test_loopback_runs_each_checkout_from_its_own_folder(tmp_path: Path) -> None:
    with bench.checkout_of("HEAD") as tree:
        data = bench_loopback.measure(
            "revolut", 200, 1, {}, tmp_path, {"before": tree, "after": None}
        )
    assert data["listed"] > 0
    assert data["requests"] >= 1
    before, after, plain = data["before"][0], data["after"][0], data["plain"][0]
    assert Path(before["package"]) == tree.resolve() / "facade" / "expense_facade"
    assert Path(after["package"]) == REPO / "facade" / "expense_facade"
    assert before["count"] == after["count"] == data["listed"]
    assert plain["count"] == data["requests"]
    for run in (before, after, plain):
        assert run["cpu"] > 0
        assert run["peak_rss_mb"] > 0


def test_a_child_from_another_folder_is_refused() -> None:
    with pytest.raises(RuntimeError, match="not"):
        bench_loopback.check_package(str(REPO / "facade" / "expense_facade"), Path("/elsewhere"))

"""README.md is short, its example runs, and it works as the package's long description."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import expense_facade as ef
import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"

# [text](target) and ![alt](target), reference definitions "[x]: target", HTML href/src.
_LINK_TARGETS = re.compile(
    r"\]\(\s*<?([^)\s>]+)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$|(?:href|src)\s*=\s*[\"']([^\"']+)",
    re.MULTILINE,
)


def _link_targets(markdown: str) -> list[str]:
    return [next(g for g in match.groups() if g) for match in _LINK_TARGETS.finditer(markdown)]


def _is_relative(target: str) -> bool:
    return not re.match(r"(?i)^(https?:|mailto:|#)", target)


def test_the_readme_is_short() -> None:
    assert len(README.read_text().splitlines()) < 200


def test_the_readme_keeps_the_quickstart_commands() -> None:
    text = README.read_text()
    assert "make demo" in text
    assert "make test" in text


def test_the_long_description_has_no_relative_link() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    readme = project["readme"]
    path = ROOT / (readme if isinstance(readme, str) else readme["file"])
    relative = [t for t in _link_targets(path.read_text()) if _is_relative(t)]
    assert relative == [], f"{path.name} is the package's long description"


@pytest.mark.parametrize(
    ("markdown", "targets"),
    [
        ("see [the guide](docs/library.md).", ["docs/library.md"]),
        ("![logo](img/logo.png)", ["img/logo.png"]),
        ("[guide]: docs/command.md", ["docs/command.md"]),
        ('<a href="docs/x.md">x</a>', ["docs/x.md"]),
        (
            "[site](https://example.com/docs) [top](#install)",
            ["https://example.com/docs", "#install"],
        ),
    ],
)
def test_the_link_finder_sees_every_kind_of_link(markdown: str, targets: list[str]) -> None:
    assert _link_targets(markdown) == targets


def test_every_docs_page_the_readme_names_exists() -> None:
    named = re.findall(r"`(docs/[\w./-]+\.md)`", README.read_text())
    assert named, "the README names no docs page"
    for page in named:
        assert (ROOT / page).is_file(), page
    for short in re.findall(r"`(\w+\.md)`", README.read_text()):
        assert (ROOT / "docs" / "vendors" / short).is_file(), short


def test_every_docs_page_is_named_in_the_readme() -> None:
    text = README.read_text()
    for page in sorted((ROOT / "docs").rglob("*.md")):
        relative = page.relative_to(ROOT).as_posix()
        assert relative in text or f"`{page.name}`" in text, f"README does not name {relative}"


def test_the_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    text = README.read_text()
    code = text.split("## One example", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md (One example)", "exec"), {})  # noqa: S102
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 10
    assert all(" approved APPROVED" in line for line in lines), lines[:3]


def test_the_readme_async_example_runs() -> None:
    import asyncio

    text = README.read_text().split("## One example", 1)[1].split("## Vendors", 1)[0]
    code = text.split("```python\n")[2].split("```", 1)[0]
    namespace: dict[str, object] = {"ef": ef}
    exec(compile(code, "README.md (async example)", "exec"), namespace)  # noqa: S102
    ids = asyncio.run(namespace["approved_ids"]())  # type: ignore[operator]
    with ef.connect("brex", sandbox=True) as client:
        assert ids == [expense.id for expense in client.list_approved()]
    assert len(ids) > 10


def test_the_readme_capability_table_is_the_clients_capability_sets() -> None:
    table = README.read_text().split("## Vendors and operations", 1)[1].split("## ", 1)[0]
    rows = [line.strip("|").split("|") for line in table.splitlines() if line.startswith("| `")]
    vendors = ef.available_vendors()
    shown = {
        cells[0].strip().strip("`"): {
            vendor for vendor, cell in zip(vendors, cells[1:], strict=True) if cell.strip() == "yes"
        }
        for cells in rows
    }
    expected = {
        operation.value: {vendor for vendor in vendors if operation in ef.capabilities(vendor)}
        for operation in ef.ALL_OPERATIONS
    }
    assert shown == expected

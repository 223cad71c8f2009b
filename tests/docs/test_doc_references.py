"""What the docs and the code cite is there: no reference to a document outside the
repository, every link between docs pages lands on a file and a heading, and the error
line docs/library.md shows is the one the library writes."""

from __future__ import annotations

import re
from pathlib import Path

import expense_facade as ef
import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = ("DESIGN.md", "RELIABILITY.md", "VENDORS.md")
"""Documents of the project's own team, not in the repository: users never see them."""
CITING = [
    *sorted((ROOT / "docs").rglob("*.md")),
    ROOT / "README.md",
    *sorted((ROOT / "facade").rglob("*.py")),
    *sorted((ROOT / "scripts").rglob("*.py")),
    *sorted((ROOT / "tests" / "support").glob("*.py")),
]
LINK = re.compile(r"\]\((?P<path>[^)#\s]+\.md)(?:#(?P<anchor>[^)\s]+))?\)")


def slug(heading: str) -> str:
    """The anchor a Markdown renderer (GitHub's) gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {slug(m[1]) for m in re.finditer(r"^#+ (.+)$", page.read_text(), re.MULTILINE)}


@pytest.mark.parametrize("path", CITING, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_reference_to_a_document_outside_the_repository(path: Path) -> None:
    text = path.read_text("utf-8")
    cited = [name for name in OUTSIDE if re.search(rf"(?<!\w){re.escape(name)}", text)]
    assert cited == [], f"{path.relative_to(ROOT)} cites {cited}, not in the repository"


def test_every_link_between_pages_lands_on_a_file_and_a_heading() -> None:
    broken = []
    for page in [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]:
        for match in LINK.finditer(page.read_text()):
            if match["path"].startswith("http"):
                continue
            target = (page.parent / match["path"]).resolve()
            if not target.is_file():
                broken.append(f"{page.name}: {match[0]} (no such file)")
            elif match["anchor"] and match["anchor"] not in anchors(target):
                broken.append(f"{page.name}: {match[0]} (no such heading)")
    assert broken == []


def test_the_error_line_library_md_shows_is_the_librarys() -> None:
    text = (ROOT / "docs" / "library.md").read_text()
    [shown] = re.findall(r"`(\w+: HTTP 404 [^`]+)`", text)
    vendor = shown.split(":")[0]
    with ef.connect(vendor, sandbox=True) as client, pytest.raises(ef.NotFoundError) as caught:
        client.get_expense("00000000-0000-4000-8000-000000000000")
    assert str(caught.value) == shown

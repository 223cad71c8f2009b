"""The docs show exactly the example programs that the test suite runs, and their
snippets run."""

from __future__ import annotations

from pathlib import Path

import docs_examples

ROOT = Path(__file__).resolve().parents[2]


def _all_docs() -> str:
    return "\n".join(page.read_text() for page in docs_examples.pages())


def test_the_docs_show_every_example_program_verbatim() -> None:
    docs = _all_docs()
    programs = sorted((ROOT / "examples").glob("*.py"))
    assert programs, "no example programs found"
    for program in programs:
        block = f"```python\n{program.read_text().rstrip()}\n```"
        assert block in docs, f"no docs page shows {program.name} as it is"


def test_a_vendors_programs_are_on_its_own_page() -> None:
    import expense_facade as ef

    for vendor in ef.available_vendors():
        page = ROOT / "docs" / "vendors" / f"{vendor}.md"
        shown = docs_examples.shown_in(page.read_text())
        programs = sorted((ROOT / "examples").glob(f"{vendor}_*.py"))
        assert programs, f"no example programs for {vendor}"
        assert sorted(shown) == [f"examples/{p.name}" for p in programs], page


def test_the_docs_pages_are_what_the_generator_writes() -> None:
    for page in docs_examples.pages():
        text = page.read_text()
        assert docs_examples.render(text) == text, f"run scripts/docs_examples.py ({page})"
    assert docs_examples.main(["--check"]) == 0


def test_a_stale_block_is_replaced_and_reported(tmp_path: Path) -> None:
    stale = "intro\n<!-- example: examples/brex_get_expense.py -->\n```python\nold\n```\nafter\n"
    fresh = docs_examples.render(stale)
    program = (ROOT / "examples" / "brex_get_expense.py").read_text().rstrip()
    assert fresh == (
        f"intro\n<!-- example: examples/brex_get_expense.py -->\n```python\n{program}\n```\nafter\n"
    )
    assert docs_examples.shown_in(fresh) == ["examples/brex_get_expense.py"]


def test_every_vendor_operation_in_the_capabilities_has_a_program() -> None:
    import expense_facade as ef

    for vendor in ef.available_vendors():
        for operation in ef.capabilities(vendor):
            program = ROOT / "examples" / f"{vendor}_{operation.value}.py"
            assert program.exists(), f"no example program for {vendor} {operation.value}"


def _first_python_block(text: str, after: str) -> str:
    section = text.split(after, 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_sandbox_snippet_runs() -> None:
    code = _first_python_block((ROOT / "docs" / "sandbox.md").read_text(), "# The sandbox")
    namespace: dict[str, object] = {}
    exec(compile(code, "docs/sandbox.md", "exec"), namespace)  # noqa: S102
    sandbox = namespace["sb"]
    assert len(namespace["ids"]) > 0  # type: ignore[arg-type]
    assert sandbox.clock.sleeps == [2.0, 2.0]  # type: ignore[attr-defined]

"""The README shows exactly the example programs that the test suite runs."""

from __future__ import annotations

from pathlib import Path

import readme_examples

ROOT = Path(__file__).resolve().parents[2]


def test_readme_shows_every_example_program_verbatim() -> None:
    readme = (ROOT / "README.md").read_text()
    programs = sorted((ROOT / "examples").glob("*.py"))
    assert programs, "no example programs found"
    for program in programs:
        block = f"```python\n{program.read_text().rstrip()}\n```"
        assert block in readme, f"README does not show {program.name} as it is"


def test_readme_section_is_what_the_generator_writes() -> None:
    readme = (ROOT / "README.md").read_text()
    assert readme_examples.render() in readme, "run scripts/readme_examples.py"


def test_every_vendor_operation_in_the_capabilities_has_a_program() -> None:
    import expense_facade as ef

    for vendor in readme_examples.VENDORS:
        for operation in ef.capabilities(vendor):
            program = ROOT / "examples" / f"{vendor}_{operation.value}.py"
            assert program.exists(), f"no example program for {vendor} {operation.value}"


def test_the_readme_sandbox_snippet_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## The sandbox", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md (The sandbox)", "exec"), namespace)  # noqa: S102
    sandbox = namespace["sb"]
    assert len(namespace["ids"]) > 0  # type: ignore[arg-type]
    assert sandbox.clock.sleeps == [2.0, 2.0]  # type: ignore[attr-defined]

"""Step functions of the Gherkin library: none hides a name its module imports or defines (a step named
like the shared action it calls would call itself; a step defined twice runs one body or the other
depending on how the step is written), and the steps once hidden that way run."""

import ast
from pathlib import Path

import sim.bdd
from tests.gherkin_runner import first_line, run_feature

STEP_MODULES = sorted(Path(sim.bdd.__file__).parent.glob("steps_*.py"))


def _hidden_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    hidden = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [(alias.asname or alias.name).split(".")[0] for alias in node.names]
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names = [node.name]
        else:
            continue
        for name in names:
            if name in seen:
                hidden.append(f"{path.name}:{node.lineno} {name} (first at line {seen[name]})")
            seen[name] = node.lineno
    return hidden


def test_no_step_function_hides_an_imported_or_earlier_name():
    assert STEP_MODULES, "no step modules found"
    assert [hidden for path in STEP_MODULES for hidden in _hidden_names(path)] == []


def test_the_checker_finds_a_step_named_like_what_it_imports(tmp_path):
    module = tmp_path / "steps_x.py"
    module.write_text(
        "from a import act\n\ndef act():\n    act()\n\ndef twice():\n    pass\n\ndef twice():\n    pass\n"
    )
    assert _hidden_names(module) == ["steps_x.py:3 act (first at line 1)", "steps_x.py:9 twice (first at line 6)"]


FEATURE = """\
Feature: Run as administrator

  Scenario: Web Connector set to run as administrator, and back
    Given "Acme Properties" is linked to STRATAFOLIO
    When Web Connector on the server is set to run as administrator
    And Web Connector on the server is no longer set to run as administrator
    And "Acme Properties" is synced in Web Connector
    Then the sync of "Acme Properties" succeeds

  Scenario: A plain member, given on its own
    Given "member@acme.example" is a STRATAFOLIO member without Administrator rights
"""


def test_the_run_as_administrator_step_and_the_plain_member_given_run(tmp_path):
    reports = run_feature(tmp_path, FEATURE)
    assert len(reports) == 2
    for title, report in reports.items():
        assert report.passed, f"{title}: {first_line(report)}"

"""sim/ depends one way: no import circle, and no module importing a layer above its own.

Every import in sim/ counts: at the top of a module, under `if TYPE_CHECKING:`, and late ones inside
functions (all three make circles a reader has to untangle, and the type checker follows the second).
`LAYERS` is the table README's "Layers" paragraph describes, bottom first; a module may import its own
layer and those below. A lower layer names an upper part through the protocols of sim.parts, which
the last test holds to the classes they stand for.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from pathlib import Path
from typing import Protocol

SIM = Path(__file__).resolve().parent.parent / "sim"

#: Bottom first. A module's layer is that of the longest name here it equals or lies under.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("sim", "sim.errors", "sim.text", "sim.trace", "sim.parts", "sim.console", "sim.output_files"),
    ("sim.windows",),
    ("sim.quickbooks",),
    ("sim.webconnector",),
    ("sim.stratafolio",),
    ("sim.world", "sim.people", "sim.office", "sim.scenario"),
    ("sim.expectations", "sim.service_checks", "sim.scenario_run"),
    ("sim.claims",),
    ("sim.report",),
    ("sim.bdd", "sim.diagnose", "sim.explore", "sim.run_command", "sim.wire_commands", "sim.new_scenario"),
    ("sim.cli", "sim.__main__"),
)

#: Each protocol of sim.parts and the class it stands for.
PROTOCOLS = {
    "World": "sim.world:World",
    "Host": "sim.windows.host:Host",
    "QuickBooksDesktop": "sim.quickbooks.desktop:QuickBooksDesktop",
    "WebConnector": "sim.webconnector.connector:WebConnector",
    "QwcLog": "sim.webconnector.log:QwcLog",
    "UpdateSession": "sim.webconnector.update_session:UpdateSession",
    "StratafolioService": "sim.stratafolio.service:StratafolioService",
    "ScenarioRun": "sim.scenario_run:ScenarioRun",
}


def modules(root: Path) -> dict[str, tuple[Path, bool]]:
    """Module name -> (its file, whether it is a package's __init__), for every .py under root/sim."""
    found = {}
    for path in sorted((root / "sim").rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def imports(name: str, source: str, is_package: bool, known: set[str]) -> list[tuple[str, int, str]]:
    """The modules of `known` that module `name` imports: (module, line, how), how being "runtime",
    "TYPE_CHECKING" or "late" (inside a function)."""

    def owner(dotted: str) -> str | None:
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    package = name if is_package else name.rpartition(".")[0]
    found: list[tuple[str, int, str]] = []

    def visit(node: ast.AST, how: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = how
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                inner = "TYPE_CHECKING"
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                inner = "late"
            if isinstance(child, ast.Import):
                targets = [owner(alias.name) for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    up = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    base = ".".join(up + ([base] if base else []))
                targets = [
                    owner(f"{base}.{alias.name}") if f"{base}.{alias.name}" in known else owner(base)
                    for alias in child.names
                ]
            else:
                targets = []
            found.extend((target, child.lineno, inner) for target in targets if target and target != name)
            visit(child, inner)

    visit(ast.parse(source), "runtime")
    return found


def import_graph(root: Path) -> dict[str, dict[str, list[str]]]:
    """module -> imported module -> where ("sim/x.py:12 (late)", ...)."""
    found = modules(root)
    graph: dict[str, dict[str, list[str]]] = {name: {} for name in found}
    for name, (path, is_package) in found.items():
        for target, line, how in imports(name, path.read_text(encoding="utf-8"), is_package, set(found)):
            graph[name].setdefault(target, []).append(f"{path.relative_to(root).as_posix()}:{line} ({how})")
    return graph


def circles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def layer_of(name: str) -> int | None:
    best = None
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[1])):
                best = (number, prefix)
    return None if best is None else best[0]


def upward_imports(graph: dict[str, dict[str, list[str]]]) -> list[str]:
    return [
        f"{name} (layer {layer_of(name)}) imports {target} (layer {layer_of(target)}) at {', '.join(where)}"
        for name, targets in graph.items()
        for target, where in targets.items()
        if (layer_of(name) or 0) < (layer_of(target) or 0)
    ]


# --- the rules, over sim/ -------------------------------------------------------------------------
def test_no_import_circle_in_sim():
    graph = import_graph(SIM.parent)
    problems = [
        "circle: "
        + " <-> ".join(component)
        + "\n"
        + "\n".join(
            f"    {name} -> {target}: {', '.join(graph[name][target])}"
            for name in component
            for target in component
            if target in graph[name]
        )
        for component in circles(graph)
    ]
    assert not problems, "\n".join(problems)


def test_every_module_of_sim_has_a_layer():
    assert [name for name in modules(SIM.parent) if layer_of(name) is None] == []


def test_no_module_imports_a_layer_above_its_own():
    assert upward_imports(import_graph(SIM.parent)) == []


def test_every_protocol_member_is_a_member_of_the_class_it_stands_for():
    parts = importlib.import_module("sim.parts")

    class Empty(Protocol):
        pass

    machinery = set(vars(Empty))  # what typing puts on every protocol class
    missing = []
    for protocol_name, where in PROTOCOLS.items():
        module_name, class_name = where.split(":")
        cls = getattr(importlib.import_module(module_name), class_name)
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
        assigned = {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        }
        protocol = getattr(parts, protocol_name)
        declared = {name for name in vars(protocol) if name not in machinery}
        declared |= set(getattr(protocol, "__annotations__", {}))
        missing += [
            f"{protocol_name}.{name} ({where})"
            for name in sorted(declared)
            if not hasattr(cls, name) and name not in assigned
        ]
    assert sorted(PROTOCOLS) == sorted(parts.__all__)
    assert missing == []


# --- the checker itself: each kind of import is seen, and a circle or an upward import is caught ---
def _graph_of(tmp_path: Path, files: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return import_graph(tmp_path)


def test_runtime_type_checking_late_and_relative_imports_are_all_edges(tmp_path):
    graph = _graph_of(
        tmp_path,
        {
            "sim/__init__.py": "",
            "sim/windows/__init__.py": "",
            "sim/windows/a.py": """
            from typing import TYPE_CHECKING
            import sim.errors
            if TYPE_CHECKING:
                from sim.world import World
            def later():
                from sim.windows import b
            from .c import thing
            """,
            "sim/windows/b.py": "",
            "sim/windows/c.py": "",
            "sim/errors.py": "",
            "sim/world.py": "",
        },
    )
    hows = {target: where[0].rsplit("(", 1)[1].rstrip(")") for target, where in graph["sim.windows.a"].items()}
    assert hows == {
        "sim.errors": "runtime",
        "sim.world": "TYPE_CHECKING",
        "sim.windows.b": "late",
        "sim.windows.c": "runtime",
    }


def test_a_circle_through_a_type_checking_import_is_named(tmp_path):
    graph = _graph_of(
        tmp_path,
        {
            "sim/__init__.py": "",
            "sim/world.py": "from sim.windows.host import Host\n",
            "sim/windows/__init__.py": "",
            "sim/windows/host.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from "
            "sim.world import World\n",
        },
    )
    assert circles(graph) == [["sim.windows.host", "sim.world"]]


def test_an_import_of_a_higher_layer_is_named_with_its_line(tmp_path):
    graph = _graph_of(
        tmp_path,
        {
            "sim/__init__.py": "",
            "sim/world.py": "",
            "sim/windows/__init__.py": "",
            "sim/windows/host.py": "def later():\n    import sim.world\n",
        },
    )
    assert upward_imports(graph) == [
        "sim.windows.host (layer 1) imports sim.world (layer 5) at sim/windows/host.py:2 (late)"
    ]

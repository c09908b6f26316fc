"""The project's module import graph is acyclic and every import sits at module level.

The graph covers the project's packages (``PACKAGES``). An edge goes from a module to the most
specific project module an import names (``from a.b import c`` is ``a.b.c`` when that is a module,
otherwise ``a.b``). Imports under ``if TYPE_CHECKING:`` are left out: they never run.

An import inside a function body (or through importlib) hides a dependency, and usually a cycle;
the few allowed ones are listed below with their reason. A cycle is broken by moving code to the
module it belongs in, never by hiding the import.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("junipeer_bc", "integrations", "syncs", "simulators")

# Files whose function bodies may import, and why.
FUNCTION_IMPORT_EXCEPTIONS = {
    # The demo command is an interface for newcomers: it starts the simulators (and their heavy
    # dependencies) only when run, so the product never loads them.
    "syncs/demo/": "demo package: starts the simulators on demand",
    "syncs/management/commands/demo.py": "demo command: loads the demo package on demand",
    # Django's documented place to register system checks once the app registry is ready.
    "junipeer_bc/apps.py": "AppConfig.ready registers the system checks",
    "syncs/apps.py": "AppConfig.ready loads the sub-packages' admin modules after syncs/admin.py",
}

# Files still allowed function-level imports while a move is under way (none now).
TEMPORARY_FUNCTION_IMPORTS: set[str] = set()


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(body: list[ast.stmt]):
    """Imports that run when the module loads: not in functions, not under TYPE_CHECKING."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from _module_level_imports(node.orelse)
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            children = getattr(node, field, None)
            if isinstance(children, list):
                yield from _module_level_imports([child for child in children if isinstance(child, ast.stmt)])
        for handler in getattr(node, "handlers", []) or []:
            yield from _module_level_imports(handler.body)


def _function_imports(tree: ast.Module) -> list[ast.stmt]:
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if in_function and isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append(child)
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(tree, False)
    return found


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in _module_level_imports(tree.body):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package
                    for _ in range(node.level - 1):
                        anchor = anchor.rpartition(".")[0]
                    base = f"{anchor}.{base}" if base else anchor
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
                ]
            edges.update(target for target in map(lambda t: _resolve(t, modules), targets) if target)
        edges.discard(name)
        graph[name] = edges
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
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
                    components.append(sorted(component))
    return components


def test_no_import_cycles_between_modules():
    assert _cycles(_graph()) == []


def test_no_imports_inside_functions():
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "migrations" in path.parts or rel.startswith(tuple(FUNCTION_IMPORT_EXCEPTIONS)):
                continue
            if rel in TEMPORARY_FUNCTION_IMPORTS:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            offenders += [f"{rel}:{node.lineno}" for node in _function_imports(tree)]
    assert offenders == []


# importlib hides an import from both checks above; only the two registries that import every
# module of their own package (so a new flow or payout provider needs no wiring) use it.
IMPORTLIB_ALLOWED = ("syncs/flows/__init__.py", "syncs/payouts/providers/__init__.py", "syncs/demo/")


def test_no_hidden_imports_through_importlib():
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "migrations" in path.parts or rel.startswith(IMPORTLIB_ALLOWED):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                if any(name.split(".")[0] == "importlib" for name in names):
                    offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []


def test_the_temporary_list_names_only_files_that_still_need_it():
    stale = []
    for rel in sorted(TEMPORARY_FUNCTION_IMPORTS):
        path = ROOT / rel
        if not path.exists() or not _function_imports(ast.parse(path.read_text(encoding="utf-8"))):
            stale.append(rel)
    assert stale == []


def test_the_checks_can_fail():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    tree = ast.parse("import os\ndef f():\n    import json\n")
    assert [node.lineno for node in _function_imports(tree)] == [3]
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import x\nelse:\n    import y\n")
    assert [ast.unparse(node) for node in _module_level_imports(tree.body)] == [
        "from typing import TYPE_CHECKING",
        "import y",
    ]

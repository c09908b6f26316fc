"""The architecture's boundaries (docs/architecture.md), enforced.

- Only connectors speak vendor protocols: nothing else imports requests, msal or stripe.
- The product never imports the simulators; only the demo command (an interface for newcomers)
  starts them.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_PACKAGES = ("integrations", "syncs", "junipeer_bc")
VENDOR_LIBRARIES = {"requests", "msal", "stripe", "urllib3"}
DEMO_MODULES = ("syncs/demo/", "syncs/management/commands/demo.py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _product_files():
    for package in PRODUCT_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.relative_to(ROOT).as_posix()


def test_only_connectors_import_vendor_libraries():
    offenders = [
        f"{rel}: {sorted(_imports(path) & VENDOR_LIBRARIES)}"
        for path, rel in _product_files()
        if not rel.startswith("integrations/connectors/") and _imports(path) & VENDOR_LIBRARIES
    ]
    assert offenders == []


def test_the_product_never_imports_the_simulators():
    offenders = [
        rel for path, rel in _product_files() if "simulators" in _imports(path) and not rel.startswith(DEMO_MODULES)
    ]
    assert offenders == []


def test_the_scan_sees_imports():
    # Proves the two tests above can fail.
    assert "requests" in _imports(ROOT / "integrations/connectors/businesscentral/transport.py")
    assert "simulators" in _imports(ROOT / "tests/fixtures/bc.py")

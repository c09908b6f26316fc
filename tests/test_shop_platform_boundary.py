"""The core speaks the shop-platform roles (integrations/commerce/platform.py), never a platform.

Nothing under syncs/ imports a connector's platform or client class, or a connector's translation of
stored orders: the one switch that chooses by platform is integrations/services/shop_clients.py
(used by syncs/clients.py). A flow that needs a platform-specific way asks for a role
(``isinstance(shop, ShopStockLevels)``), never for the platform (``isinstance(shop, WooCommerceShop)``),
and never reaches through ``shop.client``.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = {"syncs/clients.py"}
PLATFORM_CLASSES = {"WooCommerceShop", "WooCommerceClient", "ShopifyPlatform", "ShopifyClient"}
PLATFORM_MODULES = {
    "integrations.connectors.woocommerce.platform",
    "integrations.connectors.woocommerce.client",
    "integrations.connectors.woocommerce.records",
    "integrations.connectors.shopify.platform",
    "integrations.connectors.shopify.client",
    "integrations.connectors.shopify.mappers",
}
TRANSLATIONS = {"woo_order_translate", "mappers", "webhook_verify", "webhook_parse", "order_edit_from_webhook"}


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("integrations.connectors."):
            if node.module in PLATFORM_MODULES:
                found.append(f"imports {node.module}")
            found += [f"imports {alias.name}" for alias in node.names if alias.name in PLATFORM_CLASSES | TRANSLATIONS]
        elif isinstance(node, ast.Import):
            found += [f"imports {alias.name}" for alias in node.names if alias.name in PLATFORM_MODULES]
        elif isinstance(node, ast.Attribute) and node.attr == "client" and getattr(node.value, "id", "") == "shop":
            found.append("reaches through shop.client")
    return found


def _core_files():
    for path in (ROOT / "syncs").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "migrations" not in path.parts and rel not in ALLOWED:
            yield path, rel


def test_the_core_imports_no_shop_platform_class():
    offenders = {rel: found for path, rel in _core_files() if (found := _offences(path))}
    assert offenders == {}


def test_the_scan_sees_a_platform_import(tmp_path):
    # Proves the test above can fail.
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from integrations.connectors.woocommerce import WooCommerceShop\n"
        "from integrations.connectors.shopify import mappers\n"
        "def f(shop):\n    return shop.client\n"
    )
    assert _offences(sample) == ["imports WooCommerceShop", "imports mappers", "reaches through shop.client"]
    assert _offences(ROOT / "integrations/services/shop_clients.py")

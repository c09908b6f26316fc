"""BC's wire form of enum values (API v2.0 JSON, ``$filter`` literals).

BC writes an enum member's name with every character outside ``[A-Za-z0-9_]`` as ``_xHHHH_``
(upper-case hex of the UTF-16 code unit): a customer that is not blocked is ``"_x0020_"``, the
account type ``G/L Account`` is ``"G_x002F_L_x0020_Account"``, the item type ``Non-Inventory`` is
``"Non_x002D_Inventory"``. The product works with member names and converts at the connector's
edge: ``enum_decode`` on what BC returns, ``enum_encode`` on what the product sends or filters by.
Option-typed fields are plain strings and are never encoded.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_PLAIN = re.compile(r"[A-Za-z0-9_]")


def enum_encode(name: str) -> str:
    """``"G/L Account"`` -> ``"G_x002F_L_x0020_Account"``; ``" "`` -> ``"_x0020_"``."""
    return "".join(
        char if _PLAIN.fullmatch(char) else "".join(f"_x{unit:04X}_" for unit in _utf16_units(char)) for char in name
    )


def enum_decode(wire: str) -> str:
    """``"_x0020_"`` -> ``" "``; a value without escapes comes back unchanged."""
    if "_x" not in wire:
        return wire
    units = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), wire)
    return units.encode("utf-16", "surrogatepass").decode("utf-16")


def _utf16_units(char: str) -> list[int]:
    data = char.encode("utf-16-be", "surrogatepass")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


# Member names the product sends or compares with (the contract tests check each against BC's enums).
CUSTOMER_NOT_BLOCKED = " "  # enum "Customer Blocked"
ACCOUNT_TYPE_GL = "G/L Account"  # enum "Gen. Journal Account Type"
ACCOUNT_TYPE_CUSTOMER = "Customer"
ACCOUNT_TYPE_BANK = "Bank Account"
LINE_TYPE_ITEM = "Item"  # enum "Invoice Line Agg. Line Type"
LINE_TYPE_ACCOUNT = "Account"
LINE_TYPE_COMMENT = "Comment"
CUSTOMER_TYPE_PERSON = "Person"  # enum "Contact Type"
CUSTOMER_TYPE_COMPANY = "Company"
GL_ACCOUNT_TYPE_POSTING = "Posting"  # enum "G/L Account Type"

"""docs/onboarding.md lists every scope the product asks for, with its reason, and no other."""

from __future__ import annotations

import re
from pathlib import Path

from integrations.services.shopify_install import SCOPES

DOC = Path(__file__).resolve().parents[2] / "docs" / "onboarding.md"


def test_every_requested_scope_is_documented_with_a_reason():
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| (.+) \|$", DOC.read_text(), flags=re.MULTILINE))

    assert set(rows) == set(SCOPES)
    assert all(len(reason) > 20 for reason in rows.values())
    assert "60 days" in rows["read_all_orders"]

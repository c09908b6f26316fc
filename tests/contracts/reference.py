"""Where the vendors' reference facts live, and how tests load them.

The facts are derived from the vendors' own sources and kept outside this repository, in
``../shared/reference/`` next to the checkout (CI has it there too). ``VENDOR_REFERENCE_DIR``
points elsewhere when needed. The files are never copied into the repository: a missing
directory fails the contract tests loudly instead of skipping them.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def reference_dir() -> Path:
    configured = os.environ.get("VENDOR_REFERENCE_DIR")
    path = Path(configured) if configured else ROOT.parent / "shared" / "reference"
    if not (path / "README.md").is_file():
        raise FileNotFoundError(
            f"Vendor reference facts not found at {path}. They live next to the checkout in "
            "../shared/reference/ (or set VENDOR_REFERENCE_DIR)."
        )
    return path


@functools.cache
def load_json(name: str) -> dict[str, Any]:
    """One of the JSON reference files, e.g. ``load_json("bc-api-v2.0.json")``."""
    return json.loads((reference_dir() / name).read_text(encoding="utf-8"))


@functools.cache
def shopify_schema_text(version: str) -> str:
    """The Shopify Admin GraphQL schema (SDL) of ``version``, e.g. ``"2026-10"``."""
    return (reference_dir() / f"shopify-admin-{version}.graphql").read_text(encoding="utf-8")


def shopify_versions() -> list[str]:
    """The Admin API versions the reference holds, oldest first."""
    return sorted(p.stem.removeprefix("shopify-admin-") for p in reference_dir().glob("shopify-admin-*.graphql"))

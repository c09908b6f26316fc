"""Small promises the repository makes about itself."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pyjwt_used_by_the_identity_simulator_is_pinned_at_the_installed_version():
    requirements = (ROOT / "requirements.txt").read_text()
    pinned = re.search(r"^PyJWT==(\S+)", requirements, re.MULTILINE)
    assert pinned and pinned.group(1) == version("PyJWT")


def test_the_orders_bench_usage_line_shows_the_real_default():
    source = (ROOT / "bench" / "orders_sync.py").read_text()
    usage = re.search(r"--naive-orders (\d+)\]", source).group(1)
    default = re.search(r'"--naive-orders", type=int, default=([\d_]+)', source).group(1).replace("_", "")
    assert usage == default

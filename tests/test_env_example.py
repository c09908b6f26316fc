"""Every variable the settings read is documented in .env.example (and nothing stale is)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r'env\.(?:str|bool|int|float|list|db_url|email_url|json|dict|url)\(\s*"([A-Z0-9_]+)"')


def _read_by_settings() -> set[str]:
    return set(READ.findall((ROOT / "junipeer_bc" / "settings.py").read_text()))


def _documented() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z0-9_]+=", line)}


def test_every_setting_variable_is_documented():
    assert _read_by_settings() - _documented() == set()


def test_no_stale_variable_is_documented():
    assert _documented() - _read_by_settings() == set()


def test_the_scan_finds_the_settings():
    assert {"DATABASE_URL", "FIELD_ENCRYPTION_KEYS", "BC_API_ROOT"} <= _read_by_settings()

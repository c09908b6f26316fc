"""Every management command of the project has a test that runs it through call_command."""

import re
from pathlib import Path

from django.conf import settings

COMMAND_APPS = ("integrations", "syncs")


def project_commands() -> list[str]:
    base = Path(settings.BASE_DIR)
    return sorted(
        path.stem
        for app in COMMAND_APPS
        for path in (base / app / "management" / "commands").glob("*.py")
        if not path.stem.startswith("_")
    )


def test_every_command_is_called_by_a_test():
    tests_dir = Path(__file__).resolve().parent.parent
    source = "\n".join(path.read_text(encoding="utf-8") for path in tests_dir.rglob("*.py"))
    called = set(re.findall(r"""call_command\(\s*["']([\w-]+)["']""", source))
    commands = project_commands()
    assert "rotate_keys" in commands  # the discovery itself works
    missing = [name for name in commands if name not in called]
    assert not missing, f"Commands without a call_command test: {', '.join(missing)}"

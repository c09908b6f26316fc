"""Commands: unknown integrations, bad arguments and failed runs end with a clear line and an exit code."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command, get_commands, load_command_class

from syncs.management.arguments import runs_exit
from syncs.models import SyncRun
from tests import factories as f

pytestmark = pytest.mark.django_db

# Options every Django command has (documented by Django itself).
DJANGO_OPTIONS = {
    *("help", "version", "verbosity", "settings", "pythonpath", "traceback", "no_color", "force_color", "skip_checks")
}

ID_COMMANDS = ["sync", "sync_products", "sync_stock", "retry_failed", "preflight"]


@pytest.mark.parametrize("command", ID_COMMANDS)
def test_an_unknown_integration_is_named_and_exits_2(command):
    with pytest.raises(CommandError, match=r"^No integration 99999\.$") as error:
        call_command(command, "99999", stdout=StringIO())

    assert error.value.returncode == 2
    assert not SyncRun.objects.exists()


def test_backfill_for_an_unknown_integration_exits_2():
    with pytest.raises(CommandError, match=r"^No integration 99999\.$") as error:
        call_command("backfill_orders", "99999", "--from", "2026-01-01", stdout=StringIO())

    assert error.value.returncode == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--orders", "abc"], "Not an order number: 'abc'"),
        (["--orders", "1001", "#x"], "Not an order number: '#x'"),
        (["--from", "2026-03-31", "--to", "2026-03-01"], "must come after its start"),
        (["--to", "2026-03-01"], "needs a start date"),
    ],
)
def test_backfill_arguments_are_validated(args, message):
    integration = f.IntegrationFactory()

    with pytest.raises(CommandError, match=message) as error:
        call_command("backfill_orders", str(integration.pk), *args, stdout=StringIO())

    assert error.value.returncode == 2
    assert not SyncRun.objects.exists()


def test_sync_refuses_an_order_number_that_is_not_one():
    integration = f.IntegrationFactory()

    with pytest.raises(CommandError, match="Not an order number") as error:
        call_command("sync", str(integration.pk), "--orders", "abc", stdout=StringIO())

    assert error.value.returncode == 2


@pytest.mark.parametrize("value", ["abc", "-1", "0", "²", str(2**64)])
def test_an_id_that_is_no_id_is_a_usage_error(value):
    with pytest.raises(CommandError, match="is not an integration id"):
        call_command("sync", value, stdout=StringIO())


def test_a_bad_date_says_what_a_date_looks_like_not_a_function_name():
    with pytest.raises(CommandError, match="is not a date: use YYYY-MM-DD") as error:
        call_command("backfill_orders", "1", "--from", "yesterday", stdout=StringIO())

    assert "_datetime" not in str(error.value)


def test_a_failed_run_exits_1_with_a_one_line_summary():
    integration = f.IntegrationFactory(live_mode=True, allow_writes=True, status="live")  # no BC: the run fails

    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("sync", str(integration.pk), stdout=out)

    assert error.value.returncode == 1
    assert "\n" not in str(error.value) and "orders run #" in str(error.value)
    assert SyncRun.objects.get().status == SyncRun.Status.FAILED


def test_retry_failed_for_an_unknown_integration_does_not_say_nothing_to_retry():
    out = StringIO()
    with pytest.raises(CommandError, match="No integration 99999"):
        call_command("retry_failed", "99999", stdout=out)

    assert "Nothing to retry" not in out.getvalue()


def _help(command: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", command, "--help"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": "x", "FIELD_ENCRYPTION_KEYS": ""},
    )
    return result.stdout


def test_backfill_help_documents_every_option_and_the_exit_codes():
    text = " ".join(_help("backfill_orders").split())

    for option in ("--from", "--to", "--orders", "--queue"):
        assert option in text
    assert "YYYY-MM-DD" in text and "order numbers" in text
    assert "Exit codes: 0 done, 1" in text


def test_dev_with_an_unknown_word_prints_one_usage_line():
    result = subprocess.run(
        [str(Path(settings.BASE_DIR) / "dev"), "foo"], capture_output=True, text=True, cwd=settings.BASE_DIR
    )

    assert result.returncode == 2
    assert result.stderr.strip().startswith("usage: ./dev {demo|test|typecheck|manage}")
    assert len(result.stderr.strip().splitlines()) == 1 and not result.stdout


def _dev_manage(*args: str, var_dir: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(var_dir), "DEMO_VAR_DIR": str(var_dir)}
    return subprocess.run(
        [str(Path(settings.BASE_DIR) / "dev"), "manage", *args],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=env,
        timeout=60,
    )


def test_dev_manage_without_a_database_says_how_and_creates_no_file(tmp_path):
    stray = Path(settings.BASE_DIR) / "db.sqlite3"
    existed = stray.exists()

    result = _dev_manage("integration_status", var_dir=tmp_path)

    assert result.returncode != 0
    assert "No database: start the demo (./dev demo)" in result.stderr
    assert stray.exists() == existed and not list(tmp_path.glob("*.sqlite3"))


def test_dev_manage_uses_the_demos_database_when_there_is_one(tmp_path):
    (tmp_path / "demo.sqlite3").touch()

    result = _dev_manage("check", var_dir=tmp_path)

    assert f"Using the demo's database {tmp_path}/demo.sqlite3" in result.stderr
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["prune_logs", "--days", "0"],
        ["prune_logs", "--days", "99999999999"],
        ["prune_logs", "--batch-size", str(2**70)],
        ["rotate_keys", "--batch-size", "0"],
        ["rotate_keys", "--batch-size", str(2**70)],
        ["integration_status", "--status", "x"],
        ["integration_status", "--tenant", "a\x00b"],  # PostgreSQL cannot store NUL: was a DataError
    ],
    ids=lambda args: " ".join(args).replace("\x00", "NUL"),
)
def test_other_usage_errors_exit_2(args):
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=StringIO())

    assert error.value.returncode == 2


# --- every command that takes an integration id, and every option's help ----------------------


def _live_without_bc():
    return f.IntegrationFactory(live_mode=True, allow_writes=True, status="live")  # no BC: every run fails


@pytest.mark.parametrize(
    "args",
    [
        ["sync"],
        ["sync", "--flow", "refunds"],
        ["sync_products"],
        ["sync_stock"],
        ["backfill_orders", "--from", "2026-01-01"],
        ["backfill_orders", "--orders", "1001"],
        ["retry_failed"],
    ],
    ids=" ".join,
)
def test_every_command_that_runs_a_flow_exits_1_when_the_run_fails(args):
    integration = _live_without_bc()
    f.RecordLinkFactory(integration=integration, state="failed")  # something for retry_failed to retry
    command, *options = args

    with pytest.raises(CommandError) as error:
        call_command(command, str(integration.pk), *options, stdout=StringIO())

    assert error.value.returncode == 1
    assert "\n" not in str(error.value) and "did not succeed" in str(error.value)
    assert SyncRun.objects.filter(status=SyncRun.Status.FAILED).exists()


def test_a_partly_failed_run_exits_1_naming_how_many_records_failed():
    integration = f.IntegrationFactory()
    run = SyncRun.objects.create(
        integration=integration, flow="orders", status=SyncRun.Status.PARTIAL, records_seen=3, records_failed=2
    )

    with pytest.raises(CommandError) as error:
        runs_exit([run])

    assert error.value.returncode == 1
    assert str(error.value) == f"1 of 1 run(s) did not succeed: orders run #{run.pk} partially failed (2 failed)."


def _project_commands() -> list[str]:
    return sorted(
        name for name, app in get_commands().items() if app in ("syncs", "integrations") and name != "demo"
    ) + ["demo"]


@pytest.mark.parametrize("command", _project_commands())
def test_every_option_of_every_project_command_has_help(command):
    parser = load_command_class(get_commands()[command], command).create_parser("manage.py", command)
    own = [a for a in parser._actions if a.dest not in DJANGO_OPTIONS]

    missing = [a.option_strings or [a.dest] for a in own if not (a.help or "").strip()]
    assert not missing, f"{command}: options without help: {missing}"


def test_the_id_commands_name_their_exit_codes_in_help():
    for command in [*ID_COMMANDS, "backfill_orders"]:
        parser = load_command_class("syncs", command).create_parser("manage.py", command)
        assert "Exit codes: 0" in parser.description, command

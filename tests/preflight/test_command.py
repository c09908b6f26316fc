import pytest
from django.core.management import CommandError, call_command

from syncs.models import PreflightRun
from tests.factories import IntegrationFactory


def test_command_prints_table_and_exits_1_on_failure(db, capsys):
    integration = IntegrationFactory()  # no BC connection: the connection check fails

    with pytest.raises(CommandError) as exited:
        call_command("preflight", str(integration.pk))

    assert exited.value.returncode == 1
    out = capsys.readouterr().out
    assert "connection" in out and "FAIL" in out and "BC-010" in out
    assert PreflightRun.objects.get().trigger == PreflightRun.Trigger.COMMAND


def test_command_needs_an_id_or_all(db):
    with pytest.raises(CommandError):
        call_command("preflight")


def test_unknown_integration(db):
    with pytest.raises(CommandError):
        call_command("preflight", "999")

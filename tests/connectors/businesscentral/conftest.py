import random

import pytest

from integrations.connectors.businesscentral import BusinessCentralClient, RetryPolicy
from tests.connectors.businesscentral.fakes import (
    COMPANY_ID,
    ROOT,
    TENANT,
    TOKEN,
    FakeClock,
    ScriptedBC,
    mounted_session,
)


@pytest.fixture
def fake_bc():
    return ScriptedBC()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_client(fake_bc, clock):
    def make(**options):
        defaults = {
            "api_root": ROOT,
            "tenant_id": TENANT,
            "environment": "sandbox",
            "company_id": COMPANY_ID,
            "company_name": "CRONUS Sverige AB",
            "token_provider": lambda: TOKEN,
            "session": mounted_session(fake_bc),
            "retry_policy": RetryPolicy(max_attempts=5, max_seconds=120, base_delay=1.0, max_delay=30),
            "sleep": clock.sleep,
            "clock": clock,
            "rng": random.Random(7),
        }
        return BusinessCentralClient(**{**defaults, **options})

    return make


@pytest.fixture
def client(make_client):
    return make_client()

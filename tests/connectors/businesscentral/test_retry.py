"""Retry policy: reads ride out throttling; writes are never resent when BC may have applied them."""

import logging
import random
import re
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests

from integrations.connectors.businesscentral import (
    BCAmbiguousWriteError,
    BCServerError,
    BCThrottled,
    BCTimeout,
    BCValidationError,
    RetryPolicy,
    entities,
)
from integrations.connectors.businesscentral.payloads import NewSalesInvoice, NewSalesLine
from integrations.connectors.http import parse_retry_after
from tests.connectors.businesscentral.fakes import COMPANY, TOKEN, Reply, envelope

CUSTOMERS = re.escape(COMPANY + "/customers")
INVOICES = re.escape(COMPANY + "/salesInvoices")
THROTTLED = Reply(429, envelope("", "Too many requests"))
OK_LIST = Reply(200, {"value": [{"id": "c1", "number": "10000"}]})
CREATED = Reply(201, {"id": "aaaaaaaa-0000-0000-0000-00000000000f", "number": "S-INV-1"})


def new_invoice():
    return NewSalesInvoice(
        customer_number="10000",
        external_document_number="SHOP-1001",
        lines=[NewSalesLine(line_type="Item", line_object_number="1928-S", quantity=3)],
    )


def test_read_rides_out_a_429_storm_with_growing_full_jitter_backoff(fake_bc, client, clock):
    fake_bc.on("GET", CUSTOMERS, THROTTLED, THROTTLED, THROTTLED, OK_LIST)

    customers = client.list_records(entities.CUSTOMERS)

    assert [c.number for c in customers] == ["10000"]
    assert len(clock.sleeps) == 3
    for attempt, delay in enumerate(clock.sleeps, start=1):
        assert 0 <= delay <= 1.0 * 2 ** (attempt - 1)
    assert client.stats.requests == 4
    assert client.stats.operations == 1
    assert client.stats.retries == 3
    assert client.stats.throttled == 3


def test_retry_after_is_honoured(fake_bc, client, clock):
    fake_bc.on("GET", CUSTOMERS, Reply(503, envelope("", "Busy"), {"Retry-After": "7"}), OK_LIST)

    client.list_records(entities.CUSTOMERS)

    assert clock.sleeps == [7.0]


def test_retry_after_as_http_date():
    now = datetime(2025, 1, 15, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30
    assert parse_retry_after("garbage") is None
    assert parse_retry_after(None) is None


def test_gives_up_after_max_attempts_with_the_last_error(fake_bc, client, clock):
    fake_bc.on("GET", CUSTOMERS, THROTTLED)

    with pytest.raises(BCThrottled) as caught:
        client.list_records(entities.CUSTOMERS)

    assert caught.value.status == 429
    assert client.stats.requests == 5  # max_attempts
    assert len(clock.sleeps) == 4


def test_gives_up_when_retry_after_exceeds_the_time_budget(fake_bc, make_client, clock):
    client = make_client(retry_policy=RetryPolicy(max_attempts=10, max_seconds=50, base_delay=1))
    fake_bc.on("GET", CUSTOMERS, Reply(429, None, {"Retry-After": "30"}))

    with pytest.raises(BCThrottled):
        client.list_records(entities.CUSTOMERS)

    assert clock.sleeps == [30.0]  # a second 30 s wait would end past the 50 s budget
    assert client.stats.requests == 2


def test_business_errors_are_not_retried(fake_bc, client, clock):
    fake_bc.on("GET", CUSTOMERS, Reply(400, envelope("Application_DialogException", "No.")))

    with pytest.raises(BCValidationError):
        client.list_records(entities.CUSTOMERS)

    assert clock.sleeps == []
    assert client.stats.requests == 1


def test_read_timeout_on_a_read_is_retried(fake_bc, client):
    fake_bc.on("GET", CUSTOMERS, requests.exceptions.ReadTimeout("slow"), OK_LIST)

    assert len(client.list_records(entities.CUSTOMERS)) == 1
    assert client.stats.retries == 1


def test_persistent_timeout_on_a_read_raises_bc_timeout(fake_bc, client):
    fake_bc.on("GET", CUSTOMERS, requests.exceptions.ReadTimeout("slow"))

    with pytest.raises(BCTimeout):
        client.list_records(entities.CUSTOMERS)


@pytest.mark.parametrize("status", [429, 503])
def test_write_is_retried_when_bc_rejected_it_before_processing(fake_bc, client, status):
    fake_bc.on("POST", INVOICES, Reply(status, envelope("", "Busy")), CREATED)

    invoice = client.create_sales_invoice(new_invoice())

    assert invoice.number == "S-INV-1"
    posts = [s for s in fake_bc.seen if s.method == "POST"]
    assert len(posts) == 2
    assert posts[0].body == posts[1].body
    assert client.stats.operations == 1


@pytest.mark.parametrize("status", [502, 504])
def test_write_answered_by_a_gateway_error_is_ambiguous_and_not_resent(fake_bc, client, clock, status):
    fake_bc.on("POST", INVOICES, Reply(status, None), CREATED)

    with pytest.raises(BCAmbiguousWriteError) as caught:
        client.create_sales_invoice(new_invoice())

    assert caught.value.status == status
    assert len(fake_bc.seen) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "failure",
    [requests.exceptions.ReadTimeout("slow"), requests.exceptions.ConnectionError("connection reset by peer")],
)
def test_write_without_an_answer_is_ambiguous_and_not_resent(fake_bc, client, failure):
    fake_bc.on("POST", INVOICES, failure, CREATED)

    with pytest.raises(BCAmbiguousWriteError) as caught:
        client.create_sales_invoice(new_invoice())

    assert len(fake_bc.seen) == 1
    assert TOKEN not in str(caught.value)


def test_write_whose_connection_never_opened_is_retried(fake_bc, client):
    fake_bc.on("POST", INVOICES, requests.exceptions.ConnectTimeout("no route"), CREATED)

    assert client.create_sales_invoice(new_invoice()).number == "S-INV-1"
    assert len(fake_bc.seen) == 2


def test_a_batch_with_a_write_is_a_write(fake_bc, client):
    fake_bc.on("POST", r".*/\$batch", Reply(504, None))
    ops = [client.batch_get(entities.CUSTOMERS), client.batch_create(entities.CUSTOMERS, {"displayName": "A"})]

    with pytest.raises(BCAmbiguousWriteError):
        client.batch(ops)
    assert len(fake_bc.seen) == 1


def test_a_read_only_batch_is_retried_on_504(fake_bc, client):
    fake_bc.on("POST", r".*/\$batch", Reply(504, None), Reply(200, {"responses": [{"id": "1", "status": 200}]}))

    results = client.batch([client.batch_get(entities.CUSTOMERS)])

    assert results[0].ok
    assert len(fake_bc.seen) == 2


def test_500_is_not_retried(fake_bc, client):
    fake_bc.on("GET", CUSTOMERS, Reply(500, envelope("Internal_ServerError", "Boom")), OK_LIST)

    with pytest.raises(BCServerError):
        client.list_records(entities.CUSTOMERS)


def test_full_jitter_is_bounded_by_the_cap():
    policy = RetryPolicy(base_delay=1, max_delay=10)
    rng = random.Random(1)
    delays = [policy.backoff(12, rng) for _ in range(200)]
    assert max(delays) <= 10
    assert min(delays) >= 0
    assert len(set(delays)) > 100  # jittered, not a fixed ladder


def test_logs_say_method_path_status_and_never_the_token_or_query(fake_bc, client, caplog):
    fake_bc.on("GET", CUSTOMERS, THROTTLED, OK_LIST)
    caplog.set_level(logging.DEBUG, logger="integrations.connectors.businesscentral")

    client.list_records(entities.CUSTOMERS, filter="email eq 'buyer@example.com'")

    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "GET /v2.0/" in text and "/customers -> 429" in text and "-> 200" in text
    assert TOKEN not in text
    assert "buyer@example.com" not in text


def test_a_token_echoed_by_the_server_never_reaches_the_exception(fake_bc, client):
    fake_bc.on("GET", CUSTOMERS, Reply(401, envelope("Authentication_InvalidCredentials", f"Bad token {TOKEN}")))

    with pytest.raises(Exception) as caught:
        client.list_records(entities.CUSTOMERS)

    assert caught.value.code == "Authentication_InvalidCredentials"
    assert TOKEN not in str(caught.value)
    assert TOKEN not in caught.value.raw_message
    assert TOKEN not in repr(caught.value.args)

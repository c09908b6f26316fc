import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import unquote

import pytest

from integrations.connectors.businesscentral import odata


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("SHOP-1001", "'SHOP-1001'"),
        ("O'Brien", "'O''Brien'"),
        ("''", "''''''"),
        (True, "true"),
        (None, "null"),
        (42, "42"),
        (Decimal("54.90"), "54.90"),
        (date(2025, 1, 15), "2025-01-15"),
        (uuid.UUID("f2a5738a-44e3-ea11-bb43-000d3a2feca1"), "f2a5738a-44e3-ea11-bb43-000d3a2feca1"),
        (datetime(2019, 8, 18, 20, 5, 51, 603000, tzinfo=UTC), "2019-08-18T20:05:51.603Z"),
        # Converted to UTC: a delta cursor in local time still means the same instant.
        (datetime(2019, 8, 18, 22, 5, 51, tzinfo=timezone(timedelta(hours=2))), "2019-08-18T20:05:51.000Z"),
    ],
)
def test_literal(value, expected):
    assert odata.literal(value) == expected


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="timezone"):
        odata.literal(datetime(2025, 1, 1))  # noqa: DTZ001


def test_eq_quotes_and_any_of_ors_one_field():
    assert odata.eq("externalDocumentNumber", "#10'01") == "externalDocumentNumber eq '#10''01'"
    assert odata.any_of("number", ["A", "B'C"]) == "(number eq 'A' or number eq 'B''C')"
    assert odata.any_of("number", ["A"]) == "number eq 'A'"


def test_guid_helper_is_unquoted_and_validated():
    assert odata.eq("customerId", odata.guid("F2A5738A-44E3-EA11-BB43-000D3A2FECA1")) == (
        "customerId eq f2a5738a-44e3-ea11-bb43-000d3a2feca1"
    )
    with pytest.raises(ValueError):
        odata.guid("not-a-guid")


def test_all_of_parenthesises_ors_and_skips_empty():
    clause = odata.all_of(odata.gt("lastModifiedDateTime", datetime(2025, 1, 1, tzinfo=UTC)), None, "a eq 1 or a eq 2")
    assert clause == "lastModifiedDateTime gt 2025-01-01T00:00:00.000Z and (a eq 1 or a eq 2)"


def test_field_names_cannot_inject():
    with pytest.raises(ValueError):
        odata.eq("number eq '1' or number", "2")
    with pytest.raises(ValueError):
        odata.query_params(select=["id", "number);drop"])


def test_encode_query_uses_percent20_and_escapes_plus_and_ampersand():
    query = odata.encode_query({"$filter": odata.eq("email", "a+b&c@x.se"), "$select": "id,number"})
    assert "+" not in query.replace("%2B", "")
    assert " " not in query
    assert query.startswith("$filter=email%20eq%20'a%2Bb%26c%40x.se'")
    assert unquote(query.split("&")[0].split("=", 1)[1]) == "email eq 'a+b&c@x.se'"

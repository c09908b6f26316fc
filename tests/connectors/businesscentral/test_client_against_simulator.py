"""The client against the Business Central simulator over real HTTP on loopback."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from integrations.connectors.businesscentral import (
    BCAmbiguousWriteError,
    BCAuthError,
    BCConflict,
    BCNotFound,
    BCValidationError,
    BusinessCentralClient,
    PageNotPublished,
    RetryPolicy,
    entities,
    odata,
)
from integrations.connectors.businesscentral.payloads import (
    NewCustomerPayment,
    NewSalesInvoice,
    NewSalesLine,
    NewSalesOrder,
)
from tests.connectors.businesscentral.fakes import FakeClock

COMPANY = "CRONUS Sverige AB"


@pytest.fixture
def sleeps():
    return FakeClock()


@pytest.fixture
def sim_client(bc_server, sleeps):
    def make(token="test-token", **options):
        return BusinessCentralClient(
            api_root=bc_server.base_url,
            tenant_id=bc_server.sim.tenant_id,
            environment="sandbox",
            company_id=bc_server.sim.company_id("sandbox", COMPANY),
            company_name=COMPANY,
            token_provider=lambda: token,
            retry_policy=RetryPolicy(max_attempts=6, max_seconds=120, base_delay=0.5),
            timeout=(2.0, 10.0),
            sleep=sleeps.sleep,
            rng=random.Random(3),
            **options,
        )

    return make


@pytest.fixture
def client(sim_client):
    return sim_client()


def invoice(customer="10000", item="1000", quantity=2, external="SHOP-1001", currency=None):
    return NewSalesInvoice(
        customer_number=customer,
        external_document_number=external,
        invoice_date=dt.date.today(),
        currency_code=currency,
        lines=[NewSalesLine(line_type="Item", line_object_number=item, quantity=Decimal(quantity))],
    )


def test_companies_and_environments(client, bc_server):
    names = {c.name for c in client.list_companies()}
    environments = {e.name: e for e in client.list_environments()}

    assert COMPANY in names
    assert environments["production"].is_production and environments["sandbox"].type == "Sandbox"
    assert all(e.aad_tenant_id == bc_server.sim.tenant_id for e in environments.values())
    assert bc_server.sim.requests_to("GET", "/admin/") == []  # no admin role needed


def test_paging_over_more_than_three_pages(client, bc_server):
    expected = {c["number"] for c in bc_server.sim.company("sandbox", COMPANY).rows("customers")}

    customers = list(client.iter_records(entities.CUSTOMERS, page_size=3))

    assert {c.number for c in customers} == expected
    assert len(customers) == len(expected) > 9
    assert client.stats.requests == -(-len(expected) // 3) >= 4
    assert len(bc_server.sim.requests_to("GET", "/customers")) == client.stats.requests


def test_filter_quoting_round_trips(client):
    assert client.list_records(entities.CUSTOMERS, filter=odata.eq("displayName", "O'Brien & Co")) == []
    (found,) = client.list_records(
        entities.ITEMS, filter=odata.any_of("number", ["1000", "nope'"]), expand="itemVariants"
    )
    assert {v.code for v in found.item_variants} == {"RED", "BLUE"}


def test_etag_conflict_and_merge(client):
    (customer,) = client.list_records(entities.CUSTOMERS, filter=odata.eq("number", "20000"))
    updated = client.update_record(entities.CUSTOMERS, customer.id, etag=customer.etag, changes={"phoneNumber": "1"})
    assert updated.etag != customer.etag

    with pytest.raises(BCConflict) as caught:
        client.update_record(entities.CUSTOMERS, customer.id, etag=customer.etag, changes={"phoneNumber": "2"})
    assert caught.value.code == "Request_EntityChanged"
    assert caught.value.status == 409

    merged = client.update_record_merging(
        entities.CUSTOMERS, customer.id, etag=customer.etag, changes={"phoneNumber": "3"}
    )
    assert merged.phone_number == "3"


def test_batch_with_one_failing_operation(client, bc_server):
    ops = [
        client.batch_create(entities.CUSTOMERS, {"displayName": "Batch One"}),
        client.batch_create(
            entities.CUSTOMERS, {"displayName": "Batch Two", "paymentTermsId": "00000000-0000-0000-0000-00000000dead"}
        ),
        client.batch_create(entities.CUSTOMERS, {"displayName": "Batch Three"}),
    ]
    bc_server.sim.reset_counters()

    results = client.batch(ops)

    assert [r.ok for r in results] == [True, False, True]
    assert results[1].error.code and results[1].error.message
    assert isinstance(results[1].error, BCValidationError | BCNotFound)
    names = {
        c.display_name for c in client.list_records(entities.CUSTOMERS, filter=odata.startswith("displayName", "Batch"))
    }
    assert names == {"Batch One", "Batch Three"}
    assert bc_server.sim.request_log[0].operations == 3
    assert client.stats.operations >= 3


def test_snapshot_batch_rolls_back_everything(client):
    ops = [
        client.batch_create(entities.CUSTOMERS, {"displayName": "Atomic One"}),
        client.batch_create(
            entities.CUSTOMERS, {"displayName": "Atomic Two", "paymentTermsId": "00000000-0000-0000-0000-00000000dead"}
        ),
    ]

    results = client.batch(ops, isolation_snapshot=True)

    assert not all(r.ok for r in results)
    assert client.list_records(entities.CUSTOMERS, filter=odata.startswith("displayName", "Atomic")) == []


def test_rides_out_a_429_storm(client, bc_server, sleeps):
    bc_server.sim.faults.storm_429(4, retry_after=2)

    items = client.list_records(entities.ITEMS)

    assert len(items) == len(bc_server.sim.company().rows("items"))
    assert sleeps.sleeps == [2.0, 2.0, 2.0, 2.0]
    assert client.stats.retries == 4 and client.stats.throttled == 4


def test_throttled_write_is_retried_without_duplicating(client, bc_server):
    bc_server.sim.faults.storm_429(2)

    created = client.create_sales_invoice(invoice(external="SHOP-429"))

    found = client.find_by_external_document_numbers(entities.SALES_INVOICES, ["SHOP-429"])
    assert [i.id for i in found["SHOP-429"]] == [created.id]


def test_deep_insert_then_post(client):
    draft = client.create_sales_invoice(invoice(quantity=2))
    assert draft.status == "Draft"

    client.post_sales_invoice(draft.id)

    posted = client.get_record(entities.SALES_INVOICES, draft.id, expand="salesInvoiceLines")
    assert posted.id == draft.id
    assert posted.status == "Open"
    assert posted.number != draft.number
    assert posted.lines[0].line_object_number == "1000" and posted.lines[0].quantity == 2
    assert posted.total_amount_including_tax > 0

    with pytest.raises(BCValidationError) as again:
        client.post_sales_invoice(draft.id)
    assert again.value.message == "The action can be applied to a draft invoice only."


def test_lost_acknowledgement_is_ambiguous_and_found_by_external_number(client, bc_server):
    bc_server.sim.faults.drop_response_after_commit(1)

    with pytest.raises(BCAmbiguousWriteError):
        client.create_sales_invoice(invoice(external="SHOP-LOST"))

    found = client.find_by_external_document_numbers(entities.SALES_INVOICES, ["SHOP-LOST", "SHOP-NEVER"])
    assert list(found) == ["SHOP-LOST"]
    assert (
        len(bc_server.sim.company("sandbox", COMPANY).filter("salesInvoices", externalDocumentNumber="SHOP-LOST")) == 1
    )


def test_missing_vat_posting_setup_surfaces_bc_code_and_message(client):
    # Norway (EXPORT) x a book (LOW) is a deliberate gap in the seeded VAT matrix.
    with pytest.raises(BCNotFound) as caught:
        client.create_sales_invoice(invoice(customer="10060", item="1002"))

    assert caught.value.code == "Internal_RecordNotFound"
    assert caught.value.message == (
        "The VAT Posting Setup does not exist. Identification fields and values: "
        "VAT Bus. Posting Group='EXPORT',VAT Prod. Posting Group='LOW'"
    )
    assert caught.value.correlation_id


def test_exhausted_number_series(client, bc_server):
    bc_server.sim.company("sandbox", COMPANY).exhaust_number_series("S-INV")

    with pytest.raises(BCValidationError) as caught:
        client.create_sales_invoice(invoice())

    assert caught.value.code == "Application_DialogException"
    assert caught.value.message.startswith("You cannot assign new numbers from the number series S-INV")


def test_missing_exchange_rate(client, bc_server):
    future = dt.date.today() + dt.timedelta(days=30)
    bc_server.sim.company("sandbox", COMPANY).set_exchange_rates_start("EUR", future)

    with pytest.raises(BCValidationError) as caught:
        client.create_sales_invoice(invoice(customer="10010", currency="EUR"))

    assert caught.value.code == "Internal_DataNotFoundFilter"
    assert caught.value.message.startswith("There is no Currency Exchange Rate within the filter.")


def test_unknown_currency(client):
    with pytest.raises(BCValidationError) as caught:
        client.create_sales_invoice(invoice(currency="XXX"))

    assert caught.value.code == "Application_DialogException"
    assert caught.value.message == 'The "currencyCode" does not match to a Currency.'


def test_blocked_customer_and_item(client):
    with pytest.raises(BCValidationError) as customer:
        client.create_sales_invoice(invoice(customer="20030"))
    with pytest.raises(BCValidationError) as item:
        client.create_sales_invoice(invoice(item="1009"))

    assert customer.value.code == "Application_DialogException"
    assert (
        customer.value.message == "You cannot create this type of document when Customer 20030 is blocked with type All"
    )
    assert item.value.code == "Application_FieldValidationException"
    assert item.value.message.startswith("Blocked must be equal to 'No'  in Item: No.=1009.")


def test_odatav4_pages_and_unpublished(client, bc_server):
    rows = client.vat_posting_setup()
    series = {s.code: s for s in client.no_series()}
    lines = client.no_series_lines()

    assert ("DOMESTIC", "STANDARD", Decimal(25)) in {
        (r.vat_bus_posting_group, r.vat_prod_posting_group, r.vat_percent) for r in rows
    }
    assert ("EXPORT", "LOW") not in {(r.vat_bus_posting_group, r.vat_prod_posting_group) for r in rows}
    assert series["S-INV"].last_no_used == "10200020" and series["S-INV"].end_no == "10299999"
    assert any(line.series_code == "S-INV" and line.ending_no == "10299999" for line in lines)

    bc_server.sim.company("sandbox", COMPANY).unpublish_odatav4_pages("VATPostingSetup")
    with pytest.raises(PageNotPublished) as caught:
        client.vat_posting_setup()
    assert caught.value.page == "VATPostingSetup"


def test_bad_token_is_an_auth_error_without_the_token(sim_client):
    client = sim_client(token="not-the-right-token")
    with pytest.raises(BCAuthError) as caught:
        client.list_companies()
    assert caught.value.code == "Authentication_InvalidCredentials"
    assert "not-the-right-token" not in str(caught.value)


def test_sales_order_ship_and_invoice(client):
    order = client.create_sales_order(
        NewSalesOrder(
            customer_number="10000",
            external_document_number="SHOP-ORDER-1",
            lines=[NewSalesLine(line_type="Item", line_object_number="1001", quantity=Decimal(1))],
        )
    )

    client.ship_and_invoice_sales_order(order.id)

    (posted,) = client.list_records(entities.SALES_INVOICES, filter=odata.eq("orderId", odata.guid(order.id)))
    assert posted.order_number == order.number
    assert posted.status == "Open"


def test_customer_payment_applied_and_journal_posted(client):
    draft = client.create_sales_invoice(invoice(external="SHOP-PAID"))
    client.post_sales_invoice(draft.id)
    posted = client.get_record(entities.SALES_INVOICES, draft.id)
    (journal,) = client.list_records(entities.CUSTOMER_PAYMENT_JOURNALS, filter=odata.eq("code", "STRIPE"))

    payment = client.create_customer_payment(
        journal_id=journal.id,
        payment=NewCustomerPayment(
            customer_number="10000",
            amount=-posted.total_amount_including_tax,  # money received: negative
            applies_to_invoice_id=posted.id,
            external_document_number="po_123",
            posting_date=dt.date.today(),
        ),
    )
    client.post_journal(journal.id)

    assert payment.journal_id == journal.id
    assert client.get_record(entities.SALES_INVOICES, draft.id).status == "Paid"
    with pytest.raises(BCValidationError) as empty:
        client.post_journal(journal.id)
    assert empty.value.message == "There is nothing to post."

"""Business Central contract: what the product and the simulator use, checked against BC's own pages.

The reference (``../shared/reference/bc-api-v2.0.json``) is derived from Microsoft's API v2.0 AL
pages, base-application tables and enums, and the general journal check codeunit. Every entity set,
field, ``$filter``/``$select``/``$expand`` name, navigation and bound action the connector and the
flows use must be there; the product writes only editable fields, only enum wire values, and only
strings that fit. A name that is not in the reference fails here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from integrations.connectors.businesscentral import codec, entities, payloads
from integrations.connectors.businesscentral.codec import enum_decode, enum_encode
from integrations.connectors.businesscentral.entities import EntitySet
from integrations.connectors.businesscentral.jsonmap import from_json, json_name, to_json
from integrations.connectors.businesscentral.records import Customer
from integrations.connectors.businesscentral.writes import LINES_OF, WRITES, FieldTooLong, payload_fit
from integrations.models import ShippingMethodMapping
from simulators.businesscentral import fields as sim_fields
from simulators.businesscentral.entities import NAVIGATIONS, SPECS
from simulators.businesscentral.journals import SIGN_RULES
from syncs.errors import classify_exception
from syncs.mapping.products import ItemTemplate, item_payload_from_product
from syncs.mapping.types import Address, CustomerDraft, DocumentDraft, DocumentKind, DocumentLine
from syncs.payouts import mark_paid, matching
from syncs.payouts.posting import Journals, PlannedLine, line_operation
from syncs.services import documents, refunds
from syncs.services.documents import ACTION_BY_KIND, ENTITY_BY_KIND
from syncs.services.orders.mark_paid import OPEN as INVOICE_OPEN
from tests.contracts.reference import ROOT, load_json

# The platform's own API (not an API v2.0 page of the APIV2 app, so not in the reference).
PLATFORM_SETS = {"companies"}
LONG = "x" * 300


def bc() -> dict:
    return load_json("bc-api-v2.0.json")


def page(entity_set: str) -> dict:
    return bc()["pages"][entity_set]


def fields_of(entity_set: str) -> dict[str, dict]:
    return {f["name"]: f for f in page(entity_set)["fields"]}


def parts_of(entity_set: str) -> set[str]:
    return {p["name"] for p in page(entity_set).get("parts", [])}


def wire_values(enum_name: str) -> set[str]:
    return {value["wire"] for value in bc()["enums"][enum_name]["values"]}


def unknown_names(entity_set: str, names) -> list[str]:
    known = set(fields_of(entity_set)) | parts_of(entity_set)
    return sorted(set(names) - known)


def used_entity_sets() -> list[EntitySet]:
    return [v for v in vars(entities).values() if isinstance(v, EntitySet) and v.name not in PLATFORM_SETS]


# --- the connector: entity sets, records, payloads ---------------------------------------------------


def test_every_entity_set_the_connector_uses_is_an_api_page():
    names = [entity.name for entity in used_entity_sets()]
    assert [name for name in names if name not in bc()["pages"]] == []
    assert {v.name for v in vars(entities).values() if isinstance(v, EntitySet)} - set(names) == PLATFORM_SETS


@pytest.mark.parametrize("entity", used_entity_sets(), ids=lambda e: e.name)
def test_every_record_field_is_on_its_page(entity):
    names = []
    for f in dataclasses.fields(entity.record):
        if f.name == "raw" or json_name(f).startswith("@odata."):
            continue
        only = f.metadata.get("only")
        if only and only != entity.name:
            assert json_name(f) in fields_of(only), f"{only}.{json_name(f)}"
            continue
        names.append(json_name(f))
    assert unknown_names(entity.name, names) == []


@pytest.mark.parametrize("entity", used_entity_sets(), ids=lambda e: e.name)
def test_record_enum_fields_are_the_pages_enum_fields(entity):
    """Every enum field the record reads is decoded from its wire form, and only those."""
    ref = fields_of(entity.name)
    marked, enums = set(), set()
    for f in dataclasses.fields(entity.record):
        name = json_name(f)
        if name not in ref:
            continue
        if f.metadata.get("enum"):
            marked.add(name)
        if ref[name].get("dataType") == "Enum":
            enums.add(name)
    assert marked == enums


PAYLOAD_SETS = {
    payloads.NewSalesInvoice: ["salesInvoices"],
    payloads.NewSalesOrder: ["salesOrders"],
    payloads.NewSalesCreditMemo: ["salesCreditMemos"],
    payloads.NewSalesLine: ["salesInvoiceLines", "salesOrderLines", "salesCreditMemoLines"],
    payloads.NewCustomerPayment: ["customerPayments"],
    payloads.NewJournalLine: ["journalLines"],
}


@pytest.mark.parametrize(("payload", "entity_set"), [(p, s) for p, sets in PAYLOAD_SETS.items() for s in sets])
def test_payload_dataclasses_write_editable_declared_fields(payload, entity_set):
    ref = fields_of(entity_set)
    for f in dataclasses.fields(payload):
        if f.name in ("extra", "lines"):
            continue
        name = json_name(f)
        assert name in ref, f"{entity_set}.{name} is not on the page"
        assert ref[name]["editable"], f"{entity_set}.{name} is read-only ({ref[name].get('readOnlyBecause')})"
        assert name in WRITES[entity_set], f"{entity_set}.{name} is not declared in writes.WRITES"
        assert f.metadata.get("enum", "") == ref[name].get("enum", ""), f"{entity_set}.{name} enum"


def test_every_payload_class_is_checked():
    classes = {c for c in vars(payloads).values() if isinstance(c, type) and issubclass(c, payloads.Payload)}
    abstract = {payloads.Payload, payloads.NewSalesDocument, payloads._ShipTo}
    assert classes - abstract == set(PAYLOAD_SETS)


@pytest.mark.parametrize(
    ("entity_set", "name"), [(s, n) for s, rules in WRITES.items() for n in rules], ids=lambda v: str(v)
)
def test_write_declarations_match_the_reference(entity_set, name):
    """Each declared field exists, is editable, and has the page's type, length and enum."""
    ref = fields_of(entity_set).get(name)
    assert ref is not None, f"{entity_set}.{name} is not on the page"
    assert ref["editable"], f"{entity_set}.{name} is read-only"
    rule = WRITES[entity_set][name]
    kind = {"Code": "code", "Text": "text", "Enum": "enum"}.get(ref.get("dataType"), "value")
    assert (rule.kind, rule.length, rule.enum) == (kind, ref.get("length"), ref.get("enum", ""))


def test_sales_document_number_is_read_only_and_never_declared():
    for entity_set in ("salesInvoices", "salesOrders", "salesCreditMemos"):
        assert fields_of(entity_set)["number"]["editable"] is False
        assert "number" not in WRITES[entity_set]


# --- what the product actually sends ------------------------------------------------------------------


def _check_body(entity_set: str, body: dict) -> None:
    ref = fields_of(entity_set)
    for name, value in body.items():
        if name == LINES_OF.get(entity_set):
            for line in value:
                _check_body(name, line)
            continue
        assert name in ref and ref[name]["editable"], f"{entity_set}.{name}"
        if ref[name].get("dataType") == "Enum":
            assert value in wire_values(ref[name]["enum"]), f"{entity_set}.{name} = {value!r} is not a wire value"
        if isinstance(value, str) and ref[name].get("length"):
            assert len(value) <= ref[name]["length"], f"{entity_set}.{name} is longer than BC's field"


def _document(kind: DocumentKind, **overrides) -> DocumentDraft:
    values = dict(
        kind=kind,
        external_document_number="#1001",
        document_date=dt.date(2026, 12, 1),
        currency_code="EUR",
        lines=(
            DocumentLine("Item", "1000", LONG, Decimal(1), Decimal(10), Decimal(1), "STANDARD"),
            DocumentLine("Account", "3010", "Shipping", Decimal(1), Decimal(5)),
        ),
        expected_total=Decimal(15),
        currency_mode="shop",
        customer_number="10000",
        email="a" * 90 + "@example.com",
        ship_to=Address(line1=LONG, line2=LONG, city=LONG, postal_code="12345", country="SE", name=LONG),
        shipment_method_id="11111111-1111-1111-1111-111111111111",
        applies_to_invoice_id="22222222-2222-2222-2222-222222222222" if kind == DocumentKind.CREDIT_MEMO else "",
    )
    values.update(overrides)
    return DocumentDraft(**values)


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_sales_documents_fit_with_cuts_recorded(kind):
    fitted = payload_fit(ENTITY_BY_KIND[kind].name, _document(kind).to_payload())
    _check_body(kind.value, fitted.payload)
    cut = {(c.entity_set, c.field) for c in fitted.cuts}
    assert (kind.lines_property, "description") in cut
    if kind != DocumentKind.CREDIT_MEMO:
        assert {(kind.value, "shipToName"), (kind.value, "shipToCity"), (kind.value, "email")} <= cut


def test_an_external_document_number_longer_than_bc_holds_is_refused_not_cut():
    draft = _document(DocumentKind.INVOICE, external_document_number="#" + "9" * 40)
    with pytest.raises(FieldTooLong) as refused:
        payload_fit("salesInvoices", draft.to_payload())
    assert (refused.value.field, refused.value.length) == ("externalDocumentNumber", 35)


def test_customer_payload_fits():
    draft = CustomerDraft(
        display_name=LONG, email="b" * 100 + "@example.com", phone="+46" + "7" * 40, country="SE",
        address_line1=LONG, address_line2=LONG, city=LONG, postal_code="11122", currency_code="EUR",
    )  # fmt: skip
    fitted = payload_fit("customers", draft.to_payload(ids={"taxAreaId": "33333333-3333-3333-3333-333333333333"}))
    _check_body("customers", fitted.payload)
    assert fitted.payload["type"] == "Person"
    assert {c.field for c in fitted.cuts} == {
        "displayName",
        "email",
        "phoneNumber",
        "addressLine1",
        "addressLine2",
        "city",
    }


@pytest.mark.parametrize("item_type", ["Inventory", "Service", "Non-Inventory"])
def test_item_payload_sends_the_item_type_wire_value(item_type):
    template = dataclasses.replace(ItemTemplate.from_settings({}), item_type=item_type)
    variant = SimpleNamespace(sku="SKU-1", barcode="7312345678901", price=Decimal("10"))
    body = item_payload_from_product(product=SimpleNamespace(title=LONG), variant=variant, template=template,
                                     sku_rule="item_number")  # fmt: skip
    fitted = payload_fit("items", body)
    _check_body("items", fitted.payload)
    assert fitted.payload["type"] == enum_encode(item_type)
    too_long = {**body, "number": "S" * 21}
    with pytest.raises(FieldTooLong):
        payload_fit("items", too_long)


class RecordingBC:
    def __init__(self):
        self.writes: list[tuple[str, dict]] = []

    def batch_create(self, entity, payload, *, parent=None):
        body = payload if isinstance(payload, dict) else to_json(payload)
        self.writes.append((entity.name, body))
        return body

    def iter_records(self, entity, **_options):
        if entity is entities.CUSTOMER_PAYMENT_JOURNALS:
            return iter([SimpleNamespace(id="44444444-4444-4444-4444-444444444444")])
        return iter([])

    def create_customer_payment(self, *, journal_id, payment):
        self.writes.append(("customerPayments", to_json(payment)))
        return payment


def test_payout_lines_use_bc_signs_wire_values_and_fit():
    client = RecordingBC()
    journals = Journals(payment_id="p", payment_code="STRIPE", general_id="g", general_code="STRIPE")
    planned = [
        PlannedLine(tag="ch_1", kind="payment", amount=Decimal("-100"), description="payment [ch_1]",
                    customer_number="10000", applies_to_invoice_number="10300016"),
        PlannedLine(tag="re_1", kind="journal", amount=Decimal("20"), description="refund [re_1]",
                    account_type="Customer", account_number="10000", balancing_account_number="1580"),
        PlannedLine(tag="fees", kind="journal", amount=Decimal("3"), description="fees [fees]",
                    account_type="G/L Account", account_number="6064", balancing_account_number="1580"),
        PlannedLine(tag="transfer", kind="journal", amount=Decimal("77"), description="transfer [transfer]",
                    account_type="Bank Account", account_number="BANK1", balancing_account_number="1580"),
    ]  # fmt: skip
    for line in planned:
        line_operation(bc_client=client, line=line, journals=journals, reference="po_1", posting_date=None)
    for entity_set, body in client.writes:
        _check_body(entity_set, body)
    kinds = [(s, b.get("accountType"), b["amount"]) for s, b in client.writes]
    assert kinds == [
        ("customerPayments", None, -100.0),
        ("journalLines", "Customer", 20.0),
        ("journalLines", "G_x002F_L_x0020_Account", 3.0),
        ("journalLines", "Bank_x0020_Account", 77.0),
    ]
    assert {b.get("balanceAccountType") for s, b in client.writes if s == "journalLines"} == {"G_x002F_L_x0020_Account"}


def test_mark_as_paid_writes_a_negative_customer_payment():
    client = RecordingBC()
    integration = SimpleNamespace(payment_journal_batch="BANK", payment_journal_template="CASHRCPT",
                                  post_payment_journal=False)  # fmt: skip
    mark_paid._payment_write(integration=integration, bc_client=client, order_name="#4001", gateway="manual",
                             invoice_id="55555555-5555-5555-5555-555555555555", amount=Decimal("80"),
                             posting_date=None)  # fmt: skip
    ((entity_set, body),) = client.writes
    _check_body(entity_set, body)
    assert body["amount"] == -80.0


def test_journal_sign_rules_the_product_relies_on():
    """customerPayments are Payment lines: money received is negative, a refund would be positive."""
    rules = {
        (r["accountType"], r["documentType"]): r["requiredAmountSign"] for r in bc()["journalAmountSignRules"]["table"]
    }
    assert rules[("Customer", "Payment")] == "negative" and rules[("Customer", "Refund")] == "positive"
    # journalLines has no documentType: its lines have a blank Document Type, which is not checked.
    assert "documentType" not in fields_of("journalLines")
    blank = [r for r in bc()["journalAmountSignRules"]["additional"] if r["documentType"] == " "]
    assert {r["requiredAmountSign"] for r in blank} == {"any"}


# --- names used in queries, navigations, bound actions --------------------------------------------------

PRODUCT_DIRS = ("integrations", "syncs")
_NAME_PATTERNS = (
    re.compile(r"odata\.(?:eq|any_of|ne)\(\s*\"(\w+)\""),
    re.compile(r"contains\(\{?(\w+)"),
    re.compile(r"(?:expand|orderby)=\"(\w+)\""),
    re.compile(r"select=\[([^\]]*)\]"),
    re.compile(r"select=\(([^)]*)\)"),
    re.compile(r"_CUSTOMER_FIELDS = \[([^\]]*)\]"),
    re.compile(r"contains\(\{name\}.*?for name in \(([^)]*)\)"),
)


def _product_sources():
    for directory in PRODUCT_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if "migrations" in path.parts or "shopify" in path.parts or "stripe" in path.parts:
                continue
            yield path


def query_names(text: str) -> set[str]:
    names = set()
    for pattern in _NAME_PATTERNS:
        for match in pattern.finditer(text):
            names |= set(re.findall(r"\"(\w+)\"", match.group(0))) or {match.group(1)}
    return names


def _bc_sources() -> list[Path]:
    return [
        p
        for p in _product_sources()
        if "businesscentral" in p.read_text(encoding="utf-8") or "bc_client" in p.read_text(encoding="utf-8")
    ]


# Page 38 "Item Ledger Entries" is read as an ODataV4 web service (stock per location), not an API page:
# the repeater controls the product reads, as named in microsoft/BCApps
# src/Layers/W1/BaseApp/Inventory/Ledger/ItemLedgerEntries.Page.al. ODataV4 names a control with
# every run of other characters as one underscore and none at the end (assumption, docs/vendor-contracts.md).
ITEM_LEDGER_ENTRIES_CONTROLS = ("Entry No.", "Item No.", "Variant Code", "Location Code", "Remaining Quantity", "Open")


def odatav4_name(control: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", control).strip("_")


def test_odatav4_names_of_page_38_controls():
    assert [odatav4_name(c) for c in ITEM_LEDGER_ENTRIES_CONTROLS] == [
        "Entry_No", "Item_No", "Variant_Code", "Location_Code", "Remaining_Quantity", "Open",
    ]  # fmt: skip


def test_every_filter_select_expand_name_is_a_field_of_a_used_page():
    known = {odatav4_name(control) for control in ITEM_LEDGER_ENTRIES_CONTROLS}
    for entity in used_entity_sets():
        known |= set(fields_of(entity.name)) | parts_of(entity.name)
    unknown = {}
    found = set()
    for path in _bc_sources():
        names = query_names(path.read_text(encoding="utf-8"))
        found |= names
        for name in names - known:
            if name in ("name",):  # contains({name},...) loops over literal field names checked below
                continue
            unknown.setdefault(name, []).append(str(path.relative_to(ROOT)))
    assert unknown == {}
    assert {"externalDocumentNumber", "itemVariants", "blocked", "displayName", "code", "email"} <= found


def test_the_name_scan_would_catch_a_new_name():
    assert "shopOrderId" in query_names('client.iter_records(e.X, filter=odata.eq("shopOrderId", x))')
    assert unknown_names("salesInvoices", ["shopOrderId", "externalDocumentNumber"]) == ["shopOrderId"]


BOUND_ACTIONS = {("salesInvoices", "post"), ("salesOrders", "shipAndInvoice"), ("salesCreditMemos", "post"),
                 ("journals", "post")}  # fmt: skip
NAVIGATIONS_USED = {("items", "itemVariants"), ("customerPaymentJournals", "customerPayments"),
                    ("journals", "journalLines"), ("salesInvoices", "salesInvoiceLines"),
                    ("salesOrders", "salesOrderLines"), ("salesCreditMemos", "salesCreditMemoLines")}  # fmt: skip


def test_bound_actions_exist():
    for entity_set, action in BOUND_ACTIONS:
        actions = {a["odataAction"] for a in page(entity_set)["actions"]}
        assert f"Microsoft.NAV.{action}" in actions, (entity_set, action)


def test_every_action_the_code_invokes_is_listed():
    client_src = (ROOT / "integrations/connectors/businesscentral/client.py").read_text(encoding="utf-8")
    invoked = {(getattr(entities, const).name, action)
               for const, action in re.findall(r"invoke_action\(e\.(\w+), \w+, \"(\w+)\"\)", client_src)}  # fmt: skip
    invoked |= {(ENTITY_BY_KIND[kind].name, action) for kind, action in ACTION_BY_KIND.items()}
    assert invoked <= BOUND_ACTIONS and invoked


def test_navigations_exist():
    for entity_set, part in NAVIGATIONS_USED:
        assert part in parts_of(entity_set), (entity_set, part)


def test_every_parent_the_code_writes_under_is_listed():
    parents = set()
    for path in _bc_sources():
        for child, parent in re.findall(
            r"(?:entities|e)\.(\w+),[^()]*?parent=\((?:entities|e)\.(\w+)", path.read_text(encoding="utf-8")
        ):
            parents.add((getattr(entities, parent).name, getattr(entities, child).name))
    assert parents and parents <= NAVIGATIONS_USED


# --- enum wire form ----------------------------------------------------------------------------------


def test_codec_round_trips_every_enum_member_of_the_reference():
    for enum in bc()["enums"].values():
        if enum.get("kind") != "Enum":
            continue
        for value in enum["values"]:
            assert enum_encode(value["name"]) == value["wire"]
            assert enum_decode(value["wire"]) == value["name"]


def test_enum_members_the_product_sends_or_compares_with_exist():
    """Member names in the code (the connector encodes them) must be members of BC's enums."""
    used = [
        (codec.CUSTOMER_NOT_BLOCKED, "Customer Blocked"),
        (codec.ACCOUNT_TYPE_GL, "Gen. Journal Account Type"),
        (codec.ACCOUNT_TYPE_CUSTOMER, "Gen. Journal Account Type"),
        (codec.ACCOUNT_TYPE_BANK, "Gen. Journal Account Type"),
        (codec.LINE_TYPE_ITEM, "Invoice Line Agg. Line Type"),
        (codec.LINE_TYPE_ACCOUNT, "Invoice Line Agg. Line Type"),
        (codec.LINE_TYPE_COMMENT, "Invoice Line Agg. Line Type"),
        (codec.CUSTOMER_TYPE_PERSON, "Contact Type"),
        (codec.CUSTOMER_TYPE_COMPANY, "Contact Type"),
        (codec.GL_ACCOUNT_TYPE_POSTING, "G/L Account Type"),
        (documents.DRAFT, "Invoice Entity Aggregate Status"),
        (refunds.DRAFT, "Invoice Entity Aggregate Status"),
        (INVOICE_OPEN, "Invoice Entity Aggregate Status"),
        *[(status, "Invoice Entity Aggregate Status") for status in matching.POSTED],
        *[(choice.value, "Invoice Line Agg. Line Type") for choice in ShippingMethodMapping.LineType],
        *[(item_type, "Item Type") for item_type in ("Inventory", ItemTemplate.from_settings({}).item_type)],
    ]
    for name, enum_name in used:
        assert enum_encode(name) in wire_values(enum_name), (name, enum_name)


def test_an_unblocked_customer_from_bc_reads_as_not_blocked():
    """Real BC sends "_x0020_" for a customer that is not blocked (it looked blocked before)."""
    assert "_x0020_" in wire_values("Customer Blocked")
    customer = from_json(Customer, {"number": "10000", "blocked": "_x0020_"})
    assert customer.blocked == " " and not customer.blocked.strip()
    assert from_json(Customer, {"blocked": "All"}).blocked == "All"


# --- errors BC answers with ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message", "ours"),
    [
        ("Application_StringExceededLength",
         "The length of the string is 57, but it must be less than or equal to 50 characters. Value: x", "BC-701"),
        ("BadRequest_InvalidOperation", "Control 'number' is read-only.", "BC-702"),
        ("Application_FieldValidationException",
         "Amount must be negative in Gen. Journal Line Journal Template Name='CASHRCPT',Journal Batch Name='B',"
         "Line No.='10000'.", "BC-703"),
    ],
)  # fmt: skip
def test_bc_contract_refusals_are_classified(code, message, ours):
    error = SimpleNamespace(code=code, message=message, status=400, correlation_id="")
    from syncs.errors.classify import classify_bc_error

    assert classify_bc_error(code=error.code, message=error.message, status=400).code == ours


# --- the simulator against the reference ---------------------------------------------------------------

SIMULATED = [name for name in SPECS if name not in PLATFORM_SETS]


@pytest.mark.parametrize("entity_set", SIMULATED)
def test_simulator_fields_are_the_pages_fields(entity_set):
    assert unknown_names(entity_set, SPECS[entity_set].fields) == []


@pytest.mark.parametrize("entity_set", SIMULATED)
def test_simulator_refuses_every_read_only_field(entity_set):
    spec = SPECS[entity_set]
    if not (spec.insertable or spec.updatable):
        return  # the whole page is read-only in the simulator
    read_only = {name for name, f in fields_of(entity_set).items() if not f["editable"] and name in spec.fields}
    assert read_only - spec.read_only == set()


@pytest.mark.parametrize("entity_set", SIMULATED)
def test_simulator_lengths_and_enums_are_the_references(entity_set):
    spec = SPECS[entity_set]
    ref = fields_of(entity_set)
    writable = spec.insertable or spec.updatable
    lengths = {n: ref[n]["length"] for n in spec.writable_fields if writable and ref.get(n, {}).get("length")}
    assert sim_fields.LENGTHS.get(entity_set, {}) == lengths
    enums = {
        n: tuple(v["name"] for v in bc()["enums"][ref[n]["enum"]]["values"])
        for n in spec.fields
        if ref.get(n, {}).get("dataType") == "Enum"
    }
    assert sim_fields.ENUMS.get(entity_set, {}) == enums
    for members in enums.values():
        assert {sim_fields.wire(m) for m in members} == {enum_encode(m) for m in members}


def test_simulator_navigations_are_parts_or_table_relations():
    """A part is a navigation on the page; BC also exposes table relations of id fields (assumption)."""
    for (source, name), navigation in NAVIGATIONS.items():
        if name in parts_of(source):
            continue
        assert fields_of(source).get(navigation.local_field, {}).get("tableRelation"), (source, name)


def test_simulator_sign_rules_are_the_references():
    rules = bc()["journalAmountSignRules"]
    expected = {
        (r["accountType"], r["documentType"]): r["requiredAmountSign"]
        for r in rules["table"] + rules["additional"]
        if r["requiredAmountSign"] in ("positive", "negative") and "condition" not in r
    }
    assert expected == SIGN_RULES
    for balancing in rules["balancingAccount"]:
        if balancing["requiredAmountSign"] in ("positive", "negative"):
            own = SIGN_RULES[(balancing["balAccountType"], balancing["documentType"])]
            assert balancing["requiredAmountSign"] != own  # mirrored


def test_product_errors_for_too_long_values_render():
    from syncs.errors import ProductError

    error = classify_exception(ProductError("MAP-018", field="externalDocumentNumber", value="#1", length=35))
    assert error.code == "MAP-018" and "35" in error.message


def test_api_v2_journal_pages_have_no_currency_so_foreign_lines_go_through_the_general_journal_page():
    """Why a payout in a foreign currency writes its general journal lines through the General Journal
    page (39, ODataV4) and reads only LCY amounts back from G/L entries."""
    for entity_set in ("journalLines", "customerPayments"):
        assert not [name for name in fields_of(entity_set) if "currency" in name.lower()], entity_set
    ledger = fields_of("generalLedgerEntries")
    assert {"debitAmount", "creditAmount", "accountNumber", "description", "postingDate"} <= set(ledger)
    assert not [name for name in ledger if "source" in name.lower() or name == "currencyCode"]
    assert entities.GENERAL_JOURNAL_PAGE not in bc()["pages"]  # a UI page published as a web service
    rates = fields_of("currencyExchangeRates")
    assert {"currencyCode", "startingDate", "exchangeRateAmount", "relationalExchangeRateAmount"} <= set(rates)

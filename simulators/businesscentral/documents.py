"""Sales documents (invoices, orders, credit memos): deep insert, line amounts with VAT from
the VAT posting setup matrix, totals, and the bound posting actions."""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import Decimal

from .amounts import dec, money
from .entities import DOCUMENT_LINES, LINE_DOCUMENTS, SPECS
from .errors import BCError, dialog
from .ledger import as_date, exchange_rate, vat_setup
from .resources import assign_number, check_body, check_enum, resolve, resolve_currency
from .store import EMPTY_GUID, CompanyStore

DOCUMENT_DATE = {"salesInvoices": "invoiceDate", "salesOrders": "orderDate", "salesCreditMemos": "creditMemoDate"}
LABEL = {"salesInvoices": "Sales Invoice", "salesOrders": "Sales Order", "salesCreditMemos": "Sales Credit Memo"}
LINE_TYPES = ("Comment", "Account", "Item", "Resource", "Value", "Fixed Asset", "Charge")
_LINE_STEP = 10000


# -- helpers ------------------------------------------------------------------------------------


def document_date(entity_set: str, document: dict, today: dt.date) -> dt.date:
    return as_date(document.get(DOCUMENT_DATE[entity_set]), today)


def customer_vat_bus(store: CompanyStore, customer: dict) -> str:
    area = store.get("taxAreas", customer.get("taxAreaId"))
    return area["code"] if area else ""


def _due_date(store: CompanyStore, terms_id: str, start: dt.date) -> dt.date:
    terms = store.get("paymentTerms", terms_id)
    match = re.fullmatch(r"(\d+)D", (terms or {}).get("dueDateCalculation") or "")
    return start + dt.timedelta(days=int(match.group(1))) if match else start


def _check_draft(entity_set: str, document: dict) -> None:
    if document["status"] != "Draft":
        raise dialog(f"You cannot change a posted {LABEL[entity_set].lower().removeprefix('sales ')}.")


def _resolve_customer(store: CompanyStore, values: dict) -> dict:
    customer = resolve(
        store,
        values,
        id_field="customerId",
        code_field="customerNumber",
        table="customers",
        table_code_field="number",
        label="Customer",
    )
    if customer is None:
        raise dialog('A "customerNumber" or a "customerId" must be provided.')
    return customer


def check_customer_for(customer: dict, *, posting: bool) -> None:
    blocked = customer.get("blocked") or " "
    if blocked == "All" or (posting and blocked == "Invoice"):
        verb = "post" if posting else "create"
        raise dialog(
            f"You cannot {verb} this type of document when Customer {customer['number']} is blocked with type {blocked}"
        )


def _apply_customer(store: CompanyStore, values: dict, customer: dict) -> None:
    values["customerId"], values["customerNumber"] = customer["id"], customer["number"]
    values["customerName"] = values["billToName"] = customer["displayName"]
    values["billToCustomerId"], values["billToCustomerNumber"] = customer["id"], customer["number"]
    for part in ("AddressLine1", "AddressLine2", "City", "State", "PostCode", "Country"):
        source = {"PostCode": "postalCode", "Country": "country"}.get(part, part[0].lower() + part[1:])
        values.setdefault(f"sellTo{part}", customer.get(source, ""))
        values[f"billTo{part}"] = customer.get(source, "")
    values.setdefault("shipToName", customer["displayName"])
    values.setdefault("email", customer.get("email", ""))
    values.setdefault("phoneNumber", customer.get("phoneNumber", ""))
    if not values.get("paymentTermsId"):
        values["paymentTermsId"] = customer.get("paymentTermsId") or EMPTY_GUID
    if not values.get("shipmentMethodId"):
        values["shipmentMethodId"] = customer.get("shipmentMethodId") or EMPTY_GUID
    values["_vatBus"] = customer_vat_bus(store, customer)


# -- headers ------------------------------------------------------------------------------------


def document_create(store: CompanyStore, entity_set: str, values: dict, parent: dict) -> dict:  # noqa: ARG001
    lines_set = DOCUMENT_LINES[entity_set]
    raw_lines = values.pop(lines_set, None) or []
    if values.get("discountAmount"):
        raise BCError("BadRequest_MethodNotImplemented", "Invoice discounts are not supported by this simulator.")
    saved_series = copy.deepcopy(store.number_series)
    created: list[tuple[str, str]] = []
    try:
        customer = _resolve_customer(store, values)
        check_customer_for(customer, posting=False)
        _apply_customer(store, values, customer)
        if "currencyCode" in values or "currencyId" in values:
            values["currencyCode"], values["currencyId"] = resolve_currency(store, values)
        else:
            values["currencyCode"], values["currencyId"] = (
                customer.get("currencyCode", ""),
                customer.get("currencyId", EMPTY_GUID),
            )
        today = store.clock.today()
        date_field = DOCUMENT_DATE[entity_set]
        on = as_date(values.get(date_field), today)
        values[date_field] = on.isoformat()
        values["postingDate"] = as_date(values.get("postingDate"), on).isoformat()
        if "dueDate" in SPECS[entity_set].fields and not values.get("dueDate"):
            values["dueDate"] = _due_date(store, values["paymentTermsId"], on).isoformat()
        if values["currencyCode"]:
            exchange_rate(store, values["currencyCode"], on)
        if entity_set == "salesCreditMemos" and (values.get("invoiceId") or values.get("invoiceNumber")):
            invoice = resolve(
                store,
                values,
                id_field="invoiceId",
                code_field="invoiceNumber",
                table="salesInvoices",
                table_code_field="number",
                label="Invoice",
            )
            if invoice and invoice["status"] == "Draft":
                raise dialog('The "invoiceId" should be the ID of an Open, Paid, Corrective, or Canceled Invoice.')
            values["invoiceId"], values["invoiceNumber"] = invoice["id"], invoice["number"]
        _check_salesperson(store, values)
        values["number"] = assign_number(store, entity_set, values.get("number"), entity_set, LABEL[entity_set])
        values["status"] = "Draft"
        values.setdefault("pricesIncludeTax", False)
        header = store.insert(entity_set, values)
        created.append((entity_set, header["id"]))
        for raw in raw_lines:
            line_values = check_body(SPECS[lines_set], raw)
            line = line_create(store, lines_set, line_values, {"documentId": header["id"]})
            created.append((lines_set, line["id"]))
        return header
    except BCError:
        # One request is one transaction in BC: a failing line undoes the whole deep insert.
        for table, record_id in created:
            store.delete(table, record_id)
        store.number_series = saved_series
        raise


def _check_salesperson(store: CompanyStore, values: dict) -> None:
    """Salesperson Code relates to Salesperson/Purchaser: an unknown code is refused (BC's TableRelation)."""
    code = values.get("salesperson")
    if code and store.find("salespeoplePurchasers", code=str(code).upper()) is None:
        raise dialog(
            f"The field Salesperson Code of table Sales Header contains a value ({code}) that cannot be found in the "
            "related table (Salesperson/Purchaser)."
        )


def document_update(store: CompanyStore, entity_set: str, document: dict, values: dict) -> None:
    _check_draft(entity_set, document)
    if values.get("discountAmount"):
        raise BCError("BadRequest_MethodNotImplemented", "Invoice discounts are not supported by this simulator.")
    if "number" in values and values["number"] != document["number"]:
        raise dialog("The number of a document cannot be changed.")
    merged = {**document, **values}
    if "customerId" in values or "customerNumber" in values:
        customer = _resolve_customer(store, values)
        check_customer_for(customer, posting=False)
        _apply_customer(store, merged, customer)
    if "currencyCode" in values or "currencyId" in values:
        merged["currencyCode"], merged["currencyId"] = resolve_currency(store, values)
    date_field = DOCUMENT_DATE[entity_set]
    if merged["currencyCode"]:
        exchange_rate(store, merged["currencyCode"], as_date(merged[date_field], store.clock.today()))
    lines_set = DOCUMENT_LINES[entity_set]
    lines = store.filter(lines_set, documentId=document["id"])
    for line in lines:
        _price_line(store, merged, line)  # validate before changing anything
    document.update({k: v for k, v in merged.items() if k in SPECS[entity_set].fields or k.startswith("_")})
    for line in lines:
        store.touch(line)
    recompute_totals(store, entity_set, document)


def document_delete(store: CompanyStore, entity_set: str, document: dict) -> None:
    if document["status"] != "Draft":
        raise dialog(f"You cannot delete a posted {LABEL[entity_set].lower().removeprefix('sales ')}.")
    for line in store.filter(DOCUMENT_LINES[entity_set], documentId=document["id"]):
        store.delete(DOCUMENT_LINES[entity_set], line["id"])
    store.delete(entity_set, document["id"])


# -- lines --------------------------------------------------------------------------------------


def _parent(store: CompanyStore, lines_set: str, document_id: str) -> tuple[str, dict]:
    entity_set = LINE_DOCUMENTS[lines_set]
    document = store.get(entity_set, document_id)
    if document is None:
        raise dialog("You must specify a document id to get the lines.")
    return entity_set, document


def _resolve_line_object(store: CompanyStore, line: dict) -> None:
    if line.get("itemId") not in (None, "", EMPTY_GUID) and line.get("accountId") not in (None, "", EMPTY_GUID):
        raise dialog('You cannot specify both an "itemId" and an "accountId".')
    if not line.get("lineType"):
        if line.get("accountId") not in (None, "", EMPTY_GUID):
            line["lineType"] = "Account"
        elif line.get("itemId") not in (None, "", EMPTY_GUID) or line.get("lineObjectNumber"):
            line["lineType"] = "Item"
        else:
            line["lineType"] = "Comment"
    check_enum("lineType", line["lineType"], LINE_TYPES)
    kind = line["lineType"]
    if kind == "Item":
        item = _find_target(store, line, "itemId", "items", "Item")
        check_item(item)
        line["itemId"], line["lineObjectNumber"] = item["id"], item["number"]
        line.setdefault("description", item["displayName"])
        if line.get("unitPrice") in (None, ""):
            line["unitPrice"] = item["unitPrice"]
        line.setdefault("unitOfMeasureCode", item.get("baseUnitOfMeasureCode", ""))
        if not line.get("taxCode"):
            line["taxCode"] = item.get("taxGroupCode", "")
    elif kind == "Account":
        account = _find_target(store, line, "accountId", "accounts", "G/L Account")
        if account["blocked"]:
            raise BCError(
                "Application_FieldValidationException",
                f"Blocked must be equal to 'No'  in G/L Account: No.={account['number']}. Current value is 'Yes'.",
            )
        line["accountId"], line["lineObjectNumber"] = account["id"], account["number"]
        line.setdefault("description", account["displayName"])
        if not line.get("taxCode"):
            line["taxCode"] = account.get("_taxCode", "")
    elif kind != "Comment":
        raise BCError("BadRequest_MethodNotImplemented", f"Line type {kind} is not supported by this simulator.")


def _find_target(store: CompanyStore, line: dict, id_field: str, table: str, label: str) -> dict:
    if line.get(id_field) not in (None, "", EMPTY_GUID):
        found = store.get(table, line[id_field])
        if found is None:
            article = "an" if label[0] in "AEIOU" else "a"
            raise dialog(f'The "{id_field}" does not match to {article} {label}.')
        return found
    number = line.get("lineObjectNumber") or ""
    found = store.find(table, number=number)
    if found is None:
        raise BCError(
            "Internal_RecordNotFound", f"The {label} does not exist. Identification fields and values: No.='{number}'"
        )
    return found


def check_item(item: dict) -> None:
    if item["blocked"]:
        raise BCError(
            "Application_FieldValidationException",
            f"Blocked must be equal to 'No'  in Item: No.={item['number']}. Current value is 'Yes'.",
        )


def _price_line(store: CompanyStore, document: dict, line: dict) -> None:
    """Compute the line's amounts: VAT % from the VAT posting setup (customer x line tax code)."""
    if line["lineType"] == "Comment":
        return
    prod = line.get("taxCode") or ""
    if prod and store.find("taxGroups", code=prod) is None:
        raise BCError(
            "Internal_RecordNotFound",
            f"The VAT Product Posting Group does not exist. Identification fields and values: Code='{prod}'",
        )
    setup = vat_setup(store, document.get("_vatBus", ""), prod)
    rate = dec(setup.vat_percent) / 100
    quantity, price = dec(line.get("quantity")), dec(line.get("unitPrice"))
    gross = quantity * price
    if line.get("discountAmount"):
        discount = dec(line["discountAmount"])
        line["discountPercent"] = money(discount / gross * 100, "0.00001") if gross else 0
    else:
        discount = dec(money(gross * dec(line.get("discountPercent")) / 100))
    if document.get("pricesIncludeTax"):
        including = dec(money(gross - discount))
        excluding = dec(money(including / (1 + rate)))
    else:
        excluding = dec(money(gross - discount))
        including = excluding + dec(money(excluding * rate))
    tax = including - excluding
    line.update(
        taxPercent=float(setup.vat_percent),
        discountAmount=money(discount),
        amountExcludingTax=money(excluding),
        totalTaxAmount=money(tax),
        amountIncludingTax=money(including),
        netAmount=money(excluding),
        netTaxAmount=money(tax),
        netAmountIncludingTax=money(including),
    )


def line_create(store: CompanyStore, lines_set: str, values: dict, parent: dict) -> dict:
    values = {**values, **parent}
    entity_set, document = _parent(store, lines_set, values.get("documentId"))
    _check_draft(entity_set, document)
    _resolve_line_object(store, values)
    if (
        values.get("locationId")
        and values["locationId"] != EMPTY_GUID
        and store.get("locations", values["locationId"]) is None
    ):
        raise dialog('The "locationId" does not match to a Location.')
    values.setdefault("quantity", 0 if values["lineType"] == "Comment" else 1)
    if not values.get("sequence"):
        existing = store.filter(lines_set, documentId=document["id"])
        values["sequence"] = max((line["sequence"] for line in existing), default=0) + _LINE_STEP
    if lines_set == "salesOrderLines":
        values.setdefault("shipQuantity", values["quantity"])
        values.setdefault("invoiceQuantity", values["quantity"])
    _price_line(store, document, values)
    line = store.insert(lines_set, values)
    recompute_totals(store, entity_set, document)
    return line


def line_update(store: CompanyStore, lines_set: str, line: dict, values: dict) -> None:
    entity_set, document = _parent(store, lines_set, line["documentId"])
    _check_draft(entity_set, document)
    for frozen in ("sequence", "lineObjectNumber", "lineType", "documentId"):
        if frozen in values and values[frozen] != line[frozen]:
            raise dialog(f'The "{frozen}" cannot be changed.')
    merged = {**line, **values}
    if "itemId" in values or "accountId" in values:
        _resolve_line_object(store, merged)
    _price_line(store, document, merged)
    line.update(merged)
    recompute_totals(store, entity_set, document)


def line_delete(store: CompanyStore, lines_set: str, line: dict) -> None:
    entity_set, document = _parent(store, lines_set, line["documentId"])
    _check_draft(entity_set, document)
    store.delete(lines_set, line["id"])
    recompute_totals(store, entity_set, document)


def recompute_totals(store: CompanyStore, entity_set: str, document: dict) -> None:
    lines = store.filter(DOCUMENT_LINES[entity_set], documentId=document["id"])
    document["totalAmountExcludingTax"] = money(sum((dec(line["amountExcludingTax"]) for line in lines), Decimal(0)))
    document["totalTaxAmount"] = money(sum((dec(line["totalTaxAmount"]) for line in lines), Decimal(0)))
    document["totalAmountIncludingTax"] = money(sum((dec(line["amountIncludingTax"]) for line in lines), Decimal(0)))
    store.touch(document)

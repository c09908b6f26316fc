"""Bound actions that post sales documents: salesInvoices post, salesOrders shipAndInvoice,
salesCreditMemos post. Every check runs before anything changes, so a failing post leaves the
draft exactly as it was."""

from __future__ import annotations

from decimal import Decimal

from .amounts import dec, money
from .documents import DOCUMENT_DATE, _price_line, check_customer_for, check_item, document_date
from .entities import DOCUMENT_LINES
from .errors import NOTHING_TO_POST, BCError, dialog
from .inventory import item_entry_post, line_variant_code
from .ledger import as_date, check_posting_date, lcy_factor, post_gl
from .numbering import next_number
from .shipments import dimensions_copy, post_shipment
from .store import CompanyStore


def _postable_lines(store: CompanyStore, entity_set: str, document: dict) -> list[dict]:
    lines = store.filter(DOCUMENT_LINES[entity_set], documentId=document["id"])
    postable = [line for line in lines if line["lineType"] != "Comment" and line["quantity"]]
    if not postable:
        raise dialog(NOTHING_TO_POST)
    return lines


def _validate_for_posting(store: CompanyStore, entity_set: str, document: dict) -> tuple[list[dict], Decimal]:
    lines = _postable_lines(store, entity_set, document)
    customer = store.get("customers", document["customerId"])
    check_customer_for(customer, posting=True)
    posting_date = as_date(document["postingDate"], store.clock.today())
    check_posting_date(store, posting_date)
    factor = lcy_factor(store, document["currencyCode"], document_date(entity_set, document, posting_date))
    for line in lines:
        if line["lineType"] == "Item":
            check_item(store.get("items", line["itemId"]))
        _price_line(store, document, dict(line))  # the VAT setup may have changed since the line was made
    return lines, factor


def _sales_movements(
    store: CompanyStore, document: dict, lines: list[dict], factor: Decimal, sign: int
) -> tuple[list[tuple], Decimal, Decimal]:
    """(account, LCY amount, currency, amount in the document's currency) for sales and VAT, the LCY
    total and the document-currency total; ``sign`` -1 credits them (invoice), +1 debits (credit memo)."""
    movements: list[tuple] = []
    total = Decimal(0)
    total_fcy = Decimal(0)
    currency = document.get("currencyCode") or ""
    for line in lines:
        if line["lineType"] == "Comment":
            continue
        setup = store.vat_setup[(document.get("_vatBus", ""), line.get("taxCode") or "")]
        if line["lineType"] == "Account":
            sales_account = line["lineObjectNumber"]
        else:
            sales_account = store.posting.sales_by_vat_bus.get(document.get("_vatBus", ""), store.posting.default_sales)
        net_fcy, tax_fcy = dec(line["amountExcludingTax"]), dec(line["totalTaxAmount"])
        net = dec(money(net_fcy * factor))
        tax = dec(money(tax_fcy * factor))
        movements += [
            (sales_account, sign * net, currency, sign * net_fcy),
            (setup.sales_vat_account, sign * tax, currency, sign * tax_fcy),
        ]
        total += net + tax
        total_fcy += net_fcy + tax_fcy
    return movements, total, total_fcy


def _move_stock(store: CompanyStore, lines: list[dict], document_number: str, sign: int) -> None:
    for line in lines:
        item = store.get("items", line.get("itemId")) if line["lineType"] == "Item" else None
        if item and item["type"] == "Inventory":
            location = store.get("locations", line.get("locationId")) if line.get("locationId") else None
            item_entry_post(
                store,
                item=item,
                location_code=location["code"] if location else "",
                quantity=float(line["quantity"]) * sign,
                entry_type="Sale",
                document_number=document_number,
                variant_code=line_variant_code(store, line),
            )
            store.touch(item)


def _adjust_balance(store: CompanyStore, customer_id: str, amount: Decimal) -> None:
    customer = store.get("customers", customer_id)
    customer["balanceDue"] = money(dec(customer["balanceDue"]) + amount)
    store.touch(customer)


def post_invoice(store: CompanyStore, invoice: dict) -> None:
    if invoice["status"] != "Draft":
        raise dialog("The action can be applied to a draft invoice only.")
    lines, factor = _validate_for_posting(store, "salesInvoices", invoice)
    posting_date = as_date(invoice["postingDate"], store.clock.today())
    number = next_number(store.series("postedSalesInvoices"), posting_date)
    _book_invoice(store, invoice, lines, factor, number)


def _book_invoice(
    store: CompanyStore, invoice: dict, lines: list[dict], factor: Decimal, number: str, *, move_stock: bool = True
) -> None:
    posting_date = as_date(invoice["postingDate"], store.clock.today())
    movements, total, total_fcy = _sales_movements(store, invoice, lines, factor, sign=-1)
    currency = invoice.get("currencyCode") or ""
    post_gl(
        store,
        posting_date=posting_date,
        document_number=number,
        document_type="Invoice",
        description=f"Invoice {number}",
        movements=[(store.posting.receivables, total, currency, total_fcy), *movements],
    )
    if move_stock:
        _move_stock(store, lines, number, sign=-1)
    _adjust_balance(store, invoice["customerId"], total)
    invoice.update(number=number, status="Open", remainingAmount=invoice["totalAmountIncludingTax"])
    invoice["_draftNumber"] = invoice.get("_draftNumber") or ""
    invoice["_lcyFactor"] = str(factor)
    store.touch(invoice)


def ship_and_invoice_order(store: CompanyStore, order: dict) -> None:
    """Ship and invoice the whole order: what is not shipped yet is shipped (a posted shipment, the
    stock moves there), a posted invoice (new id, orderId/orderNumber set, the order's dimensions)
    is created and the fully invoiced order is deleted, as BC does."""
    lines, factor = _validate_for_posting(store, "salesOrders", order)
    posting_date = as_date(order["postingDate"], store.clock.today())
    number = next_number(store.series("postedSalesInvoices"), posting_date)
    post_shipment(store, order)
    header = {key: value for key, value in order.items() if key not in {"id", "_seq", "_etag", "orderDate", "number"}}
    header.update(
        invoiceDate=order["orderDate"],
        orderId=order["id"],
        orderNumber=order["number"],
        status="Draft",
        dueDate=order["orderDate"],
    )
    invoice = store.insert("salesInvoices", header)
    invoice_lines = []
    for line in lines:
        copied = {key: value for key, value in line.items() if key not in {"id", "_seq", "_etag"}}
        copied["documentId"] = invoice["id"]
        invoice_lines.append(store.insert("salesInvoiceLines", copied))
        store.delete("salesOrderLines", line["id"])
    dimensions_copy(store, from_id=order["id"], to_id=invoice["id"], parent_type="Sales Invoice")
    _book_invoice(store, invoice, invoice_lines, factor, number, move_stock=False)
    store.delete("salesOrders", order["id"])


def post_credit_memo(store: CompanyStore, memo: dict) -> None:
    if memo["status"] != "Draft":
        raise dialog("The action can be applied to a draft credit memo only.")
    lines, factor = _validate_for_posting(store, "salesCreditMemos", memo)
    invoice = store.get("salesInvoices", memo.get("invoiceId")) if memo.get("invoiceId") else None
    if invoice is not None and invoice["customerId"] != memo["customerId"]:
        raise dialog("The credit memo and the invoice it applies to must have the same customer.")
    posting_date = as_date(memo["postingDate"], store.clock.today())
    number = next_number(store.series("postedSalesCreditMemos"), posting_date)
    movements, total, total_fcy = _sales_movements(store, memo, lines, factor, sign=+1)
    post_gl(
        store,
        posting_date=posting_date,
        document_number=number,
        document_type="Credit Memo",
        description=f"Credit Memo {number}",
        movements=[(store.posting.receivables, -total, memo.get("currencyCode") or "", -total_fcy), *movements],
    )
    _move_stock(store, lines, number, sign=+1)
    _adjust_balance(store, memo["customerId"], -total)
    remaining = dec(memo["totalAmountIncludingTax"])
    if invoice is not None:
        applied = min(remaining, dec(invoice["remainingAmount"]))
        apply_to_invoice(store, invoice, applied)
        remaining -= applied
    memo.update(number=number, status="Open" if remaining else "Paid", remainingAmount=money(remaining))
    store.touch(memo)


def apply_to_invoice(store: CompanyStore, invoice: dict, amount: Decimal) -> None:
    """Close ``amount`` (document currency) of a posted invoice; fully applied -> Paid."""
    remaining = dec(invoice["remainingAmount"]) - amount
    if remaining < 0:
        remaining = Decimal(0)
    invoice["remainingAmount"] = money(remaining)
    invoice["status"] = "Paid" if remaining == 0 else "Open"
    store.touch(invoice)


POSTED_STATUSES = ("Open", "Paid", "Corrective", "Canceled")


def run_document_action(store: CompanyStore, entity_set: str, document: dict, action: str) -> None:
    if entity_set == "salesInvoices" and action in {"post", "postAndSend"}:
        post_invoice(store, document)
    elif entity_set == "salesOrders" and action == "shipAndInvoice":
        ship_and_invoice_order(store, document)
    elif entity_set == "salesCreditMemos" and action in {"post", "postAndSend"}:
        post_credit_memo(store, document)
    else:
        raise BCError(
            "BadRequest_MethodNotImplemented",
            f"The action '{action}' on '{entity_set}' is not supported by this simulator.",
        )


__all__ = ["DOCUMENT_DATE", "POSTED_STATUSES", "apply_to_invoice", "run_document_action"]

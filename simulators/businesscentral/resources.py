"""Generic entity handling: shaping records for output ($select/$expand), body validation,
reference resolution (xxxId / xxxCode pairs) and the writers of master data."""

from __future__ import annotations

from collections.abc import Callable

from . import odata
from .entities import NAVIGATIONS, SPECS, EntitySpec
from .errors import BCError, dialog
from .fields import ENUMS, LENGTHS, member, wire
from .inventory import item_entry_post
from .numbering import check_manual_allowed, next_number
from .store import EMPTY_GUID, CompanyStore

# -- output -----------------------------------------------------------------------------------


def related(store: CompanyStore, entity_set: str, record: dict, name: str) -> tuple[str, list[dict] | dict | None]:
    navigation = NAVIGATIONS.get((entity_set, name))
    if navigation is None:
        raise BCError(
            "BadRequest_NotFound",
            f"Could not find a property named '{name}' on type 'Microsoft.NAV.{SPECS[entity_set].type_name}'.",
        )
    value = record.get(navigation.local_field)
    if navigation.many:
        return navigation.target, store.filter(navigation.target, **{navigation.remote_field: value})
    if not value or value == EMPTY_GUID:
        return navigation.target, None
    return navigation.target, store.find(navigation.target, **{navigation.remote_field: value})


def query_rows(store: CompanyStore, entity_set: str, rows: list[dict], options: dict[str, str]) -> list[dict]:
    """Apply $filter and $orderby (paging is the caller's business)."""
    spec = SPECS[entity_set]
    known = set(spec.fields)
    if options.get("$filter"):
        tree = odata.parse_filter(options["$filter"], known, spec.type_name)
        rows = [row for row in rows if odata.matches(tree, output_values(store, entity_set, row))]
    return odata.order(rows, options.get("$orderby"), known, spec.type_name)


def output_values(store: CompanyStore, entity_set: str, record: dict) -> dict:
    """The API's view of a record: public fields plus values computed on read."""
    values = {name: record.get(name) for name in SPECS[entity_set].fields}
    if entity_set == "accounts":
        entries = store.filter("generalLedgerEntries", accountNumber=record["number"])
        values["netChange"] = round(sum(e["debitAmount"] - e["creditAmount"] for e in entries), 2)
    if "currencyCode" in values and entity_set not in {"currencyExchangeRates", "bankAccounts"}:
        values["currencyCode"] = values["currencyCode"] or store.lcy_code  # blank currency means LCY
    for name in ENUMS.get(entity_set, {}):  # enum members go out in BC's _xHHHH_ wire form
        if isinstance(values.get(name), str):
            values[name] = wire(values[name])
    return values


def shape(store: CompanyStore, entity_set: str, record: dict, options: dict[str, str]) -> dict:
    select = odata.parse_select(options.get("$select"))
    spec = SPECS[entity_set]
    if select:
        unknown = [name for name in select if name not in spec.fields]
        if unknown:
            raise BCError(
                "BadRequest_NotFound",
                f"Could not find a property named '{unknown[0]}' on type 'Microsoft.NAV.{spec.type_name}'.",
            )
    values = output_values(store, entity_set, record)
    out: dict = {"@odata.etag": record["_etag"]}
    out.update({name: value for name, value in values.items() if select is None or name in select})
    for item in odata.parse_expand(options.get("$expand")):
        target, found = related(store, entity_set, record, item.name)
        if isinstance(found, list):
            rows = query_rows(store, target, found, item.options)
            out[item.name] = [shape(store, target, row, item.options) for row in rows]
        else:
            out[item.name] = shape(store, target, found, item.options) if found else None
    return out


# -- input validation -------------------------------------------------------------------------


def check_body(spec: EntitySpec, body: object, *, extra: frozenset[str] = frozenset()) -> dict:
    if not isinstance(body, dict):
        raise BCError("BadRequest", "Invalid Request Body")
    clean = {key: value for key, value in body.items() if not key.startswith("@odata.")}
    for name in clean:
        if name not in spec.fields and name not in extra:
            raise BCError(
                "BadRequest",
                f"The property '{name}' does not exist on type 'Microsoft.NAV.{spec.type_name}'. "
                "Make sure to only use property names that are defined by the type.",
            )
        if name in spec.read_only and name != "id":
            raise BCError("BadRequest_InvalidOperation", f"Control '{name}' is read-only.")
    clean.pop("id", None)
    _check_wire_values(spec.name, clean)
    return clean


def _check_wire_values(entity_set: str, values: dict) -> None:
    """Enum values arrive in wire form (decoded here to member names); text must fit the field."""
    enums = ENUMS.get(entity_set, {})
    for name, members in enums.items():
        if name in values and values[name] is not None:
            sent = values[name]
            if not isinstance(sent, str) or sent not in {wire(m) for m in members}:
                # Assumption: the OData layer's wording for a value outside the enum type.
                raise BCError("BadRequest", f"Cannot convert the literal '{sent}' to the expected type of '{name}'.")
            values[name] = member(sent)
    for name, limit in LENGTHS.get(entity_set, {}).items():
        sent = values.get(name)
        if isinstance(sent, str) and len(sent) > limit:
            raise BCError(
                "Application_StringExceededLength",
                f"The length of the string is {len(sent)}, but it must be less than or equal to {limit} characters. "
                f"Value: {sent}",
            )


def resolve(
    store: CompanyStore,
    values: dict,
    *,
    id_field: str,
    code_field: str | None,
    table: str,
    table_code_field: str,
    label: str,
    mismatch_label: str | None = None,
) -> dict | None:
    """Resolve a reference sent as an id, a code, or both (BC's rules and messages)."""
    by_id = by_code = None
    sent_id = values.get(id_field)
    sent_code = values.get(code_field) if code_field else None
    if sent_id and sent_id != EMPTY_GUID:
        by_id = store.get(table, sent_id)
        if by_id is None:
            raise dialog(f'The "{id_field}" does not match to a {label}.')
    if sent_code:
        by_code = store.find(table, **{table_code_field: sent_code})
        if by_code is None:
            raise dialog(f'The "{code_field}" does not match to a {label}.')
    if by_id and by_code and by_id["id"] != by_code["id"]:
        raise dialog(f"The {mismatch_label or label.lower()} values do not match to a specific {label}.")
    return by_id or by_code


def resolve_currency(store: CompanyStore, values: dict) -> tuple[str, str]:
    """-> (currencyCode as stored, currencyId). The LCY code (or blank) means local currency."""
    code = values.get("currencyCode")
    if code is not None and (code == "" or code == store.lcy_code) and not values.get("currencyId"):
        return "", EMPTY_GUID
    found = resolve(
        store,
        values,
        id_field="currencyId",
        code_field="currencyCode",
        table="currencies",
        table_code_field="code",
        label="Currency",
    )
    if found is None:
        return "", EMPTY_GUID
    return found["code"], found["id"]


def assign_number(store: CompanyStore, purpose: str, sent: str | None, entity_set: str, label: str) -> str:
    series = store.series(purpose)
    if sent:
        if series is not None:
            check_manual_allowed(series)
        number = sent
    else:
        if series is None:
            raise dialog(f"You must specify a number series for {label}.")
        number = next_number(series, store.clock.today())
    if store.find(entity_set, number=number):
        raise BCError(
            "Internal_EntityWithSameKeyExists",
            f"The {label} already exists. Identification fields and values: No.='{number}'",
        )
    return number


def check_enum(field: str, value: object, options: tuple[str, ...]) -> None:
    if value not in options:
        raise BCError(
            "Unknown", f"'{value}' is not an option. The existing options are: {','.join(o.strip() for o in options)}"
        )


# -- writers ----------------------------------------------------------------------------------

Creator = Callable[[CompanyStore, dict, dict], dict]
Updater = Callable[[CompanyStore, dict, dict], None]


def generic_create(store: CompanyStore, entity_set: str, values: dict, parent: dict) -> dict:
    spec = SPECS[entity_set]
    values = {**values, **parent}
    key = spec.unique_field
    if key:
        if not values.get(key):
            raise BCError("BadRequest_RequiredParamNotProvided", f"Field '{key}' must not be blank or empty.")
        if store.find(entity_set, **{key: values[key]}):
            raise BCError(
                "Internal_EntityWithSameKeyExists",
                f"The {spec.type_name} already exists. Identification fields and values: Code='{values[key]}'",
            )
    if entity_set in {"taxAreas", "taxGroups"}:
        values["taxType"] = "VAT"
    return store.insert(entity_set, values)


def generic_update(store: CompanyStore, entity_set: str, record: dict, values: dict) -> None:
    spec = SPECS[entity_set]
    key = spec.unique_field
    if key and key in values and values[key] != record[key] and store.find(entity_set, **{key: values[key]}):
        raise BCError(
            "Internal_EntityWithSameKeyExists",
            f"The {spec.type_name} already exists. Identification fields and values: Code='{values[key]}'",
        )
    record.update(values)


CUSTOMER_BLOCKED = (" ", "Ship", "Invoice", "All")


def _customer_references(store: CompanyStore, values: dict, record: dict) -> None:
    if "taxAreaId" in values:
        area = resolve(
            store,
            values,
            id_field="taxAreaId",
            code_field=None,
            table="taxAreas",
            table_code_field="code",
            label="Tax Area",
        )
        values["taxAreaDisplayName"] = area["displayName"] if area else ""
    if "currencyId" in values or "currencyCode" in values:
        values["currencyCode"], values["currencyId"] = resolve_currency(store, values)
    for id_field, table, label in (
        ("paymentTermsId", "paymentTerms", "Payment Terms"),
        ("shipmentMethodId", "shipmentMethods", "Shipment Method"),
        ("paymentMethodId", "paymentMethods", "Payment Method"),
    ):
        if id_field in values:
            resolve(
                store, values, id_field=id_field, code_field=None, table=table, table_code_field="code", label=label
            )
    if "blocked" in values:
        check_enum("blocked", values["blocked"], CUSTOMER_BLOCKED)


def customer_create(store: CompanyStore, values: dict, parent: dict) -> dict:  # noqa: ARG001
    if "displayName" not in values:
        raise dialog('A "displayName" must be provided.')
    if not str(values["displayName"]).strip():
        raise dialog('The blank "displayName" is not allowed.')
    values.setdefault("type", "Company")
    check_enum("type", values["type"], ("Company", "Person"))
    values.setdefault("blocked", " ")
    _customer_references(store, values, {})
    values["number"] = assign_number(store, "customers", values.get("number"), "customers", "Customer")
    return store.insert("customers", values)


def customer_update(store: CompanyStore, record: dict, values: dict) -> None:
    if "displayName" in values and not str(values["displayName"]).strip():
        raise dialog('The blank "displayName" is not allowed.')
    _customer_references(store, values, record)
    if "number" in values and values["number"] != record["number"] and store.find("customers", number=values["number"]):
        raise BCError(
            "Internal_EntityWithSameKeyExists",
            f"The Customer already exists. Identification fields and values: No.='{values['number']}'",
        )
    record.update(values)


ITEM_TYPES = ("Inventory", "Service", "Non-Inventory")


def _item_references(store: CompanyStore, values: dict) -> None:
    if "type" in values:
        check_enum("type", values["type"], ITEM_TYPES)
    if "taxGroupId" in values or "taxGroupCode" in values:
        group = resolve(
            store,
            values,
            id_field="taxGroupId",
            code_field="taxGroupCode",
            table="taxGroups",
            table_code_field="code",
            label="Tax Group",
        )
        values["taxGroupId"], values["taxGroupCode"] = (group["id"], group["code"]) if group else (EMPTY_GUID, "")


def item_create(store: CompanyStore, values: dict, parent: dict) -> dict:  # noqa: ARG001
    if values.get("inventory"):
        raise dialog("Inventory cannot be changed during on insert.")
    values.setdefault("type", "Inventory")
    values.setdefault("blocked", False)
    values.setdefault("baseUnitOfMeasureCode", "PCS")
    _item_references(store, values)
    values["number"] = assign_number(store, "items", values.get("number"), "items", "Item")
    return store.insert("items", values)


def item_update(store: CompanyStore, record: dict, values: dict) -> None:
    _item_references(store, values)
    if "inventory" in values:
        adjust_inventory(store, record, float(values.pop("inventory")))
    record.update(values)


def adjust_inventory(store: CompanyStore, item: dict, new_quantity: float) -> None:
    """PATCH inventory posts a Positive/Negative Adjmt. item journal line (dated today, no location)."""
    delta = round(new_quantity - float(item["inventory"] or 0), 5)
    if delta:
        item_entry_post(
            store,
            item=item,
            location_code="",
            quantity=delta,
            entry_type="Positive Adjmt." if delta > 0 else "Negative Adjmt.",
            document_number=item["number"],
        )
    item["inventory"] = new_quantity

"""Bulk query operations: validated at submission, RUNNING for ``sim.bulk_polls`` polls, then run
over the whole store and written as JSONL that the simulator serves at ``/bulk/<id>.jsonl``.

JSONL follows Shopify: one line per node of the top-level connection; the nodes of a nested
connection get their own lines with ``__parentId``. With ``groupObjects: true`` a parent's children
come right after it; without it (the default since 2026-01) Shopify promises no order, and the
simulator writes every child line before all top-level lines (the hardest order for a reader that
assumes grouping; siblings keep their relative order: assumption).

Shopify's restrictions on the query are enforced (``INVALID``): at most five connections, nested
at most two deep, and no connection inside a list field (e.g. ``Order.refunds { refundLineItems }``).
"""

from __future__ import annotations

import json

from graphql import (
    FieldNode,
    GraphQLError,
    InlineFragmentNode,
    OperationType,
    execute_sync,
    get_named_type,
    get_nullable_type,
    is_list_type,
    parse,
    validate,
)

from simulators.shopify.clock import iso


def submit(store, sim, query: str, base_url: str, *, group_objects: bool = False) -> tuple[dict | None, list[dict]]:
    try:
        document = parse(query)
    except GraphQLError as exc:
        return None, [{"field": ["query"], "message": f"Invalid bulk query: {exc.message}", "code": "INVALID"}]
    errors = validate(sim.schema, document)
    if errors:
        return None, [
            {"field": ["query"], "message": f"Invalid bulk query: {e.message}", "code": "INVALID"} for e in errors
        ]
    operations = [d for d in document.definitions if getattr(d, "operation", None) is not None]
    if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
        return None, [
            {"field": ["query"], "message": "Bulk queries must contain exactly one query.", "code": "INVALID"}
        ]
    problem = _restriction(sim.schema, operations[0])
    if problem:
        return None, [{"field": ["query"], "message": f"Invalid bulk query: {problem}", "code": "INVALID"}]
    running = [op for op in store.bulk_operations.values() if op["status"] in ("CREATED", "RUNNING")]
    if running:
        message = f"A bulk query operation for this app and shop is already in progress: {running[0]['id']}."
        return None, [{"field": None, "message": message, "code": "OPERATION_IN_PROGRESS"}]
    op_id = store.new_id("BulkOperation")
    operation = {
        "__typename": "BulkOperation",
        "id": op_id,
        "status": "RUNNING",
        "errorCode": None,
        "createdAt": store.now_iso(),
        "completedAt": None,
        "objectCount": 0,
        "rootObjectCount": 0,
        "fileSize": None,
        "url": None,
        "partialDataUrl": None,
        "query": query,
        "type": "QUERY",
        "_document": document,
        "_polls_left": sim.bulk_polls,
        "_group_objects": bool(group_objects),
        "_base_url": base_url,
    }
    store.bulk_operations[op_id] = operation
    return operation, []


MAX_CONNECTIONS = 5
MAX_CONNECTION_DEPTH = 2


def _restriction(schema, operation) -> str:
    """Shopify's limits on a bulk query's shape; an empty string when the query respects them."""
    connections: list[str] = []
    problems: list[str] = []

    def walk(selection_set, parent_type, depth: int, in_list: bool) -> None:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                walk(
                    selection.selection_set,
                    schema.get_type(condition.name.value) if condition else parent_type,
                    depth,
                    in_list,
                )
                continue
            if not isinstance(selection, FieldNode) or not hasattr(parent_type, "fields"):
                continue
            field = parent_type.fields.get(selection.name.value)
            if field is None:
                continue
            named = get_named_type(field.type)
            if named.name.endswith("Connection"):
                connections.append(selection.name.value)
                if in_list:
                    problems.append(f"the connection {selection.name.value} is inside a list field")
                if depth + 1 > MAX_CONNECTION_DEPTH:
                    problems.append(f"the connection {selection.name.value} is nested more than two levels deep")
                walk(selection.selection_set, named, depth + 1, False)
            else:
                # A connection's own ``edges`` / ``nodes`` lists do not count as list fields.
                plain_list = is_list_type(get_nullable_type(field.type)) and not parent_type.name.endswith("Connection")
                listed = in_list or plain_list
                walk(selection.selection_set, named, depth, listed)

    walk(operation.selection_set, schema.query_type, 0, False)
    if len(connections) > MAX_CONNECTIONS:
        problems.append(f"it has {len(connections)} connections (at most {MAX_CONNECTIONS})")
    return "; ".join(problems)


def current(store, sim, info):
    if not store.bulk_operations:
        return None
    return poll(store, sim, list(store.bulk_operations.values())[-1], info)


def poll(store, sim, node, info):
    """Reading a running operation moves it forward; the last poll runs it and writes the file."""
    if node is None or node.get("__typename") != "BulkOperation" or node["status"] != "RUNNING":
        return node
    if node["_polls_left"] > 0:
        node["_polls_left"] -= 1
        return node
    _run(store, sim, node)
    return node


def _run(store, sim, operation: dict) -> None:
    result = execute_sync(sim.schema, operation["_document"], context_value={"bulk": True, "sim": sim})
    if result.errors:
        operation.update(status="FAILED", errorCode="INTERNAL_SERVER_ERROR", completedAt=store.now_iso())
        return
    lines: list[str] = []
    roots = 0
    for value in (result.data or {}).values():
        for node in _nodes(value):
            roots += 1
            _flatten(node, None, lines)
    if not operation.get("_group_objects"):
        children = [line for line in lines if '"__parentId"' in line]
        lines = children + [line for line in lines if '"__parentId"' not in line]
    body = ("\n".join(lines) + "\n").encode() if lines else b""
    number = operation["id"].rsplit("/", 1)[-1]
    if body:
        store.bulk_files[number] = body
    operation.update(
        status="COMPLETED",
        completedAt=iso(store.clock.now()),
        objectCount=len(lines),
        rootObjectCount=roots,
        fileSize=len(body),
        url=f"{operation['_base_url']}/bulk/{number}.jsonl" if body else None,
    )


def _is_connection(value) -> bool:
    return isinstance(value, dict) and (isinstance(value.get("edges"), list) or isinstance(value.get("nodes"), list))


def _nodes(value) -> list:
    if not isinstance(value, dict):
        return []
    if "edges" in value:
        return [edge["node"] for edge in value["edges"]]
    return list(value.get("nodes") or [])


def _flatten(node: dict, parent_id: str | None, lines: list[str]) -> None:
    children: list[dict] = []

    def strip(value):
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if _is_connection(item):
                    children.extend(_nodes(item))
                else:
                    out[key] = strip(item)
            return out
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    own = strip(node)
    if parent_id is not None:
        own["__parentId"] = parent_id
    lines.append(json.dumps(own, separators=(",", ":")))
    for child in children:
        _flatten(child, node.get("id"), lines)

"""Calculated query cost: a simple, documented approximation of Shopify's.

- scalars, enums and ``__typename`` cost 0;
- an object (or a list of objects, counted once) costs 1 plus its selections;
- a connection costs 2 + ``first`` x (the cost of one node); ``edges``, ``pageInfo`` are free;
- a mutation's root field costs 10 plus its selections;
- fragments on abstract types are all counted (an upper bound).

The *requested* cost uses ``first``; the *actual* cost walks the result and counts the nodes that
came back, so a page with fewer rows than asked is refunded the difference.
"""

from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
    value_from_ast_untyped,
)

MUTATION_COST = 10
FREE_CONTAINERS = ("Edge", "PageInfo")


class CostError(Exception):
    """A connection without ``first`` (Shopify refuses those outside bulk operations)."""


def _is_connection(type_name: str) -> bool:
    return type_name.endswith("Connection")


def _fields(selection_set: SelectionSetNode | None, fragments: dict) -> list[FieldNode]:
    out: list[FieldNode] = []
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            out.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            out.extend(_fields(selection.selection_set, fragments))
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                out.extend(_fields(fragment.selection_set, fragments))
    return out


def _field_type(schema: GraphQLSchema, parent_name: str, field_name: str):
    parent = schema.get_type(parent_name)
    if field_name == "__typename" or parent is None or not hasattr(parent, "fields"):
        return None
    field = parent.fields.get(field_name)
    return get_named_type(field.type) if field else None


def _first(field: FieldNode, variables: dict) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value in ("first", "last"):
            value = value_from_ast_untyped(argument.value, variables)
            return int(value) if value is not None else None
    return None


def requested_cost(
    schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: dict, variables: dict, *, bulk: bool = False
) -> int:
    is_mutation = operation.operation == OperationType.MUTATION
    root = schema.mutation_type if is_mutation else schema.query_type

    def walk(selection_set, parent_name: str, top: bool = False) -> int:
        total = 0
        for field in _fields(selection_set, fragments):
            named = _field_type(schema, parent_name, field.name.value)
            if named is None or is_leaf_type(named):
                continue
            children = walk(field.selection_set, named.name)
            if top and is_mutation:
                total += MUTATION_COST + children
            elif _is_connection(named.name):
                first = _first(field, variables)
                if first is None:
                    if not bulk:
                        raise CostError(f"you must provide one of first or last for the {field.name.value} connection")
                    first = 1
                total += 2 + first * children
            elif named.name.endswith(FREE_CONTAINERS):
                total += children
            else:
                total += 1 + children
        return total

    return walk(operation.selection_set, root.name, top=True)


def actual_cost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: dict, data: dict | None) -> int:
    is_mutation = operation.operation == OperationType.MUTATION
    root = schema.mutation_type if is_mutation else schema.query_type

    def walk(selection_set, parent_name: str, value, top: bool = False) -> int:
        if not isinstance(value, dict):
            return 0
        total = 0
        for field in _fields(selection_set, fragments):
            named = _field_type(schema, parent_name, field.name.value)
            key = field.alias.value if field.alias else field.name.value
            child = value.get(key)
            if named is None or is_leaf_type(named) or child is None:
                continue
            if top and is_mutation:
                total += MUTATION_COST + walk(field.selection_set, named.name, child)
            elif _is_connection(named.name):
                total += 2 + walk(field.selection_set, named.name, child)
            elif isinstance(child, list):
                per_item = [walk(field.selection_set, named.name, item) for item in child]
                if named.name.endswith(FREE_CONTAINERS):
                    total += sum(per_item)
                elif _is_connection(parent_name):  # ``nodes``: one object per node returned
                    total += sum(1 + cost for cost in per_item)
                else:  # a plain list is counted once, as in the requested cost
                    total += 1 + max(per_item, default=0)
            elif named.name.endswith(FREE_CONTAINERS):
                total += walk(field.selection_set, named.name, child)
            else:
                total += 1 + walk(field.selection_set, named.name, child)
        return total

    return walk(operation.selection_set, root.name, data, top=True)

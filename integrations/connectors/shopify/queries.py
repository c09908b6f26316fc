"""GraphQL documents the connector sends. Page sizes keep each page's calculated cost well under
Shopify's 1,000-point single-query limit (connections cost 2 + first x the node's cost)."""

from __future__ import annotations

MONEY_BAG = "shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }"

ADDRESS = "firstName lastName company address1 address2 city zip provinceCode countryCodeV2 phone"

# ``Customer.email`` / ``phone`` are deprecated (2026-10): the default e-mail address and phone number.
CUSTOMER_FIELDS = f"""
id firstName lastName defaultEmailAddress {{ emailAddress }} defaultPhoneNumber {{ phoneNumber }}
taxExempt tags updatedAt
defaultAddress {{ {ADDRESS} }}
"""

TAX_LINES = f"taxLines {{ title rate priceSet {{ {MONEY_BAG} }} }}"

DISCOUNT_ALLOCATIONS = f"discountAllocations {{ allocatedAmountSet {{ {MONEY_BAG} }} discountApplication {{ index }} }}"

LINE_ITEM_FIELDS = f"""
id title sku quantity isGiftCard taxable
variant {{ id barcode taxCode }}
originalUnitPriceSet {{ {MONEY_BAG} }}
{DISCOUNT_ALLOCATIONS}
{TAX_LINES}
"""

TRANSACTION_FIELDS = f"""
id kind status gateway test createdAt parentTransaction {{ id }}
amountSet {{ {MONEY_BAG} }}
"""

SHIPPING_LINE_FIELDS = f"""
id title code originalPriceSet {{ {MONEY_BAG} }} discountedPriceSet {{ {MONEY_BAG} }}
{TAX_LINES} {DISCOUNT_ALLOCATIONS}
"""

DISCOUNT_APPLICATION_FIELDS = """
__typename index allocationMethod targetType
value { __typename ... on MoneyV2 { amount currencyCode } ... on PricingPercentageValue { percentage } }
... on DiscountCodeApplication { code }
... on AutomaticDiscountApplication { title }
... on ManualDiscountApplication { title }
"""

PAGE_INFO = "pageInfo { hasNextPage endCursor }"

REFUND_LINE_ITEM_FIELDS = f"""
quantity restockType lineItem {{ id sku }}
subtotalSet {{ {MONEY_BAG} }} totalTaxSet {{ {MONEY_BAG} }}
"""

REFUND_SHIPPING_LINE_FIELDS = f"""
shippingLine {{ id }} subtotalAmountSet {{ {MONEY_BAG} }} taxAmountSet {{ {MONEY_BAG} }}
"""

# How many rows of each nested connection one order (or refund) read asks for. Every capped
# connection also asks for its pageInfo: when a list is longer, the client pages the rest with the
# follow-up queries below (ORDER_CONNECTION_PAGES, REFUND_CONNECTION_PAGES), so nothing is dropped.
# Sized for the common order (most carry 1-4 lines, one shipping line, at most two discounts) so
# the requested cost per order stays near 150 points and a page holds 6 orders; the rare longer
# order costs one follow-up query per longer list.
LINE_ITEMS_FIRST = 4
SHIPPING_LINES_FIRST = 1
DISCOUNT_APPLICATIONS_FIRST = 2
REFUND_LINE_ITEMS_FIRST = 2
REFUND_SHIPPING_LINES_FIRST = 1
REFUND_TRANSACTIONS_FIRST = 1

# A refund's own connections. Shared by the paged order query and the bulk path's refund reads, so
# both produce the same records (and both are completed the same way).
REFUND_FIELDS = f"""
id createdAt note
totalRefundedSet {{ {MONEY_BAG} }}
refundLineItems(first: {REFUND_LINE_ITEMS_FIRST}) {{ {PAGE_INFO} edges {{ node {{ {REFUND_LINE_ITEM_FIELDS} }} }} }}
refundShippingLines(first: {REFUND_SHIPPING_LINES_FIRST}) {{
  {PAGE_INFO} edges {{ node {{ {REFUND_SHIPPING_LINE_FIELDS} }} }}
}}
transactions(first: {REFUND_TRANSACTIONS_FIRST}) {{ {PAGE_INFO} edges {{ node {{ {TRANSACTION_FIELDS} }} }} }}
"""

# The order's own fields: everything but its connections and refunds.
ORDER_SCALARS = f"""
id name createdAt updatedAt cancelledAt test displayFinancialStatus displayFulfillmentStatus
currencyCode presentmentCurrencyCode email phone tags note taxesIncluded
sourceName app {{ name }} risk {{ assessments {{ riskLevel }} }}
customer {{ {CUSTOMER_FIELDS} }}
billingAddress {{ {ADDRESS} }}
shippingAddress {{ {ADDRESS} }}
totalPriceSet {{ {MONEY_BAG} }}
totalTaxSet {{ {MONEY_BAG} }}
subtotalPriceSet {{ {MONEY_BAG} }}
totalShippingPriceSet {{ {MONEY_BAG} }}
totalDiscountsSet {{ {MONEY_BAG} }}
"""

# ``Order.transactions`` and ``Order.refunds`` are plain lists in the Admin API, not connections:
# without ``first`` they hold every row (``first`` would only truncate them), so they take none.
ORDER_FIELDS = f"""
{ORDER_SCALARS}
lineItems(first: {LINE_ITEMS_FIRST}) {{ {PAGE_INFO} edges {{ node {{ {LINE_ITEM_FIELDS} }} }} }}
shippingLines(first: {SHIPPING_LINES_FIRST}) {{ {PAGE_INFO} edges {{ node {{ {SHIPPING_LINE_FIELDS} }} }} }}
discountApplications(first: {DISCOUNT_APPLICATIONS_FIRST}) {{
  {PAGE_INFO} edges {{ node {{ {DISCOUNT_APPLICATION_FIELDS} }} }}
}}
transactions {{ {TRANSACTION_FIELDS} }}
refunds {{ {REFUND_FIELDS} }}
"""

# Back to the shop: an order's fulfillment orders (what is left to ship, per location), the
# fulfilment of a BC shipment, and the BC document number as a metafield and a tag.
FULFILLMENT_ORDERS_FIRST = 5
FULFILLMENT_ORDER_LINES_FIRST = 30
ORDER_FULFILLMENT_ORDERS = f"""
query OrderFulfillmentOrders($id: ID!) {{
  order(id: $id) {{
    id
    fulfillmentOrders(first: {FULFILLMENT_ORDERS_FIRST}) {{
      edges {{ node {{
        id status
        lineItems(first: {FULFILLMENT_ORDER_LINES_FIRST}) {{
          edges {{ node {{ id remainingQuantity sku lineItem {{ id sku }} }} }}
        }}
      }} }}
    }}
  }}
}}
"""

# ``@idempotent``: a fulfilment resent after a lost answer is created once.
FULFILLMENT_CREATE = """
mutation FulfillmentCreate($fulfillment: FulfillmentInput!, $key: String!) {
  fulfillmentCreate(fulfillment: $fulfillment) @idempotent(key: $key) {
    fulfillment { id status }
    userErrors { field message }
  }
}
"""

METAFIELDS_SET = """
mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { id namespace key value }
    userErrors { field message code }
  }
}
"""

TAGS_ADD = """
mutation TagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) {
    node { id }
    userErrors { field message }
  }
}
"""

SHOP = "query Shop { shop { name email myshopifyDomain currencyCode ianaTimezone enabledPresentmentCurrencies } }"

# Separate from SHOP: without the read_shopify_payments scope this field is refused, and that must
# not fail the shop check.
SHOPIFY_PAYMENTS_ACCOUNT = "query PaymentsAccount { shopifyPaymentsAccount { id activated defaultCurrency } }"

ORDERS_PAGE = f"""
query OrdersPage($first: Int!, $after: String, $query: String) {{
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{ {ORDER_FIELDS} }} }}
  }}
}}
"""

# What an order used, and nothing else (the settings step's proposals): cheap enough for 50 orders a
# page, newest first. Aliased so the client's page size for it is its own.
ORDER_USAGE_PAGE = f"""
query OrderUsagePage($first: Int!, $after: String, $query: String) {{
  orderUsage: orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT, reverse: true) {{
    {PAGE_INFO}
    edges {{ node {{
      name test currencyCode presentmentCurrencyCode paymentGatewayNames
      shippingAddress {{ countryCodeV2 }} billingAddress {{ countryCodeV2 }}
      shippingLines(first: 2) {{ edges {{ node {{ title code }} }} }}
      lineItems(first: 3) {{ edges {{ node {{ taxLines {{ title rate }} }} }} }}
    }} }}
  }}
}}
"""

ORDER_GET = f"""
query OrderGet($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}
"""


def _connection_page(name: str, root: str, connection: str, fields: str, first: int) -> str:
    """The next page of one nested connection of one order or refund (``$id``, ``$after``)."""
    return f"""
query {name}($id: ID!, $after: String) {{
  {root}(id: $id) {{
    {connection}(first: {first}, after: $after) {{ {PAGE_INFO} edges {{ node {{ {fields} }} }} }}
  }}
}}
"""


# The rest of a capped nested connection, one connection per query. Page sizes keep each requested
# cost under ~700 points (connections cost 2 + first x the node's cost).
ORDER_LINE_ITEMS_PAGE = _connection_page("OrderLineItems", "order", "lineItems", LINE_ITEM_FIELDS, 50)
ORDER_CONNECTION_PAGES = {
    "lineItems": ORDER_LINE_ITEMS_PAGE,
    "shippingLines": _connection_page("OrderShippingLines", "order", "shippingLines", SHIPPING_LINE_FIELDS, 25),
    "discountApplications": _connection_page(
        "OrderDiscountApplications", "order", "discountApplications", DISCOUNT_APPLICATION_FIELDS, 50
    ),
}
REFUND_CONNECTION_PAGES = {
    "refundLineItems": _connection_page("RefundLineItems", "refund", "refundLineItems", REFUND_LINE_ITEM_FIELDS, 50),
    "refundShippingLines": _connection_page(
        "RefundShippingLines", "refund", "refundShippingLines", REFUND_SHIPPING_LINE_FIELDS, 50
    ),
    "transactions": _connection_page("RefundTransactions", "refund", "transactions", TRANSACTION_FIELDS, 50),
}

CUSTOMERS_PAGE = f"""
query CustomersPage($first: Int!, $after: String, $query: String) {{
  customers(first: $first, after: $after, query: $query) {{
    pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{ {CUSTOMER_FIELDS} }} }}
  }}
}}
"""

VARIANT_FIELDS = """
id title sku barcode price compareAtPrice taxable taxCode inventoryQuantity
selectedOptions { name value }
inventoryItem { id measurement { weight { unit value } } }
"""

PRODUCT_FIELDS = f"""
id title handle status vendor productType tags updatedAt descriptionHtml
options {{ name values }}
variants(first: 20) {{ edges {{ node {{ {VARIANT_FIELDS} }} }} }}
"""

PRODUCT_GET = f"""
query ProductGet($id: ID!) {{ product(id: $id) {{ {PRODUCT_FIELDS} }} }}
"""

PRODUCTS_PAGE = f"""
query ProductsPage($first: Int!, $after: String, $query: String) {{
  products(first: $first, after: $after, query: $query) {{
    pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{ {PRODUCT_FIELDS} }} }}
  }}
}}
"""

PRODUCT_CREATE = f"""
mutation ProductCreate($product: ProductCreateInput!) {{
  productCreate(product: $product) {{ product {{ {PRODUCT_FIELDS} }} userErrors {{ field message }} }}
}}
"""

PRODUCT_UPDATE = f"""
mutation ProductUpdate($product: ProductUpdateInput!) {{
  productUpdate(product: $product) {{ product {{ {PRODUCT_FIELDS} }} userErrors {{ field message }} }}
}}
"""

VARIANTS_BULK_CREATE = f"""
mutation VariantsCreate(
  $productId: ID!, $variants: [ProductVariantsBulkInput!]!, $strategy: ProductVariantsBulkCreateStrategy
) {{
  productVariantsBulkCreate(productId: $productId, variants: $variants, strategy: $strategy) {{
    product {{ {PRODUCT_FIELDS} }} userErrors {{ field message }}
  }}
}}
"""

VARIANTS_BULK_UPDATE = f"""
mutation VariantsUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {{
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {{
    product {{ {PRODUCT_FIELDS} }} userErrors {{ field message }}
  }}
}}
"""

# Compare-and-swap: every quantity carries ``changeFromQuantity`` (mandatory since 2026-04; the
# quantity the product expects Shopify to hold). The idempotency key makes a resent request (lost
# acknowledgement) a no-op at Shopify.
INVENTORY_SET_QUANTITIES = """
mutation InventorySet($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id }
    userErrors { field message code }
  }
}
"""

# The current ``available`` quantity of several (item, location) pairs, one alias per pair: the
# re-read after a compare-and-swap conflict.
INVENTORY_REREAD_PER_QUERY = 50


def inventory_levels_query(count: int) -> str:
    variables = ", ".join(f"$i{i}: ID!, $l{i}: ID!" for i in range(count))
    fields = " ".join(
        f"i{i}: inventoryItem(id: $i{i}) {{ id inventoryLevel(locationId: $l{i}) {{ "
        f'location {{ id }} quantities(names: ["available"]) {{ name quantity }} }} }}'
        for i in range(count)
    )
    return f"query InventoryLevelsNow({variables}) {{ {fields} }}"


LOCATIONS_PAGE = """
query LocationsPage($first: Int!, $after: String) {
  locations(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name isActive address { countryCode } } }
  }
}
"""

INVENTORY_LEVELS_PAGE = """
query LocationLevels($id: ID!, $first: Int!, $after: String) {
  location(id: $id) {
    inventoryLevels(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { item { id } location { id } quantities(names: ["available", "on_hand"]) { name quantity } } }
    }
  }
}
"""

PAYOUTS_PAGE = """
query PayoutsPage($first: Int!, $after: String, $query: String) {
  shopifyPaymentsAccount {
    payouts(first: $first, after: $after, query: $query) {
      pageInfo { hasNextPage endCursor }
      edges { node {
        id status issuedAt net { amount currencyCode }
        summary { chargesGross { amount currencyCode } chargesFee { amount currencyCode }
                  refundsFeeGross { amount currencyCode } adjustmentsGross { amount currencyCode } }
      } }
    }
  }
}
"""

BALANCE_TRANSACTIONS_PAGE = """
query BalanceTransactions($first: Int!, $after: String, $query: String) {
  shopifyPaymentsAccount {
    balanceTransactions(first: $first, after: $after, query: $query) {
      pageInfo { hasNextPage endCursor }
      edges { node {
        id type test transactionDate sourceId sourceType sourceOrderTransactionId
        amount { amount currencyCode } fee { amount currencyCode } net { amount currencyCode }
        associatedOrder { id name }
        associatedPayout { id }
      } }
    }
  }
}
"""

# ``uri`` replaces ``callbackUrl``, deprecated in the input and on the subscription (2026-10 schema).
WEBHOOK_SUBSCRIBE = """
mutation WebhookSubscribe($topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}
"""

WEBHOOK_SUBSCRIPTIONS_PAGE = """
query WebhookSubscriptions($first: Int!, $after: String) {
  webhookSubscriptions(first: $first, after: $after) {
    nodes { id topic uri }
    pageInfo { hasNextPage endCursor }
  }
}
"""

WEBHOOK_UNSUBSCRIBE = """
mutation WebhookUnsubscribe($id: ID!) {
  webhookSubscriptionDelete(id: $id) {
    deletedWebhookSubscriptionId
    userErrors { field message }
  }
}
"""

# Ungrouped output (Shopify's default since 2026-01, asked for explicitly): faster and more reliable
# at Shopify; bulk.reassemble places every child by ``__parentId`` whatever the line order.
BULK_RUN = """
mutation BulkRun($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: false) {
    bulkOperation { id status }
    userErrors { field message }
  }
}
"""

BULK_NODE = """
query BulkNode($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount url } } }
"""

# Bulk queries take no page sizes; nested connections come back as their own JSONL lines with
# ``__parentId`` and ``__typename`` tells the reassembler which connection a child line belongs to.
# Shopify allows at most five connections, two levels deep, and no connection inside a list: so the
# refunds (a list whose line items, shipping lines and transactions are connections) come back as
# ids only and are read afterwards with ``order_refunds_query``, for the orders that have any; their
# connections are then completed like the paged path's. ``transactions`` and ``refunds`` are plain
# lists (no ``first``: every row); the connections of a bulk query are never capped.
BULK_ORDERS_TEMPLATE = """
{{
  orders{query_arg} {{
    edges {{ node {{
      {order}
      transactions {{ {transaction} }}
      refunds {{ id }}
      lineItems {{ edges {{ node {{ __typename {line_item} }} }} }}
      shippingLines {{ edges {{ node {{ __typename {shipping_line} }} }} }}
      discountApplications {{ edges {{ node {{ {discount_application} }} }} }}
    }} }}
  }}
}}
"""


def bulk_orders_query(search: str | None) -> str:
    query_arg = f"(query: {_graphql_string(search)})" if search else ""
    return BULK_ORDERS_TEMPLATE.format(
        query_arg=query_arg,
        order=ORDER_SCALARS,
        transaction=TRANSACTION_FIELDS,
        line_item=LINE_ITEM_FIELDS,
        shipping_line=SHIPPING_LINE_FIELDS,
        discount_application=DISCOUNT_APPLICATION_FIELDS,
    )


# The refunds of several orders in one request (one alias per order): the bulk path's complement.
# One order's refunds request ~82 points, so ten fit well under the 1,000-point query limit. A
# refund with more rows in a connection than REFUND_FIELDS asks for is completed afterwards.
REFUNDS_ORDERS_PER_QUERY = 10


def order_refunds_query(count: int) -> str:
    variables = ", ".join(f"$o{i}: ID!" for i in range(count))
    fields = " ".join(f"o{i}: order(id: $o{i}) {{ id refunds {{ {REFUND_FIELDS} }} }}" for i in range(count))
    return f"query OrderRefunds({variables}) {{ {fields} }}"


# A cheap estimate before choosing bulk or paged reads for a backfill (Shopify caps the count at
# ``limit``; the precision then says AT_LEAST).
ORDERS_COUNT = """
query OrdersCount($query: String, $limit: Int) { ordersCount(query: $query, limit: $limit) { count precision } }
"""


def _graphql_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


# --- the cheap reads: a sweep's listing and a webhook order's complement ------------------------------

# What a sweep needs to decide whether an order must be read in full: its id and when it last
# changed. One object per order (actual cost 2 + 1 per order), so a page holds 250 orders.
ORDER_STAMPS_PAGE = f"""
query OrderStampsPage($first: Int!, $after: String, $query: String) {{
  orderStamps: orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    {PAGE_INFO}
    nodes {{ id name updatedAt }}
  }}
}}
"""

# Orders by id, several per request (one alias per order): the full read of the orders a sweep's
# listing found new or changed. Six per request, as the orders page (each requests ~150 points).
ORDERS_BY_ID_PER_QUERY = 6


def orders_by_id_query(count: int) -> str:
    variables = ", ".join(f"$o{i}: ID!" for i in range(count))
    fields = " ".join(f"o{i}: order(id: $o{i}) {{ {ORDER_FIELDS} }}" for i in range(count))
    return f"query OrdersById({variables}) {{ {fields} }}"


# What an orders/create or orders/paid webhook body lacks for the order model (see
# webhook_orders.py): the sales channel's name, the risk assessments, the transactions and each
# line's variant barcode and tax code. One alias per order, its line count as ``first``.
# ``updatedAt`` tells whether the order changed after the body was sent (then it is read in full).
ORDER_COMPLEMENT_FIELDS = f"""
id updatedAt app {{ name }} risk {{ assessments {{ riskLevel }} }}
transactions {{ {TRANSACTION_FIELDS} }}
"""
COMPLEMENTS_PER_QUERY = 10


def order_complements_query(line_counts: list[int]) -> str:
    variables = ", ".join(f"$o{i}: ID!" for i in range(len(line_counts)))
    fields = " ".join(
        f"o{i}: order(id: $o{i}) {{ {ORDER_COMPLEMENT_FIELDS} "
        f"lineItems(first: {max(1, count)}) {{ {PAGE_INFO} nodes {{ id variant {{ id barcode taxCode }} }} }} }}"
        for i, count in enumerate(line_counts)
    )
    return f"query OrderComplements({variables}) {{ {fields} }}"

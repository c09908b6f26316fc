"""What the WooCommerce simulator serves: its own (deliberately partial) description of REST v3.

The contract tests compare this with the vendor reference: every field, read-only flag, enum
value and query parameter named here must exist there; the simulator renders no other keys.
"""

from __future__ import annotations

ORDER_STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed")
ORDER_STATUS_FILTER = ("any", "trash", "auto-draft", *ORDER_STATUSES)
PRODUCT_TYPES = ("simple", "variable")
PRODUCT_STATUSES = ("draft", "pending", "private", "publish")
STOCK_STATUSES = ("instock", "outofstock", "onbackorder")
BACKORDERS = ("no", "notify", "yes")
TAX_STATUSES = ("taxable", "shipping", "none")
ORDERBY = ("date", "id", "include", "modified")
CUSTOMER_ORDERBY = ("id", "include", "name", "registered_date")
ORDER_DIRECTIONS = ("asc", "desc")

ADDRESS = ("first_name", "last_name", "company", "address_1", "address_2", "city", "state", "postcode", "country")
BILLING = (*ADDRESS, "email", "phone")
ORDER_SHIPPING = ADDRESS
CUSTOMER_SHIPPING = (*ADDRESS, "phone")

LINE_ITEM = (
    "id", "name", "parent_name", "product_id", "variation_id", "quantity", "tax_class", "subtotal", "subtotal_tax",
    "total", "total_tax", "taxes", "meta_data", "sku", "price",
)  # fmt: skip
REFUND_LINE_ITEM = tuple(name for name in LINE_ITEM if name != "parent_name")
TAX_LINE = ("id", "rate_code", "rate_id", "label", "compound", "tax_total", "shipping_tax_total", "meta_data")
SHIPPING_LINE = ("id", "method_title", "method_id", "instance_id", "total", "total_tax", "taxes", "meta_data")
FEE_LINE = ("id", "name", "tax_class", "tax_status", "total", "total_tax", "taxes", "meta_data")
COUPON_LINE = ("id", "code", "discount", "discount_tax", "meta_data")

ORDER = (
    "id", "parent_id", "number", "order_key", "created_via", "version", "status", "currency", "date_created",
    "date_created_gmt", "date_modified", "date_modified_gmt", "discount_total", "discount_tax", "shipping_total",
    "shipping_tax", "cart_tax", "total", "total_tax", "prices_include_tax", "customer_id", "customer_note",
    "billing", "shipping", "payment_method", "payment_method_title", "transaction_id", "date_paid", "date_paid_gmt",
    "date_completed", "date_completed_gmt", "meta_data", "line_items", "tax_lines", "shipping_lines", "fee_lines",
    "coupon_lines", "refunds",
)  # fmt: skip
# Fields an order update may carry (the rest are read-only in the reference, or not served here).
ORDER_WRITABLE = ("status", "customer_note", "billing", "shipping", "transaction_id", "meta_data")

# /orders/<order_id>/notes is not in the vendor reference file: its fields and rules come from
# WooCommerce's WC_REST_Order_Notes_Controller (v3) and its V2/V1 parents (docs/vendor-contracts.md,
# WooCommerce order notes route).
ORDER_NOTE = ("id", "author", "date_created", "date_created_gmt", "note", "customer_note")
ORDER_NOTE_CREATE = ("note", "customer_note", "added_by_user")
ORDER_NOTE_TYPES = ("any", "customer", "internal")

REFUND = (
    "id", "date_created", "date_created_gmt", "amount", "reason", "refunded_by", "refunded_payment", "meta_data",
    "line_items", "shipping_lines",
)  # fmt: skip
REFUND_CREATE = ("amount", "reason", "refunded_by", "meta_data", "line_items", "api_refund", "api_restock")

CUSTOMER = (
    "id", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "email", "first_name",
    "last_name", "role", "username", "billing", "shipping", "is_paying_customer", "meta_data",
)  # fmt: skip

STOCK = ("manage_stock", "stock_quantity", "stock_status", "backorders")
PRODUCT = (
    "id", "name", "slug", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt", "type", "status",
    "description", "sku", "price", "regular_price", "sale_price", "tax_status", "tax_class", *STOCK, "weight",
    "attributes", "variations", "meta_data",
)  # fmt: skip
VARIATION = (
    "id", "date_created", "date_modified", "sku", "price", "regular_price", "sale_price", "status", "tax_status",
    "tax_class", *STOCK, "weight", "attributes", "meta_data",
)  # fmt: skip
# Keys the simulator accepts in a product or variation write (create, update, batch).
VARIATION_WRITABLE = ("id", "sku", "regular_price", "sale_price", "status", "manage_stock", "stock_quantity",
                      "stock_status", "backorders", "weight", "attributes")  # fmt: skip
PRODUCT_WRITABLE = (*VARIATION_WRITABLE, "name", "type", "description")

# /settings/<group>/<id> is not in the vendor reference file: WC_REST_Setting_Options_V2_Controller
# (docs/vendor-contracts.md, WooCommerce settings route). The one setting served.
SETTING = ("id", "label", "description", "type", "default", "options", "tip", "value")
SETTINGS = {
    "tax": {
        "woocommerce_prices_include_tax": {
            "id": "woocommerce_prices_include_tax",
            "label": "Prices entered with tax",
            "description": "",
            "type": "radio",
            "default": "no",
            "options": {
                "yes": "Yes, I will enter prices inclusive of tax",
                "no": "No, I will enter prices exclusive of tax",
            },
            "tip": "This option is important as it will affect how you input prices.",
        }
    }
}

# Read-only fields of the resources the simulator accepts writes to (refused when sent).
READONLY = {
    "orders": ("id", "number", "order_key", "version", "date_created", "date_created_gmt", "date_modified",
               "date_modified_gmt", "discount_total", "discount_tax", "shipping_total", "shipping_tax", "cart_tax",
               "total", "total_tax", "prices_include_tax", "date_paid", "date_paid_gmt", "date_completed",
               "date_completed_gmt", "tax_lines", "refunds"),
    "products": ("price", "date_modified", "date_modified_gmt", "variations"),
    "product_variations": ("price", "date_created", "date_modified"),
    "order_refunds": ("id", "date_created", "date_created_gmt", "refunded_payment"),
    "order_notes": ("id", "author", "date_created", "date_created_gmt"),
}  # fmt: skip

COLLECTION_PARAMS = {
    "orders": ("context", "page", "per_page", "after", "before", "modified_after", "modified_before",
               "dates_are_gmt", "include", "exclude", "order", "orderby", "status", "customer"),
    "order_refunds": ("context", "page", "per_page", "order", "orderby"),
    "customers": ("context", "page", "per_page", "email", "role", "include", "order", "orderby"),
    "products": ("context", "page", "per_page", "modified_after", "dates_are_gmt", "include", "order", "orderby",
                 "sku", "type", "status"),
    "product_variations": ("context", "page", "per_page", "include", "order", "orderby", "sku"),
}  # fmt: skip

WEBHOOK_HEADERS = (
    "X-WC-Webhook-Source", "X-WC-Webhook-Topic", "X-WC-Webhook-Resource", "X-WC-Webhook-Event",
    "X-WC-Webhook-Signature", "X-WC-Webhook-ID", "X-WC-Webhook-Delivery-ID",
)  # fmt: skip
WEBHOOK_TOPICS = (
    "order.created", "order.updated", "order.deleted", "product.created", "product.updated", "customer.created",
    "customer.updated",
)  # fmt: skip

# /webhooks is not in the vendor reference file: its fields and rules come from WooCommerce's
# WC_REST_Webhooks_V1_Controller (docs/vendor-contracts.md, WooCommerce webhooks route).
WEBHOOK = ("id", "name", "status", "topic", "resource", "event", "hooks", "delivery_url", "date_created",
           "date_modified")  # fmt: skip
WEBHOOK_STATUSES = ("active", "paused", "disabled")

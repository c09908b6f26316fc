"""A WooCommerce store (REST API v3 subset) for tests and the demo: see app.py and seed.py."""

from simulators.woocommerce.app import WooCommerceSimulator

__all__ = ["WooCommerceSimulator"]

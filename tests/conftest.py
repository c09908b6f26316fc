"""Shared fixtures. Simulators are started here (via the fixture plugins); the product never imports them."""

pytest_plugins = [
    "tests.fixtures.bc",
    "tests.fixtures.identity",
    "tests.fixtures.shopify",
]

"""Shared fixtures. Simulators are started here (via the fixture plugins); the product never imports them."""

import pytest
from django.utils import translation

pytest_plugins = [
    "tests.fixtures.bc",
    "tests.fixtures.identity",
    "tests.fixtures.shopify",
    "tests.fixtures.woocommerce",
]


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Swedish leaves Swedish active in the test thread; every test starts in English."""
    translation.activate("en")
    yield
    translation.activate("en")

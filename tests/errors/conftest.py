import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; a request in another language must not leak into the next test."""
    with translation.override("en"):
        yield

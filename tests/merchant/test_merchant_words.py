"""Every merchant page, with realistic data, in English and Swedish: no internal identifiers (gid://,
GUIDs, snake_case keys) in what the merchant reads, and no English left on a Swedish page.

What the merchant reads is each page's text, outside <pre> (the collapsed raw payloads on a record
page are the shop's and BC's own data) and outside elements marked lang="en" (the run log's own
words, kept in one language for support).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.fixtures.merchant_world import merchant_pages, merchant_world_seed

pytestmark = pytest.mark.django_db

GID = re.compile(r"gid://")
GUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# Words that make a sentence English (and never Swedish).
ENGLISH = {"the", "and", "to", "of", "is", "in", "for", "with", "your", "this", "not", "from", "are", "was", "has",
           "be", "or", "when", "what", "which", "no", "yet", "will", "an", "at", "by", "on", "it", "its"}  # fmt: skip


class _Text(HTMLParser):
    """Visible text nodes, without <pre>, <script>, <style> and lang="en" elements."""

    SKIP = {"pre", "script", "style", "template"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "col", "area", "base", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        skipped = tag in self.SKIP or dict(attrs).get("lang") == "en"
        self.stack.append(skipped or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not (self.stack and self.stack[-1]):
            self.texts.append(text)


def visible_texts(html: str) -> list[str]:
    parser = _Text()
    start = html.find("<body")
    parser.feed(html[html.find(">", start) + 1 :] if start >= 0 else html)
    return parser.texts


@pytest.fixture
def world(owner, integration):
    return merchant_world_seed(integration=integration)


def _get(client, url: str, language: str) -> str:
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "sv"])
def test_no_page_shows_an_internal_identifier(owner_client, integration, world, language):
    found = []
    for url in merchant_pages(integration=integration, world=world):
        for text in visible_texts(_get(owner_client, url, language)):
            for pattern in (GID, GUID, SNAKE):
                for match in pattern.findall(text):
                    found.append((url, match, text[:80]))

    assert not found, "\n".join(map(str, found))


def test_no_swedish_page_shows_english(owner_client, integration, world):
    found = []
    for url in merchant_pages(integration=integration, world=world):
        english = set(visible_texts(_get(owner_client, url, "en")))
        for text in visible_texts(_get(owner_client, url, "sv")):
            words = re.findall(r"[a-zA-Z]+", text.lower())
            if text in english and len(words) >= 3 and len(ENGLISH.intersection(words)) >= 2:
                found.append((url, text[:100]))

    assert not found, "\n".join(map(str, found))


def test_the_walk_can_fail():
    """The detectors find what they look for (a test that cannot fail is a defect)."""
    page = (
        "<body><p>Payout gid://shopify/ShopifyPaymentsPayout/1</p><td>shopify_payments</td>"
        '<p>5865bb86-278c-5d2a-837b-338e5e0f546b</p><pre>gid://ok</pre><span lang="en">log_line</span></body>'
    )
    texts = visible_texts(page)

    assert [bool(GID.search(t)) for t in texts] == [True, False, False]
    assert SNAKE.findall(texts[1]) == ["shopify_payments"] and GUID.search(texts[2])


def test_bc_documents_link_to_bc_online_and_the_glossary_explains_the_terms(owner_client, integration, world):
    from django.urls import reverse

    records = _get(owner_client, reverse("merchant:records", args=[integration.pk]), "sv")
    payouts = _get(owner_client, reverse("payouts:list", args=[integration.pk]), "sv")

    assert "page=132&amp;filter=%27No.%27%20IS%20%27103001%27" in records  # the posted invoice
    assert "page=134&amp;filter=%27No.%27%20IS%20%27104001%27" in records  # the posted credit memo
    assert "Avräkningskonto" in payouts and "Journalbatch" in payouts
    detail = _get(owner_client, reverse("payouts:detail", args=[integration.pk, world["payout"].pk]), "sv")
    assert "med -970,00" in detail  # amounts in a message in the reader's number format


def test_preview_line_types_and_order_fields_are_in_words():
    from django.utils import translation

    from syncs.templatetags.labels import line_type_label, order_field_label

    with translation.override("sv"):
        assert line_type_label("Item") == "Artikel" and line_type_label("Account") == "Redovisningskonto"
        assert order_field_label("total_price") == "Totalt" and order_field_label("line SOCK-1") == "Rad SOCK-1"


def test_skip_reasons_are_in_words():
    from django.utils import translation

    from syncs.templatetags.labels import skip_reason_label

    with translation.override("sv"):
        assert skip_reason_label("not paid (pending)") == "den är inte betald än"
        assert "live" in skip_reason_label("created before the order exclusion date")

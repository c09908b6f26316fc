from pathlib import Path

import pytest
from django.utils import translation

from syncs.errors import CODE_RE, Category, ProductError, Severity, UnknownErrorCode, all_errors, get_error

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("integrations", "syncs", "junipeer_bc", "templates")


def test_codes_are_unique_and_follow_the_scheme():
    codes = [e.code for e in all_errors()]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert CODE_RE.fullmatch(code), code


@pytest.mark.parametrize("entry", all_errors(), ids=lambda e: e.code)
def test_every_entry_is_complete(entry):
    assert entry.category in set(Category)
    assert entry.severity in set(Severity)
    assert isinstance(entry.retryable, bool)
    for text in (entry.title, entry.message, entry.cause, entry.remedy):
        assert str(text).strip()


def test_required_topics_exist():
    expected = {
        "BC-101": "VAT",
        "BC-201": "exhausted",
        "BC-203": "Manual",
        "BC-301": "xchange rate",
        "AUTH-001": "administrator",
        "MAP-001": "SKU",
        "PAY-001": "invoice",
    }
    for code, word in expected.items():
        assert word in str(get_error(code).title), code
    assert get_error("BC-008").retryable and get_error("BC-009").retryable
    assert not get_error("BC-101").retryable


def test_every_code_literal_in_the_source_tree_is_in_the_catalogue():
    known = {e.code for e in all_errors()}
    unknown = []
    for folder in SCANNED:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
                continue
            for match in CODE_RE.finditer(path.read_text(encoding="utf-8", errors="replace")):
                if match.group(0) not in known:
                    unknown.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert unknown == []


def test_scan_pattern_would_catch_a_stray_code():
    assert CODE_RE.findall('raise ProductError("MAP-901")') == ["MAP-901"]
    assert "MAP-901" not in {e.code for e in all_errors()}


def test_product_error_renders_message_from_entry():
    exc = ProductError("MAP-001", sku="SKU-42", title="Mug")
    assert exc.code == "MAP-001"
    assert str(exc) == "No Business Central item matches SKU SKU-42 (Mug)."
    assert exc.params == {"sku": "SKU-42", "title": "Mug"}
    assert not exc.retryable


def test_product_error_keeps_missing_placeholders_visible():
    assert "{sku}" in str(ProductError("MAP-001"))


def test_unknown_code_is_refused():
    with pytest.raises(UnknownErrorCode):
        ProductError("MAP-999")


def test_entry_message_is_translated_to_swedish():
    entry = get_error("BC-101")
    with translation.override("sv"):
        swedish = str(entry.title)
    with translation.override("en"):
        english = str(entry.title)
    assert (english, swedish) == ("VAT posting setup missing", "Momsbokföringsinställning saknas")


def test_help_url_points_at_the_reference_page():
    assert get_error("BC-101").help_url == "/help/errors/BC-101/"

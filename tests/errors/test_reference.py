from pathlib import Path

from django.core.management import call_command
from django.template import Context, Template

from syncs.errors import all_errors
from syncs.errors.docs import error_codes_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "error-codes.md"


def test_generated_doc_matches_the_catalogue():
    assert DOC.read_text(encoding="utf-8") == error_codes_markdown(), "run: manage.py error_codes_doc"


def test_doc_lists_every_code():
    text = error_codes_markdown()
    for entry in all_errors():
        assert f"### {entry.code}\n" in text


def test_command_writes_the_doc(tmp_path):
    target = tmp_path / "codes.md"
    call_command("error_codes_doc", output=str(target))
    assert target.read_text(encoding="utf-8") == error_codes_markdown()


def test_error_list_page(client):
    response = client.get("/help/errors/")
    assert response.status_code == 200
    body = response.content.decode()
    for entry in all_errors():
        assert f'href="/help/errors/{entry.code}/"' in body


def test_error_detail_page_shows_cause_and_remedy(client):
    response = client.get("/help/errors/BC-101/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "VAT posting setup missing" in body
    assert "VAT Posting Setup and add a line" in body


def test_error_detail_in_swedish(client):
    response = client.get("/help/errors/BC-101/", headers={"accept-language": "sv"})
    assert "Momsbokföringsinställning saknas" in response.content.decode()


def test_unknown_code_is_404(client):
    assert client.get("/help/errors/BC-999/").status_code == 404


def test_template_filter_links_codes():
    html = Template("{% load error_codes %}{{ code|error_link }}").render(Context({"code": "MAP-001"}))
    assert 'href="/help/errors/MAP-001/"' in html
    plain = Template("{% load error_codes %}{{ code|error_link }}").render(Context({"code": "XYZ"}))
    assert plain == "XYZ"


def test_bc_configuration_page_links_the_checks(client):
    response = client.get("/help/business-central/")
    body = response.content.decode()
    assert response.status_code == 200
    for code in ("BC-101", "BC-201", "BC-205", "BC-302", "BC-501", "BC-601", "BC-602", "AUTH-001"):
        assert f"/help/errors/{code}/" in body


def test_bc_configuration_page_in_swedish(client):
    body = client.get("/help/business-central/", headers={"accept-language": "sv"}).content.decode()
    assert "Sandlåda först" in body
    assert "Publicera tre sidor som webbtjänster" in body


def test_entries_have_swedish_title_and_remedy():
    from django.utils import translation

    from syncs.errors import get_error

    untranslated = []
    sample = ("BC-004", "BC-101", "BC-205", "BC-601", "SHOP-001", "MAP-001", "MAP-013", "PAY-001", "SYS-002")
    for entry in map(get_error, sample):
        with translation.override("sv"):
            swedish = (str(entry.title), str(entry.remedy))
        with translation.override("en"):
            english = (str(entry.title), str(entry.remedy))
        if swedish[0] == english[0] or swedish[1] == english[1]:
            untranslated.append(entry.code)
    assert untranslated == []

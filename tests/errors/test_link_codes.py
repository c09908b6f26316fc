"""Error codes inside a message link to their help pages; everything else stays escaped."""

from __future__ import annotations

from syncs.templatetags.error_codes import link_codes


def test_codes_in_a_message_become_links_and_the_rest_is_escaped():
    html = link_codes("BC-011: refused <b>. See BC-999 and AUTH-010.")

    assert html.startswith('<a href="/help/errors/BC-011/"') and "&lt;b&gt;" in html
    assert "BC-999" in html and 'href="/help/errors/BC-999/"' not in html
    assert 'href="/help/errors/AUTH-010/"' in html

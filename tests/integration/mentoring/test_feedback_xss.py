"""Feedback is user Markdown: whatever is written, the page gets no script and no htmx."""

import pytest

from incubator.extensions import db
from tests import factories

from .helpers import HX, user_content

PAYLOADS = {
    "script-tag": "<script>alert('xss')</script>",
    "img-onerror": '<img src=x onerror="alert(1)">',
    "svg-onload": "<svg/onload=alert(1)>",
    "javascript-link": "[click me](javascript:alert(1))",
    "javascript-autolink": "<javascript:alert(1)>",
    "data-link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "hx-get": '<a href="#" hx-get="/logout" hx-trigger="load">x</a>',
    "data-hx-post": '<div data-hx-post="/logout" data-hx-trigger="load">x</div>',
    "style": '<p style="position:fixed;top:0">cover</p>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "markdown-link-title-break-out": '[a](https://example.org "x\\" onmouseover=\\"alert(1))',
    "html-comment": "<!-- <script>alert(1)</script> -->",
}

DANGEROUS_TAGS = {"script", "style", "iframe", "img", "svg", "object", "embed", "form", "input"}


def _assert_inert(html: str):
    elements, _text = user_content(html)
    for tag, attrs in elements:
        assert tag not in DANGEROUS_TAGS, (tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert not name.startswith(("hx-", "data-hx")), (tag, name)
            assert name != "style", (tag, name)
            if name in {"href", "src"}:
                assert value.startswith(("http://", "https://", "mailto:")), value
        if tag == "a" and "href" in attrs:
            assert attrs.get("rel") == "nofollow noopener"


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_feedback_payload_is_inert_on_every_view(world, as_role, payload):
    milestone = factories.make_milestone(world.innovation)
    db.session.commit()
    client = as_role("mentor")
    # On the innovation, on a milestone, as a reply; through htmx and the full page.
    thread = client.post(
        f"/innovations/{world.innovation.id}/feedback", data={"body": payload}, headers=HX
    )
    assert thread.status_code == 200
    _assert_inert(thread.text)
    client.post(
        f"/innovations/{world.innovation.id}/feedback/milestones/{milestone.id}",
        data={"body": payload},
    )
    page = client.get(f"/innovations/{world.innovation.id}/feedback")
    _assert_inert(page.text)
    assert "alert(1)</script>" not in page.text
    assert "<script>alert" not in page.text


def test_escaped_text_stays_readable(world, as_role):
    client = as_role("mentor")
    client.post(
        f"/innovations/{world.innovation.id}/feedback",
        data={"body": "Use <b> tags? See [docs](https://example.org/docs)"},
    )
    page = client.get(f"/innovations/{world.innovation.id}/feedback").text
    elements, text = user_content(page)
    assert "Use <b> tags?" in text  # shown as the characters typed, not as markup
    assert ("a", {"href": "https://example.org/docs", "rel": "nofollow noopener"}) in elements

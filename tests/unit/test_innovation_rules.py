"""Input rules shared by the innovation operations."""

import pytest

from incubator.pipeline import DomainError
from incubator.pipeline.rules import clean_links, is_http_url


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://example.org/report.pdf", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("ftp://example.org/file", False),
        ("//example.org/path", False),
        ("/relative/path", False),
        ("https://", False),
        ("https://exa mple.org", False),
        ("https://example.org/\nSet-Cookie: x", False),
        ("https://[::1", False),
        ("https://example.org/" + "a" * 2000, False),
        ("", False),
    ],
)
def test_only_absolute_http_links_pass(value, ok):
    assert is_http_url(value) is ok


def test_links_are_trimmed_and_deduplicated():
    assert clean_links([" https://a.org ", "", "https://a.org", "http://b.org"]) == [
        "https://a.org",
        "http://b.org",
    ]


def test_bad_link_names_the_field(app):
    with app.test_request_context(), pytest.raises(DomainError) as error:
        clean_links(["https://ok.org", "javascript:void(0)"])
    assert error.value.field == "links"

"""The Markdown renderer and its sanitiser, without the app."""

import pytest

from incubator.mentoring import markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**bold** and *it*", "<p><strong>bold</strong> and <em>it</em></p>"),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("line one\nline two", "<p>line one<br>\nline two</p>"),
        (
            "[site](https://example.org)",
            '<p><a href="https://example.org" rel="nofollow noopener">site</a></p>',
        ),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
        (
            "![chart](https://example.org/c.png)",
            '<p>!<a href="https://example.org/c.png" rel="nofollow noopener">chart</a></p>',
        ),
    ],
    ids=["emphasis", "list", "line-break", "link", "script", "javascript-link", "image"],
)
def test_render(source, expected):
    assert str(markdown.render(source)).strip() == expected


def test_empty_is_empty():
    assert markdown.render("") == "" and markdown.render(None) == ""


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<script>alert(1)</script>ok", "ok"),
        ("<style>p{}</style>ok", "ok"),
        ('<a href="javascript:alert(1)" onclick="x()">t</a>', '<a rel="nofollow noopener">t</a>'),
        ('<a href="https://e.org" hx-get="/x" data-hx-post="/y">t</a>', None),
        ('<p style="color:red" onmouseover="x()">t</p>', "<p>t</p>"),
        ('<img src="x" onerror="alert(1)">', ""),
        ('<a href="https://e.org" rel="opener" target="_blank">t</a>', None),
    ],
    ids=["script", "style", "js-href", "hx-attrs", "style-attr", "img", "rel-override"],
)
def test_sanitiser_is_the_second_wall(html, expected):
    """If raw HTML ever reached it, the sanitiser alone would still make it safe."""
    cleaned = markdown._cleaner.clean(html)
    if expected is None:
        expected = '<a href="https://e.org" rel="nofollow noopener">t</a>'
    assert cleaned == expected

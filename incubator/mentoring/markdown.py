"""User Markdown to safe HTML: markdown-it-py renders, nh3 sanitises.

Raw HTML in the source is escaped by the renderer, and the sanitiser is the
second wall: only a small set of tags survives, no script, no event handlers,
no style, no htmx attributes, and only http(s)/mailto links, each marked
rel="nofollow noopener". Templates still show the result inside an
`hx-disable` container, so even a surviving attribute could not drive htmx.
"""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_renderer = (
    MarkdownIt("commonmark", {"html": False, "breaks": True})
    .enable(["table", "strikethrough"])
    # Images would load third-party content into our pages; keep them as links.
    .disable("image")
)

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href", "title"}, "ol": {"start"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="nofollow noopener",
    strip_comments=True,
)


def render(source: str | None) -> Markup:
    """Markdown to HTML that is safe to put into a page as it is."""
    if not source:
        return Markup("")
    return Markup(_cleaner.clean(_renderer.render(source)))  # noqa: S704 (sanitised above)

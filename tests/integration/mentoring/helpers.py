"""Helpers for the mentoring tests: htmx headers, fresh reads, and an HTML inspector."""

from html.parser import HTMLParser

from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import ActivityEntry

HX = {"HX-Request": "true"}


def fresh():
    """End the test's transaction so it sees what the requests committed."""
    db.session.rollback()


def count(model, *where) -> int:
    fresh()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def activity(verb: str) -> list[ActivityEntry]:
    fresh()
    return list(db.session.scalars(select(ActivityEntry).where(ActivityEntry.verb == verb)))


class _Collector(HTMLParser):
    """Every element inside `class="feedback-body"` containers: (tag, attrs)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.elements: list[tuple[str, dict]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.elements.append((tag, attrs))
            if tag not in {"br", "hr"}:
                self.depth += 1
        elif "feedback-body" in (attrs.get("class") or "").split():
            assert "hx-disable" in attrs, "user content must sit in an hx-disable container"
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.texts.append(data)


def user_content(html: str) -> tuple[list[tuple[str, dict]], str]:
    """The elements and text that user Markdown produced on a page."""
    collector = _Collector()
    collector.feed(html)
    return collector.elements, "".join(collector.texts)

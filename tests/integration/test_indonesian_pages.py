"""One language at a time: every page type read in Indonesian shows no English words of
the app's own (user data aside: the demo data is Indonesian), and WTForms' own messages
come in Indonesian too. The words of translations/GLOSSARY.md are the app's."""

import re
from html.parser import HTMLParser

import pytest

from incubator.demo import DEMO_PASSWORD, seed_demo
from incubator.extensions import db
from tests.pages import ANON, EMAILS, PAGES, Demo

# English words of the interface that must never show on an Indonesian page (whole words,
# case-sensitive: the start of a label or a button).
ENGLISH = [
    "Milestone",
    "milestone",
    "Stage",
    "stage",
    "Save",
    "Cancel",
    "Not a valid",
    "Required",
    "Overdue",
    "Owner",
    "Mentors",
    "Move",
    "Edit",
    "Delete",
    "Due",
    "Progress",
    "Next",
    "Apply",
    "Filters",
    "Search",
    "Feedback",
    "Reply",
    "Update progress",
    "days in stage",
    "characters",
    "This field is required",
    "Choose",
    "Enter",
]
PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")
EMAIL = re.compile(r"\S+@\S+")
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "data-count", "data-over"}


class VisibleText(HTMLParser):
    """What a person reads or hears: text (not scripts or styles) and spoken attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if value and (name in READ_ATTRIBUTES or (name == "value" and tag == "button")):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def english_words(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = EMAIL.sub(" ", " ".join(parser.parts))
    return sorted(set(PATTERN.findall(text)))


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()
    return Demo.load()


def _client(app, role):
    client = app.test_client()
    if role == ANON:
        client.get("/login?lang=id")
    else:
        response = client.post("/login", data={"email": EMAILS[role], "password": DEMO_PASSWORD})
        assert response.status_code == 302
        client.get("/?lang=id")
    return client


def test_every_page_in_indonesian_has_no_english_words(app, demo):
    found = {}
    for role in (*EMAILS, ANON):
        client = _client(app, role)
        for page in PAGES:
            if role not in page.roles:
                continue
            with app.test_request_context():
                url = page.url(demo)
            words = english_words(client.get(url).get_data(as_text=True))
            if words:
                found[(role, page.key)] = words
    assert not found, f"English on Indonesian pages: {found}"


def test_the_checker_sees_english():
    html = '<p>Simpan</p><button aria-label="Move it">Pindahkan</button><a title="x">Milestone</a>'
    assert english_words(html) == ["Milestone", "Move"]
    assert english_words("<p>mentor@example.org</p><script>Save()</script>") == []


def test_wtforms_own_messages_are_indonesian(app, demo):
    """A field left to WTForms' own messages (the board's column limits) speaks
    Indonesian too: the issue saw "Not a valid integer value." on Indonesian pages."""
    client = _client(app, "coordinator")
    settings = f"/programmes/{demo.slug}/settings/board"
    html = client.post(settings, data={"creation": "abc"}).get_data(as_text=True)
    assert "Masukkan bilangan bulat." in html and "Not a valid" not in html
    client.get("/?lang=en")
    html = client.post(settings, data={"creation": "abc"}).get_data(as_text=True)
    assert "Not a valid integer value." in html  # English readers keep WTForms' English

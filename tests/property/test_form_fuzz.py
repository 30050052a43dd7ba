"""Random data posted to every form endpoint (found in the url_map), as the people who
may use it: never a 500, and a refused submit (4xx) leaves the database unchanged.

Run alone with `pytest -m fuzz`; FUZZ_EXAMPLES sets the examples per endpoint (default
3: under a minute for both databases on a CI machine), FUZZ_ENDPOINTS=board.,auth.login
narrows it to endpoints starting with those names.
"""

import importlib
import io
import os
import pkgutil
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms import Form

import incubator
from incubator.catalogue.queries import catalogue_ref
from incubator.extensions import db
from incubator.models import EntrySection, MentorAssignment, OutboxMessage, Role, utcnow
from incubator.pipeline import accounts, api_tokens, documents, entry_review, feedback
from incubator.pipeline import milestones as milestone_ops
from incubator.pipeline.invitations import Invitee, invitation_token, invite
from incubator.reminders.tokens import make_token
from tests import factories

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# No input to vary, and it would end the session the fuzzing runs in.
SKIPPED = {"auth.logout": "no form; logging out would end the fuzzing session"}
ANONYMOUS = {
    "auth.login",
    "auth.forgot_password",
    "auth.accept_invitation",
    "auth.reset_password_view",
    "reminders.unsubscribe",
}
AS_INNOVATOR = {
    "innovations.propose",
    # A competition entry is written by its team (coordinators only read it).
    "competitions.open_entry",
    "competitions.save_section",
    "competitions.save_details",
    "competitions.link_document",
    "competitions.unlink_document",
    "competitions.upload",
    # ... which answers and resolves its review's comments.
    "competitions.reply",
    "competitions.resolve",
}
AS_MENTOR = {
    "mentoring.record_assessment",
    "mentoring.edit_feedback",
    # Assigned mentors review entries (comment on and score sections).
    "competitions.comment",
    "competitions.score",
}
# Last: an archived programme refuses every later change (409), which would hide them.
LAST = ("programmes.archive",)
# The security log records refused logins on purpose.
NOT_COMPARED = {"security_events"}

TRICKY = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "²",
    "1_0",
    " 7 ",
    "9" * 5000,
    "99999999999999999999",
    str(2**31),
    str(2**63),
    "creation",
    "development",
    "institutionalisation",
    "active",
    "dropped",
    "coordinator",
    "mentor",
    "innovator",
    "id",
    "en",
    "on",
    "y",
    "2026-02-30",
    "2026-03-02",
    "http://example.org/x",
    "javascript:alert(1)",
    "Antrian\r\nBcc: x@example.org",
    "\u200b\u200b",
    "Laporan\u202efdp.exe",
    "a@b.c",
    "<script>alert(1)</script>",
    "x" * 300,
]
VALUES = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
)


NUMBERS = st.sampled_from(["1", "2", "3", "0", "99999999999999999999", str(2**31), "²", "9" * 5000])
STAGES = st.sampled_from(["creation", "development", "institutionalisation", "launch"])


def _values_for(name: str):
    """Random values, half of the time close to what the field expects, so that the
    other fields' checks pass often enough to reach the operation behind the form."""
    if name.endswith("_id") or name in {"version", "position", "progress", "capacity"}:
        return st.one_of(NUMBERS, VALUES)
    if name.endswith("stage"):
        return st.one_of(STAGES, VALUES)
    return VALUES


def _offered_or_random(name: str, offered: set[str]):
    """Mostly what the page offers (so a post gets past the other fields), else anything."""
    page = st.sampled_from(sorted(offered) or [""])
    return st.one_of(page, page, _values_for(name))


def _form_field_names() -> list[str]:
    for module in pkgutil.walk_packages(incubator.__path__, "incubator."):
        importlib.import_module(module.name)
    names, stack, seen = set(), [Form], set()
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
                names.update(k for k, v in vars(sub).items() if hasattr(v, "field_class"))
    # Fields some views read by hand, and dynamic fields (notes per criterion, limits).
    names.update({"q", "confirm", "token", "next", "status", "before", "kinds", "team"})
    return sorted(names)


def dump() -> dict[str, list]:
    """Every row of every table (fresh connection: what another request would see)."""
    tables = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in NOT_COMPARED:
                continue
            rows = conn.execute(sa.select(table)).all()
            tables[table.name] = sorted(map(repr, rows))
    return tables


def _first_section(competition) -> int:
    from incubator.models import CompetitionSection

    return db.session.scalar(
        sa.select(sa.func.min(CompetitionSection.id)).where(
            CompetitionSection.template_id == competition.id
        )
    )


class Stage:
    """The world, every kind of object a form route names, and logged-in clients."""

    def __init__(self, app):
        self.world = w = factories.make_world()
        w.coordinator.is_organiser = True
        milestone = factories.make_milestone(w.innovation, title="Uji coba", required=True)
        [template] = factories.make_templates(w.programme, "creation", [("Survei", 14, True)])
        agency = factories.make_agency(w.programme.region_id, programme=w.programme)
        given_feedback = feedback.give_feedback(w.innovation, author=w.mentor, body="Bagus.")
        invitation = invite(
            w.programme, Invitee("Yohana Bria", "yohana@example.org", "mentor"), actor=w.coordinator
        )
        # The knowledge platform's objects: a stored PDF, an API token, a published
        # innovation (catalogue reference), and a due-date request waiting for a decision.
        document = documents.attach_document(
            w.innovation,
            w.coordinator,
            stream=io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
            filename="sk.pdf",
            folder=Path(app.config["UPLOAD_FOLDER"]),
            max_bytes=1024 * 1024,
        )
        api_token, _secret = api_tokens.create_token(w.coordinator, "Dasbor")
        w.other_innovation.published_at = w.other_innovation.consent_at = utcnow()
        due_request = milestone_ops.request_due_date(
            milestone,
            w.innovation,
            w.innovator,
            due_date=milestone.due_date + timedelta(days=7),
            reason="Menunggu SK",
        )
        competition = factories.make_competition(w.programme)
        entry = factories.make_entry(w.innovation, competition, by=w.innovator)
        db.session.flush()
        first_row = db.session.scalar(
            sa.select(EntrySection).where(EntrySection.entry_id == entry.id).limit(1)
        )
        comment = entry_review.comment_on_section(first_row, author=w.mentor, body="Perjelas.")
        db.session.commit()
        assignment_id = db.session.scalar(
            sa.select(MentorAssignment.id).where(MentorAssignment.innovation_id == w.innovation.id)
        )
        self.arguments = {
            "slug": w.programme.slug,
            "innovation_id": w.innovation.id,
            "card_id": w.innovation.id,
            "milestone_id": milestone.id,
            "template_id": template.id,
            "agency_id": agency.id,
            "feedback_id": given_feedback.id,
            "assignment_id": assignment_id,
            "user_id": w.other_innovator.id,
            "message_id": db.session.scalar(sa.select(sa.func.max(OutboxMessage.id))),
            "kind": "due_1",
            "stage": "creation",
            "document_id": document.id,
            "token_id": api_token.id,
            "ref": catalogue_ref(w.other_innovation),
            "request_id": due_request.id,
            "competition_id": competition.id,
            "entry_id": entry.id,
            "section_id": _first_section(competition),
            "comment_id": comment.id,
        }
        self.tokens = {
            "auth.accept_invitation": invitation_token(invitation),
            # For someone nobody here is logged in as: a reset ends their sessions.
            "auth.reset_password_view": accounts.reset_token(
                w.other_mentor, utcnow() + timedelta(hours=1)
            ),
            "reminders.unsubscribe": make_token(w.other_mentor, "due_1"),
        }
        self.clients = {"anonymous": app.test_client()}
        for role, user in (
            (Role.COORDINATOR, w.coordinator),
            (Role.INNOVATOR, w.innovator),
            (Role.MENTOR, w.mentor),
        ):
            client = app.test_client()
            response = client.post(
                "/login", data={"email": user.email, "password": factories.PASSWORD}
            )
            assert response.status_code == 302
            self.clients[role] = client

    def url(self, rule) -> str:
        values = {}
        for name in rule.arguments:
            if name == "token":
                values[name] = self.tokens[rule.endpoint]
            else:
                assert name in self.arguments, f"{rule.endpoint}: add <{name}> to the fuzz stage"
                values[name] = self.arguments[name]
        return rule.build(values, append_unknown=False)[1]

    def harvest_forms(self, app) -> dict[str, dict[str, set[str]]]:
        """The fields of every form on every page (as each role sees it), with the values
        the page offers, by the path the form posts to: what a person can send."""
        found: dict[str, dict[str, set[str]]] = {}
        for rule in app.url_map.iter_rules():
            if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
                continue
            if not set(rule.arguments) <= set(self.arguments) | {"token"}:
                continue
            if "token" in rule.arguments and rule.endpoint not in self.tokens:
                continue
            url = self.url(rule)
            for client in self.clients.values():
                page = client.get(url)
                with page:  # a file download is streamed: closing it closes the file
                    if page.status_code != 200 or page.mimetype != "text/html":
                        continue
                    for action, fields in _forms(page.get_data(as_text=True), url).items():
                        into = found.setdefault(action, {})
                        for name, values in fields.items():
                            into.setdefault(name, set()).update(values)
        return found

    def client_for(self, endpoint: str):
        if endpoint in ANONYMOUS:
            return self.clients["anonymous"]
        if endpoint in AS_INNOVATOR:
            return self.clients[Role.INNOVATOR]
        if endpoint in AS_MENTOR:
            return self.clients[Role.MENTOR]
        return self.clients[Role.COORDINATOR]


def form_rules(app) -> list:
    only = [p for p in os.environ.get("FUZZ_ENDPOINTS", "").split(",") if p]
    rules = [
        r
        for r in app.url_map.iter_rules()
        if "POST" in (r.methods or ())
        and r.endpoint not in SKIPPED
        and (not only or r.endpoint.startswith(tuple(only)))
    ]
    return sorted(rules, key=lambda r: (r.endpoint in LAST, r.endpoint))


def test_random_posts_to_every_form_never_fail_and_refusals_write_nothing(app):
    stage = Stage(app)
    names = _form_field_names()
    seen_forms = stage.harvest_forms(app)
    rules = form_rules(app)
    if not os.environ.get("FUZZ_ENDPOINTS"):
        assert len(rules) >= 50  # the url_map was read, not a hand-made list
    outcomes: dict[str, set[int]] = {}

    for rule in rules:
        url = stage.url(rule)
        # The fields of the form that posts here, plus any other field's name now and then.
        own = seen_forms.get(url, {})
        posts = st.fixed_dictionaries(
            {name: _offered_or_random(name, offered) for name, offered in sorted(own.items())}
        ) | st.fixed_dictionaries({}, optional={name: _values_for(name) for name in names})
        _fuzz(rule.endpoint, url, stage.client_for(rule.endpoint), posts, outcomes)

    assert set(outcomes) == {r.endpoint for r in rules}


def _fuzz(endpoint: str, url: str, client, posts, outcomes: dict) -> None:
    """EXAMPLES random posts to one endpoint; hypothesis shrinks a failure to its core."""
    uploads = "import" in endpoint

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=posts, htmx=st.booleans(), upload=st.binary(max_size=2000))
    def post(data, htmx, upload):
        if uploads:
            data = {**data, "file": (io.BytesIO(upload), "people.csv")}
        before = dump()
        response = client.post(url, data=data, headers={"HX-Request": "true"} if htmx else {})
        outcomes.setdefault(endpoint, set()).add(response.status_code)
        assert response.status_code < 500, (endpoint, data)
        if response.status_code >= 400:
            assert dump() == before, (endpoint, response.status_code, data)

    post()


class _FormParser(HTMLParser):
    """POST forms: action path -> {field name: values the page offers (value=, options)}."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url, self.action, self.select, self.forms = page_url, None, None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.action = urlsplit(attrs.get("action") or self.page_url).path
            self.forms.setdefault(self.action, {})
        elif self.action is None:
            return
        elif tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            values = self.forms[self.action].setdefault(attrs["name"], set())
            if attrs.get("value") is not None:
                values.add(attrs["value"])
            self.select = attrs["name"] if tag == "select" else None
        elif tag == "option" and self.select and attrs.get("value") is not None:
            self.forms[self.action][self.select].add(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.action = None
        elif tag == "select":
            self.select = None


def _forms(html: str, page_url: str) -> dict[str, dict[str, set[str]]]:
    parser = _FormParser(urlsplit(page_url).path)
    parser.feed(html)
    return parser.forms

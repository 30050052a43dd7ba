"""Every HTML page of the app: who can see it and how to reach it in the demo data.

The accessibility pass (tests/e2e/test_a11y_pages.py) visits each entry as each of
its roles, and tests/integration/test_pages.py fails when a GET route of the app has
no entry here (like the permission matrix for actions) or an entry answers anything
but 200 to one of its roles. Other tests may reuse the list.

Adding a page is one line in PAGES: the endpoint, the roles that reach it, and a
function from the demo ids (`Demo`, below) to its URL, for example

    Page("people.index", (C,), lambda d: url_for("people.index", slug=d.slug)),

Several entries may share an endpoint (a tab, a query) when they are different
screens; give them a `name`. A GET route that is not a page of its own (a redirect,
an htmx fragment checked inside its page's states) goes in NOT_PAGES with the reason.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import url_for
from sqlalchemy import select

from incubator.catalogue.queries import catalogue_ref
from incubator.extensions import db
from incubator.models import (
    CompetitionEntry,
    Feedback,
    Innovation,
    Invitation,
    InvitationStatus,
    Milestone,
    MilestoneTemplate,
    OutboxMessage,
    Programme,
    User,
    utcnow,
)
from incubator.pipeline.accounts import RESET_VALID_FOR, reset_token
from incubator.pipeline.agencies import participant_ids
from incubator.pipeline.invitations import Invitee, invitation_token, invite

C, INN, M, ANON = "coordinator", "innovator", "mentor", "anonymous"
ALL = (C, INN, M)
EMAILS = {
    C: "coordinator@example.org",
    INN: "innovator@example.org",
    M: "mentor@example.org",
}
# The demo innovator's innovation, with a mentor assigned and feedback on it (DESIGN: Demo data).
INNOVATION = "Sistem Antrian Puskesmas Online"


@dataclass(frozen=True)
class Demo:
    """Ids in the seeded demo data that the URLs below need."""

    slug: str
    innovation: int
    milestone: int
    template: int
    feedback: int  # written by the demo mentor just now, so still editable
    innovator_id: int
    agency: int  # one of the programme's participating agencies
    invitation: int  # an open invitation of a person without an account yet
    message: int  # the invitation's email in the programme's outbox
    published: str = ""  # the catalogue reference of an innovation in the public catalogue
    entry: int = 0  # the demo innovation's competition entry (KIPP practice round)
    competition: int = 0  # its competition template

    @classmethod
    def load(cls) -> "Demo":
        """Read (and add the one fresh feedback, once) inside an app context; commits."""
        programme = db.session.scalars(select(Programme).order_by(Programme.id)).first()
        innovation = db.session.scalar(select(Innovation).where(Innovation.title == INNOVATION))
        mentor = db.session.scalar(select(User).where(User.email == EMAILS[M]))
        innovator = db.session.scalar(select(User).where(User.email == EMAILS[INN]))
        milestone = db.session.scalars(
            select(Milestone).where(Milestone.innovation_id == innovation.id).order_by(Milestone.id)
        ).first()
        template = db.session.scalars(
            select(MilestoneTemplate)
            .where(MilestoneTemplate.programme_id == programme.id)
            .order_by(MilestoneTemplate.id)
        ).first()
        feedback = db.session.scalars(
            select(Feedback).where(
                Feedback.author_id == mentor.id,
                Feedback.innovation_id == innovation.id,
                Feedback.created_at > utcnow() - timedelta(minutes=10),
            )
        ).first()
        if feedback is None:
            feedback = Feedback(
                innovation_id=innovation.id,
                author_id=mentor.id,
                body="Tolong tambahkan **data dasar** sebelum uji coba.",
                created_at=utcnow(),
            )
            db.session.add(feedback)
        agency = min(participant_ids(programme.id))
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.status == InvitationStatus.PENDING)
        )
        if invitation is None:
            coordinator = db.session.scalar(select(User).where(User.email == EMAILS[C]))
            invitation = invite(
                programme,
                Invitee(name="Dewi Lestari", email="dewi@example.org", role="innovator"),
                actor=coordinator,
            )
        published = db.session.scalars(
            select(Innovation)
            .where(Innovation.published_at.is_not(None), Innovation.consent_at.is_not(None))
            .order_by(Innovation.id)
        ).first()
        entry = db.session.scalars(
            select(CompetitionEntry)
            .where(CompetitionEntry.innovation_id == innovation.id)
            .order_by(CompetitionEntry.id)
        ).first()
        db.session.commit()
        message = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.programme_id == programme.id)
            .order_by(OutboxMessage.id)
        ).first()
        return cls(
            published=catalogue_ref(published) if published else "",
            slug=programme.slug,
            innovation=innovation.id,
            milestone=milestone.id,
            template=template.id,
            feedback=feedback.id,
            innovator_id=innovator.id,
            agency=agency,
            invitation=invitation.id,
            message=message.id,
            entry=entry.id,
            competition=entry.template_id,
        )


@dataclass(frozen=True)
class Page:
    endpoint: str
    roles: tuple[str, ...]
    url: object  # Demo -> str, called in a request context
    name: str = ""
    status: int = 200

    @property
    def key(self) -> str:
        return self.name or self.endpoint


def _unsubscribe(d: Demo) -> str:
    from incubator.pipeline.reminder_rules import ALL_KINDS
    from incubator.reminders.tokens import make_token

    innovator = db.session.get(User, d.innovator_id)
    return url_for("reminders.unsubscribe", token=make_token(innovator, ALL_KINDS[0]))


def _reset(d: Demo) -> str:
    user = db.session.get(User, d.innovator_id)
    token = reset_token(user, utcnow() + RESET_VALID_FOR)
    return url_for("auth.reset_password_view", token=token)


def _invitation(d: Demo) -> str:
    token = invitation_token(db.session.get(Invitation, d.invitation))
    return url_for("auth.accept_invitation", token=token)


PAGES = [
    Page("auth.login", (ANON,), lambda d: url_for("auth.login")),
    Page("auth.password", ALL, lambda d: url_for("auth.password")),
    # Organisers only: the demo's coordinator is one.
    Page("auth.security_log_page", (C,), lambda d: url_for("auth.security_log_page")),
    Page("board.board", ALL, lambda d: url_for("board.board", slug=d.slug)),
    Page(
        "board.board",
        ALL,
        lambda d: url_for("board.board", slug=d.slug, view="swimlanes"),
        name="board.board swimlanes",
    ),
    Page("board.card", ALL, lambda d: url_for("board.card", slug=d.slug, card_id=d.innovation)),
    Page(
        "board.move_form",
        (C,),
        lambda d: url_for("board.move_form", slug=d.slug, card_id=d.innovation),
    ),
    Page("board.settings", (C,), lambda d: url_for("board.settings", slug=d.slug)),
    Page(
        "innovations.detail",
        ALL,
        lambda d: url_for("innovations.detail", innovation_id=d.innovation),
    ),
    *(
        Page(
            "innovations.detail",
            ALL,
            lambda d, tab=tab: url_for("innovations.detail", innovation_id=d.innovation, tab=tab),
            name=f"innovations.detail {tab}",
        )
        for tab in ("milestones", "feedback", "history")
    ),
    Page("innovations.create", (C,), lambda d: url_for("innovations.create", slug=d.slug)),
    Page("innovations.propose", (INN,), lambda d: url_for("innovations.propose", slug=d.slug)),
    Page(
        "innovations.edit",
        (C, INN),
        lambda d: url_for("innovations.edit", innovation_id=d.innovation),
    ),
    Page("innovations.mine", (INN,), lambda d: url_for("innovations.mine")),
    Page("innovations.proposals", (C,), lambda d: url_for("innovations.proposals", slug=d.slug)),
    Page("innovations.templates", (C,), lambda d: url_for("innovations.templates", slug=d.slug)),
    Page(
        "innovations.edit_template",
        (C,),
        lambda d: url_for("innovations.edit_template", slug=d.slug, template_id=d.template),
    ),
    Page(
        "innovations.milestone",
        ALL,
        lambda d: url_for(
            "innovations.milestone", innovation_id=d.innovation, milestone_id=d.milestone
        ),
    ),
    Page(
        "innovations.add_milestone",
        (C, INN),
        lambda d: url_for("innovations.add_milestone", innovation_id=d.innovation),
    ),
    Page(
        "innovations.edit_milestone",
        (C, INN),
        lambda d: url_for(
            "innovations.edit_milestone", innovation_id=d.innovation, milestone_id=d.milestone
        ),
    ),
    Page("mentoring.mentees", (M,), lambda d: url_for("mentoring.mentees")),
    Page(
        "mentoring.feedback_page",
        ALL,
        lambda d: url_for("mentoring.feedback_page", innovation_id=d.innovation),
    ),
    Page(
        "mentoring.mentors", ALL, lambda d: url_for("mentoring.mentors", innovation_id=d.innovation)
    ),
    Page(
        "mentoring.assessments",
        ALL,
        lambda d: url_for("mentoring.assessments", innovation_id=d.innovation),
    ),
    Page(
        "mentoring.edit_feedback",
        (M,),
        lambda d: url_for("mentoring.edit_feedback", feedback_id=d.feedback),
    ),
    Page("reminders.notifications", ALL, lambda d: url_for("reminders.notifications")),
    Page("reminders.outbox", (C,), lambda d: url_for("reminders.outbox", slug=d.slug)),
    Page(
        "reminders.message",
        (C,),
        lambda d: url_for("reminders.message", slug=d.slug, message_id=d.message),
    ),
    Page("reminders.rules", (C,), lambda d: url_for("reminders.rules", slug=d.slug)),
    Page("reminders.unsubscribe", (ANON,), _unsubscribe),
    # Programme setup, places, people and the account (issue: start a real programme).
    Page("auth.forgot_password", (ANON,), lambda d: url_for("auth.forgot_password")),
    Page("auth.reset_password_view", (ANON,), _reset),
    Page("auth.accept_invitation", (ANON,), _invitation),
    Page("auth.profile", ALL, lambda d: url_for("auth.profile")),
    Page("programmes.index", ALL, lambda d: url_for("programmes.index")),
    Page("programmes.create", (C,), lambda d: url_for("programmes.create")),
    Page("programmes.settings", (C,), lambda d: url_for("programmes.settings", slug=d.slug)),
    Page("places.regions", (C,), lambda d: url_for("places.regions", slug=d.slug)),
    Page("places.agencies", (C,), lambda d: url_for("places.agencies", slug=d.slug)),
    Page(
        "places.agency",
        (C,),
        lambda d: url_for("places.agency", slug=d.slug, agency_id=d.agency),
    ),
    Page("places.import_agencies", (C,), lambda d: url_for("places.import_agencies", slug=d.slug)),
    Page("people.index", (C,), lambda d: url_for("people.index", slug=d.slug)),
    Page(
        "people.person",
        (C,),
        lambda d: url_for("people.person", slug=d.slug, user_id=d.innovator_id),
    ),
    Page("people.import_people", (C,), lambda d: url_for("people.import_people", slug=d.slug)),
    # The knowledge platform (issue 13): documents, the public catalogue, API tokens.
    Page(
        "innovations.documents",
        ALL,
        lambda d: url_for("innovations.documents", innovation_id=d.innovation),
    ),
    Page("catalogue.index", (*ALL, ANON), lambda d: url_for("catalogue.index")),
    Page(
        "catalogue.index",
        (ANON,),
        lambda d: url_for("catalogue.index", q="zzz-nothing"),
        name="catalogue.index empty",
    ),
    Page("catalogue.detail", (*ALL, ANON), lambda d: url_for("catalogue.detail", ref=d.published)),
    Page(
        "catalogue.replicate", (C, INN), lambda d: url_for("catalogue.replicate", ref=d.published)
    ),
    Page("auth.api_tokens", ALL, lambda d: url_for("auth.api_tokens")),
    # Reports (issue 12): the dashboard and the printable programme report.
    Page(
        "reports.dashboard_page", (C, M), lambda d: url_for("reports.dashboard_page", slug=d.slug)
    ),
    Page(
        "reports.dashboard_page",
        (C,),
        lambda d: url_for(
            "reports.dashboard_page", slug=d.slug, start="2030-02-01", end="2030-01-01"
        ),
        name="reports.dashboard_page period refused",
        status=400,
    ),
    Page("reports.report", (C, M), lambda d: url_for("reports.report", slug=d.slug)),
    # Competitions (issue 15): templates, the programme's entries, an innovation's, one entry.
    Page("competitions.index", (C,), lambda d: url_for("competitions.index")),
    Page("competitions.new_template", (C,), lambda d: url_for("competitions.new_template")),
    Page(
        "competitions.edit_template",
        (C,),
        lambda d: url_for("competitions.edit_template", competition_id=d.competition),
    ),
    Page(
        "competitions.programme_entries",
        (C,),
        lambda d: url_for("competitions.programme_entries", slug=d.slug),
    ),
    Page(
        "competitions.innovation_entries",
        ALL,
        lambda d: url_for("competitions.innovation_entries", innovation_id=d.innovation),
    ),
    Page("competitions.entry", ALL, lambda d: url_for("competitions.entry", entry_id=d.entry)),
    # Its exports (issue 15): the text to paste into SINOVIK, and the printable page.
    Page(
        "competitions.export_text",
        ALL,
        lambda d: url_for("competitions.export_text", entry_id=d.entry),
    ),
    Page(
        "competitions.print_entry",
        ALL,
        lambda d: url_for("competitions.print_entry", entry_id=d.entry),
    ),
    Page("errors.404", ALL, lambda d: "/innovations/999999", name="error page (404)", status=404),
]

NOT_PAGES = {
    "static": "files, not pages",
    "board.home": "redirects to the person's board",
    "board.switch_programme": "redirects to the chosen programme's board",
    "board.column": "htmx fragment: the next cards of a column, checked on the board",
    "innovations.tab": "htmx fragment: a tab of the innovation page, listed as its tabs above",
    "mentoring.show_feedback": "htmx fragment; a browser is redirected to the feedback page",
    "innovations.download": "a stored file (PDF, image, Office), not a page",
    "catalogue.sitemap": "XML for search engines (tests/integration/catalogue)",
    **{
        f"api.{name}": "JSON API (tests/integration/catalogue/test_api.py)"
        for name in (
            "programmes",
            "programme",
            "innovations",
            "innovation",
            "catalogue_list",
            "catalogue_entry",
            "openapi",
        )
    },
    "reports.home": "redirects to the dashboard of the person's first programme",
    "reports.export": "a CSV or XLSX file, not a page",
    "reports.calendar_feed": "an iCalendar feed, not a page",
    "competitions.export_docx": "a Word document, not a page (tests/integration/competitions)",
    "competitions.export_text_file": "a text file, not a page (tests/integration/competitions)",
}

# Pages people use every day, also checked at phone size (390x844).
DAILY = ("board.board", "innovations.mine", "innovations.detail", "mentoring.mentees")

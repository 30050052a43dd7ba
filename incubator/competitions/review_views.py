"""The review of an entry: mentors' comments and scores beside each section, the team's
replies and resolutions.

Each write answers htmx with the section's review box (competitions/_section_review.html,
a self-replacing widget) and a browser without JavaScript with a redirect to it.
"""

from flask import abort, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth.door import entry_view, load_part
from ..auth.policy import Action
from ..extensions import db
from ..form_errors import show_domain_error
from ..models import CompetitionSection, EntrySection, EntrySectionComment
from ..pipeline import DomainError
from ..pipeline import entry_review as operations
from ..translating import gettext as _
from . import review_queries, timeline  # noqa: F401  (timeline: the history's sentences)
from .review_forms import CommentForm, ReplyForm, ResolveForm, ScoreForm
from .views import _entry_context, bp

FORM_TYPES = {"comment": CommentForm, "reply": ReplyForm, "score": ScoreForm}


@bp.app_template_global()
def entry_review(entry, innovation) -> review_queries.EntryReview:
    """The entry's review as the current user sees it, loaded once per request."""
    cache = g.setdefault("entry_review", {})
    if entry.id not in cache:
        cache[entry.id] = review_queries.entry_review(entry, innovation, current_user)
    return cache[entry.id]


@bp.app_template_global()
def review_form(key: str):
    """The failed form for `key` ("comment-<section>", "reply-<comment>", "score-<section>")
    if this request has one, else an empty form."""
    failed = g.get("review_forms", {}).get(key)
    if failed is not None:
        return failed
    return FORM_TYPES[key.split("-", 1)[0]](formdata=None)


@bp.app_template_global()
def resolve_form():
    return ResolveForm(formdata=None)


def _section(entry, section_id: int) -> EntrySection:
    """The entry's text for the template section `section_id` (as the editor's URLs name it)."""
    row = db.session.scalar(
        select(EntrySection).where(
            EntrySection.entry_id == entry.id, EntrySection.section_id == section_id
        )
    )
    if row is None:
        abort(404)
    return row


def _answer(
    entry, innovation, row: EntrySection, status: int = 200, notice: str = "", scored=False
):
    if not request.htmx:
        page = url_for("competitions.entry", entry_id=entry.id)
        return redirect(f"{page}#review-{row.id}", code=303)
    g.pop("entry_review", None)  # reload what this request changed
    section = db.session.get(CompetitionSection, row.section_id)
    return render_template(
        "competitions/_section_review.html",
        entry=entry,
        innovation=innovation,
        row=row,
        section=section,
        review_notice=notice,
        estimate_oob=scored,  # the weighted estimate at the top of the page changes too
    ), status


def _failed(entry, innovation, row: EntrySection, key: str, form):
    g.setdefault("review_forms", {})[key] = form
    if request.htmx:
        return _answer(entry, innovation, row, 422)
    # Without JavaScript: the entry page, with the message next to the field.
    return render_template("competitions/entry.html", **_entry_context(entry, innovation)), 422


def _write(entry, innovation, row, key, form, write, notice):  # noqa: PLR0913
    if not form.validate_on_submit():
        return _failed(entry, innovation, row, key, form)
    try:
        write()
    except DomainError as error:
        show_domain_error(form, error, default="score" if key.startswith("score") else "body")
        return _failed(entry, innovation, row, key, form)
    db.session.commit()
    return _answer(entry, innovation, row, notice=notice, scored=key.startswith("score"))


@bp.post("/entries/<int:entry_id>/sections/<int:section_id>/comments")
@entry_view(Action.REVIEW_ENTRY)
def comment(entry, innovation, section_id: int):
    row = _section(entry, section_id)
    form = CommentForm()
    return _write(
        entry,
        innovation,
        row,
        f"comment-{row.id}",
        form,
        lambda: operations.comment_on_section(row, author=current_user, body=form.body.data),
        _("Comment sent."),
    )


@bp.post("/entries/<int:entry_id>/sections/<int:section_id>/score")
@entry_view(Action.REVIEW_ENTRY)
def score(entry, innovation, section_id: int):
    row = _section(entry, section_id)
    form = ScoreForm()
    return _write(
        entry,
        innovation,
        row,
        f"score-{row.id}",
        form,
        lambda: operations.score_section(row, mentor=current_user, score=form.score.data),
        _("Score saved."),
    )


def _comment(entry, comment_id: int) -> tuple[EntrySectionComment, EntrySection]:
    comment = load_part(EntrySectionComment, comment_id)
    return comment, load_part(EntrySection, comment.entry_section_id, entry_id=entry.id)


@bp.post("/entries/<int:entry_id>/comments/<int:comment_id>/replies")
@entry_view(Action.REPLY_ENTRY_COMMENT)
def reply(entry, innovation, comment_id: int):
    parent, row = _comment(entry, comment_id)
    form = ReplyForm()
    return _write(
        entry,
        innovation,
        row,
        f"reply-{parent.parent_id or parent.id}",
        form,
        lambda: operations.reply_to_comment(parent, author=current_user, body=form.body.data),
        _("Reply sent."),
    )


@bp.post("/entries/<int:entry_id>/comments/<int:comment_id>/resolve")
@entry_view(Action.RESOLVE_ENTRY_COMMENT)
def resolve(entry, innovation, comment_id: int):
    comment, row = _comment(entry, comment_id)
    form = ResolveForm()
    resolved = form.resolved.data != "0"
    return _write(
        entry,
        innovation,
        row,
        f"resolve-{comment.id}",
        form,
        lambda: operations.resolve_comment(comment, actor=current_user, resolved=resolved),
        _("Marked resolved.") if resolved else _("Opened again."),
    )

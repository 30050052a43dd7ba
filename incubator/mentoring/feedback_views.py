"""Feedback pages: the thread of an innovation and its milestones, replies, edits.

Each write answers htmx with the fragment it changed (a thread or one item)
and a browser without JavaScript with a redirect back to where it came from.
"""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth import policy
from ..auth.policy import Action
from ..auth.views import safe_next
from ..errors import user_abort
from ..extensions import db
from ..models import Feedback, Innovation, Milestone, utcnow
from ..pipeline import DomainError
from ..pipeline import feedback as operations
from . import queries
from .blueprint import bp, reload_feedback, remember_form
from .forms import EditFeedbackForm, FeedbackForm, ReplyForm


def _milestone_or_404(innovation: Innovation, milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.innovation_id != innovation.id:
        abort(404)
    return milestone


def _feedback_or_404(feedback_id: int) -> tuple[Feedback, Innovation]:
    """The feedback and its innovation; 404 when the user cannot see the innovation."""
    feedback = db.session.get(Feedback, feedback_id)
    if feedback is None:
        abort(404)
    return feedback, policy.innovation_or_404(current_user, feedback.innovation_id)


def _page(innovation: Innovation, status: int = 200):
    context = {"innovation": innovation, "milestones": queries.milestones_of(innovation.id)}
    if request.htmx:
        return render_template("mentoring/_feedback_panel.html", **context), status
    return render_template("mentoring/feedback.html", **context), status


def _done(innovation: Innovation, form, anchor: str):
    target = safe_next(form.next.data) or url_for(
        "mentoring.feedback_page", innovation_id=innovation.id
    )
    return redirect(f"{target.split('#')[0]}#{anchor}", code=303)


def _apply_error(form, error: DomainError) -> None:
    field = getattr(form, error.field or "body", None) or form.body
    field.errors = [*field.errors, str(error.message)]


def _save(innovation: Innovation, form, write, fragment):
    """Validate, `write()` and commit; answer htmx with `fragment()`, a browser with a redirect
    to the written item. None when the form or the write failed (the error is on the form)."""
    if not form.validate_on_submit():
        return None
    try:
        feedback = write()
    except DomainError as error:
        db.session.rollback()
        _apply_error(form, error)
        return None
    db.session.commit()
    if not request.htmx:
        return _done(innovation, form, f"feedback-{feedback.id}")
    reload_feedback(innovation)
    return fragment()


@bp.get("/innovations/<int:innovation_id>/feedback")
@login_required
def feedback_page(innovation_id: int):
    innovation = policy.innovation_or_404(current_user, innovation_id)
    return _page(innovation)


@bp.post("/innovations/<int:innovation_id>/feedback")
@login_required
def give_feedback(innovation_id: int):
    innovation = policy.innovation_or_404(current_user, innovation_id, Action.GIVE_FEEDBACK)
    return _give(innovation, None)


@bp.post("/innovations/<int:innovation_id>/feedback/milestones/<int:milestone_id>")
@login_required
def give_milestone_feedback(innovation_id: int, milestone_id: int):
    innovation = policy.innovation_or_404(current_user, innovation_id, Action.GIVE_FEEDBACK)
    return _give(innovation, _milestone_or_404(innovation, milestone_id))


def _give(innovation: Innovation, milestone: Milestone | None):
    form = FeedbackForm()
    key = f"new-milestone-{milestone.id}" if milestone else "new-innovation"
    saved = _save(
        innovation,
        form,
        lambda: operations.give_feedback(
            innovation, author=current_user, body=form.body.data, milestone=milestone
        ),
        lambda: _thread(innovation, milestone, notice=_("Feedback sent.")),
    )
    if saved is not None:
        return saved
    remember_form(key, form)
    if request.htmx:
        return _thread(innovation, milestone, 422)
    return _page(innovation, 422)


def _thread(
    innovation: Innovation, milestone: Milestone | None, status: int = 200, notice: str = ""
):
    template = "mentoring/_milestone_feedback.html" if milestone else "mentoring/_thread.html"
    return render_template(
        template, innovation=innovation, milestone=milestone, thread_notice=notice
    ), status


def _item(
    innovation: Innovation,
    feedback: Feedback,
    status: int = 200,
    editing: int | None = None,
    notice: str = "",
):
    root = db.session.get(Feedback, feedback.parent_id) if feedback.parent_id else feedback
    return render_template(
        "mentoring/_feedback_item.html",
        innovation=innovation,
        item=root,
        editing=editing,
        item_notice=notice,
    ), status


@bp.get("/feedback/<int:feedback_id>")
@login_required
def show_feedback(feedback_id: int):
    """One thread item for htmx (e.g. after cancelling an edit); else its place on the page."""
    feedback, innovation = _feedback_or_404(feedback_id)
    if request.htmx:
        return _item(innovation, feedback)
    page = url_for("mentoring.feedback_page", innovation_id=innovation.id)
    return redirect(f"{page}#feedback-{feedback.id}")


@bp.post("/feedback/<int:feedback_id>/replies")
@login_required
def reply(feedback_id: int):
    parent, innovation = _feedback_or_404(feedback_id)
    policy.authorize(current_user, Action.REPLY_FEEDBACK, innovation)
    form = ReplyForm()
    saved = _save(
        innovation,
        form,
        lambda: operations.reply_to_feedback(parent, author=current_user, body=form.body.data),
        lambda: _item(innovation, parent, notice=_("Reply sent.")),
    )
    if saved is not None:
        return saved
    remember_form(f"reply-{parent.parent_id or parent.id}", form)
    if request.htmx:
        return _item(innovation, parent, 422)
    return _page(innovation, 422)


def _authorize_edit(feedback: Feedback) -> None:
    if policy.can(current_user, Action.EDIT_FEEDBACK, feedback):
        return
    if feedback.author_id == current_user.id:
        user_abort(403, _("Feedback can be edited only in the first 15 minutes after writing it."))
    abort(403)


@bp.route("/feedback/<int:feedback_id>/edit", methods=["GET", "POST"])
@login_required
def edit_feedback(feedback_id: int):
    feedback, innovation = _feedback_or_404(feedback_id)
    _authorize_edit(feedback)
    key = f"edit-{feedback.id}"
    if request.method == "GET":
        if request.htmx:
            return _item(innovation, feedback, editing=feedback.id)
        form = EditFeedbackForm(formdata=None, body=feedback.body)
        form.next.data = safe_next(request.args.get("next")) or ""
        return render_template(
            "mentoring/edit_feedback.html", innovation=innovation, feedback=feedback, form=form
        )
    form = EditFeedbackForm()
    saved = _save(
        innovation,
        form,
        lambda: operations.edit_feedback(feedback, editor=current_user, body=form.body.data),
        lambda: _item(innovation, feedback, notice=_("Changes saved.")),
    )
    if saved is not None:
        return saved
    remember_form(key, form)
    if request.htmx:
        return _item(innovation, feedback, 422, editing=feedback.id)
    return render_template(
        "mentoring/edit_feedback.html", innovation=innovation, feedback=feedback, form=form
    ), 422


@bp.app_template_global()
def feedback_editable_until(feedback: Feedback):
    return feedback.created_at + policy.FEEDBACK_EDIT_WINDOW if feedback.created_at else utcnow()

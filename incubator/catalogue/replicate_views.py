""" "Replicate this": a logged-in coordinator or innovator starts from a published innovation."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from ..auth.door import check
from ..auth.policy import Action
from ..extensions import db
from ..form_errors import show_domain_error
from ..labels import ROLE_LABELS, STAGE_LABELS
from ..models import Milestone
from ..pipeline import DomainError
from ..pipeline.replication import replicate as replicate_op
from ..pipeline.replication import replication_targets
from ..pipeline.rules import TITLE_MAX
from ..single_line import LineField
from ..translating import gettext as _
from ..translating import lazy_gettext as _l
from . import queries
from .views import bp


class ReplicateForm(FlaskForm):
    programme_id = SelectField(_l("Replicate in the programme"), coerce=int)
    title = LineField(
        _l("Title of your innovation"),
        validators=[InputRequired(_l("Enter a title."))],
        max=TITLE_MAX,
    )
    milestone_ids = SelectMultipleField(
        _l("Milestones to copy"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Replicate this"))


def _original(ref: str):
    innovation = queries.public_innovation_by_ref(ref)
    if innovation is None:
        abort(404)
    return innovation


@bp.route("/katalog/<ref>/replicate", methods=["GET", "POST"])
@login_required
def replicate(ref: str):
    original = _original(ref)
    check(Action.REPLICATE)
    targets = replication_targets(current_user)
    milestones = list(
        db.session.scalars(
            db.select(Milestone)
            .where(Milestone.innovation_id == original.id)
            .order_by(Milestone.stage, Milestone.id)
        )
    )
    form = ReplicateForm()
    form.programme_id.choices = [
        SelectChoice(
            p.id,
            _("%(programme)s (as %(role)s: %(what)s)")
            % {
                "programme": p.name,
                "role": str(ROLE_LABELS[role]).lower(),
                "what": _("a new innovation in Creation")
                if role == "coordinator"
                else _("a proposal to the coordinators"),
            },
        )
        for p, role in targets
    ]
    form.milestone_ids.choices = [
        SelectChoice(m.id, f"{m.title} ({STAGE_LABELS.get(m.stage, m.stage)})") for m in milestones
    ]
    if request.method == "GET":
        form.title.data = original.title
        form.milestone_ids.data = [m.id for m in milestones]
        return _render(original, form, targets)
    status = 422
    if form.validate():
        try:
            copy = replicate_op(
                original,
                current_user,
                form.programme_id.data,
                title=form.title.data,
                milestone_ids=form.milestone_ids.data or [],
            )
        except DomainError as error:
            status = show_domain_error(form, error)
        else:
            db.session.commit()
            if copy.is_proposal:
                flash(_("Your proposal has been sent to the coordinators."), "success")
            else:
                flash(_("The innovation has been registered."), "success")
            return redirect(url_for("innovations.detail", innovation_id=copy.id))
    return _render(original, form, targets, status)


def _render(original, form, targets, status=200):
    return render_template(
        "catalogue/replicate.html", original=original, form=form, targets=targets
    ), status


replicate.through_door = True  # the original is public; the door's check() asks the policy

"""Rapid assessments (kaji cepat): the latest scores, their history, and the form."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth import policy
from ..auth.door import innovation_view
from ..auth.policy import Action
from ..extensions import db
from ..form_errors import show_domain_error
from ..models import ASSESSMENT_CRITERIA, Innovation
from ..pipeline import DomainError
from ..pipeline.assessments import record_rapid_assessment
from ..translating import gettext as _
from . import queries
from .blueprint import bp
from .forms import RapidAssessmentForm


def _render(innovation: Innovation, form: RapidAssessmentForm, status: int = 200):
    history = queries.assessments_of(innovation.id)
    return render_template(
        "mentoring/assessments.html",
        innovation=innovation,
        form=form,
        can_assess=policy.can(current_user, Action.RAPID_ASSESS, innovation),
        latest=history[0] if history else None,
        history=history,
        criteria=ASSESSMENT_CRITERIA,
    ), status


@bp.get("/innovations/<int:innovation_id>/assessments")
@innovation_view()
def assessments(innovation):
    return _render(innovation, RapidAssessmentForm(formdata=None))


@bp.post("/innovations/<int:innovation_id>/assessments")
@innovation_view(Action.RAPID_ASSESS)
def record_assessment(innovation):
    form = RapidAssessmentForm()
    if form.validate_on_submit():
        try:
            record_rapid_assessment(
                innovation,
                mentor=current_user,
                scores={c: form[c].data for c in ASSESSMENT_CRITERIA},
                notes={c: form[f"{c}_note"].data for c in ASSESSMENT_CRITERIA},
            )
        except DomainError as error:
            show_domain_error(form, error, default=ASSESSMENT_CRITERIA[0])
        else:
            db.session.commit()
            flash(_("Your rapid assessment has been saved."), "success")
            return redirect(url_for("mentoring.assessments", innovation_id=innovation.id), code=303)
    return _render(innovation, form, 422)

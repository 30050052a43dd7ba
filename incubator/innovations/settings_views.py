"""Programme pages of this feature: milestone templates (settings) and open proposals."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth.door import load_part, programme_view
from ..auth.policy import Action
from ..extensions import db
from ..form_errors import show_domain_error
from ..models import MilestoneTemplate
from ..pipeline import DomainError
from ..pipeline import templates as ops
from ..translating import gettext as _
from . import queries
from .blueprint import bp
from .forms import TemplateForm


def _templates_page(programme, form, status: int = 200):
    return render_template(
        "innovations/templates.html",
        programme=programme,
        form=form,
        templates=queries.templates_by_stage(programme),
    ), status


@bp.route("/programmes/<slug>/settings/templates", methods=["GET", "POST"])
@programme_view(Action.MANAGE_PROGRAMME)
def templates(programme):
    form = TemplateForm()
    if not form.is_submitted():
        return _templates_page(programme, form)
    status = 422
    if form.validate():
        try:
            ops.add_template(programme, current_user, **form.template_data())
        except DomainError as error:
            status = show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The milestone template has been added."), "success")
            return redirect(url_for("innovations.templates", slug=programme.slug))
    return _templates_page(programme, form, status)


@bp.route("/programmes/<slug>/settings/templates/<int:template_id>/edit", methods=["GET", "POST"])
@programme_view(Action.MANAGE_PROGRAMME)
def edit_template(programme, template_id: int):
    template = load_part(MilestoneTemplate, template_id, programme_id=programme.id)
    form = TemplateForm(obj=template)
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            try:
                changed = ops.edit_template(template, current_user, **form.template_data())
            except DomainError as error:
                status = show_domain_error(form, error)
            else:
                db.session.commit()
                if changed:
                    flash(_("The milestone template has been saved."), "success")
                return redirect(url_for("innovations.templates", slug=programme.slug))
    return render_template(
        "innovations/template_form.html", programme=programme, template=template, form=form
    ), status


@bp.post("/programmes/<slug>/settings/templates/<int:template_id>/delete")
@programme_view(Action.MANAGE_PROGRAMME)
def delete_template(programme, template_id: int):
    template = load_part(MilestoneTemplate, template_id, programme_id=programme.id)
    ops.delete_template(template, current_user)
    db.session.commit()
    flash(_("The milestone template has been deleted."), "success")
    return redirect(url_for("innovations.templates", slug=programme.slug))


@bp.get("/programmes/<slug>/proposals")
@programme_view(Action.DECIDE_PROPOSAL)
def proposals(programme):
    return render_template(
        "innovations/proposals.html",
        programme=programme,
        proposals=queries.pending_proposals(programme),
    )

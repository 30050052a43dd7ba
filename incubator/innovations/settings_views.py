"""Programme pages of this feature: milestone templates (settings) and open proposals."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth import policy
from ..auth.policy import Action
from ..extensions import db
from ..models import MilestoneTemplate
from ..pipeline import DomainError
from ..pipeline import templates as ops
from . import queries
from .blueprint import bp
from .forms import TemplateForm, show_domain_error


def template_or_404(programme, template_id: int) -> MilestoneTemplate:
    template = db.session.get(MilestoneTemplate, template_id)
    if template is None or template.programme_id != programme.id:
        abort(404)
    return template


def _templates_page(programme, form, status: int = 200):
    return render_template(
        "innovations/templates.html",
        programme=programme,
        form=form,
        templates=queries.templates_by_stage(programme),
    ), status


@bp.route("/programmes/<slug>/settings/templates", methods=["GET", "POST"])
@login_required
def templates(slug: str):
    programme = policy.programme_or_404(current_user, slug, Action.MANAGE_PROGRAMME)
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
@login_required
def edit_template(slug: str, template_id: int):
    programme = policy.programme_or_404(current_user, slug, Action.MANAGE_PROGRAMME)
    template = template_or_404(programme, template_id)
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
@login_required
def delete_template(slug: str, template_id: int):
    programme = policy.programme_or_404(current_user, slug, Action.MANAGE_PROGRAMME)
    template = template_or_404(programme, template_id)
    ops.delete_template(template, current_user)
    db.session.commit()
    flash(_("The milestone template has been deleted."), "success")
    return redirect(url_for("innovations.templates", slug=programme.slug))


@bp.get("/programmes/<slug>/proposals")
@login_required
def proposals(slug: str):
    programme = policy.programme_or_404(current_user, slug, Action.DECIDE_PROPOSAL)
    return render_template(
        "innovations/proposals.html",
        programme=programme,
        proposals=queries.pending_proposals(programme),
    )

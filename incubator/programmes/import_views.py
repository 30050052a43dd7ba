"""Importing agencies from a CSV or XLSX file: upload, preview every row, confirm.

The upload is stashed (see incubator/stash.py) and the preview page carries a
signed token; confirming checks the stashed file again and imports it in one
transaction, or nothing while a row has a problem.
"""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from .. import stash
from ..auth.door import programme_view
from ..auth.policy import Action
from ..extensions import db
from ..form_errors import show_domain_error
from ..pipeline import DomainError
from ..pipeline import agency_import as ops
from ..translating import gettext as _
from .places_blueprint import bp
from .places_forms import ConfirmImportForm, ImportForm

PURPOSE = "agency-import"


def _owner(programme) -> str:
    return f"{current_user.id}:{programme.id}"


def _page(programme, form, *, checked=None, token=None, status: int = 200):
    confirm = None
    if checked is not None and not checked.errors:
        confirm = ConfirmImportForm(formdata=None, token=token)
    return render_template(
        "places/import.html",
        programme=programme,
        form=form,
        checked=checked,
        confirm_form=confirm,
        Status=ops.RowStatus,
    ), status


@bp.route("/programmes/<slug>/settings/agencies/import", methods=["GET", "POST"])
@programme_view(Action.MANAGE_PLACES)
def import_agencies(programme):
    form = ImportForm()
    if not form.is_submitted():
        return _page(programme, form)
    if not form.validate():
        return _page(programme, form, status=422)
    upload = form.file.data
    data = upload.read()
    try:
        checked = ops.preview(programme, upload.filename, data)
    except DomainError as error:
        return _page(programme, form, status=show_domain_error(form, error))
    token = stash.stash(data, upload.filename, purpose=PURPOSE, owner=_owner(programme))
    return _page(
        programme, form, checked=checked, token=token, status=422 if checked.errors else 200
    )


@bp.post("/programmes/<slug>/settings/agencies/import/confirm")
@programme_view(Action.MANAGE_PLACES)
def confirm_import(programme):
    confirm = ConfirmImportForm()
    stashed = None
    if confirm.validate():
        stashed = stash.unstash(confirm.token.data, purpose=PURPOSE, owner=_owner(programme))
    form = ImportForm(formdata=None)
    if stashed is None:
        form.file.errors = [_("This preview has expired. Upload the file again.")]
        return _page(programme, form, status=400)
    filename, data = stashed
    try:
        checked = ops.preview(programme, filename, data)  # the database may have changed
    except DomainError as error:
        return _page(programme, form, status=show_domain_error(form, error))
    if checked.errors:
        form.file.errors = [_("Nothing has been imported: fix these rows in the file first.")]
        return _page(programme, form, checked=checked, status=422)
    counts = ops.apply(programme, checked, actor=current_user)
    db.session.commit()
    flash(
        _(
            "Imported: %(created)d new agencies, %(added)d existing agencies added, "
            "%(unchanged)d already taking part.",
            **counts,
        ),
        "success",
    )
    return redirect(url_for("places.agencies", slug=programme.slug))

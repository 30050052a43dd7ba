"""Documents of an innovation: list, upload, delete, mark public, download."""

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.validators import InputRequired, Optional

from ..auth import policy
from ..auth.door import innovation_view, load_document
from ..auth.policy import Action
from ..extensions import db
from ..form_errors import show_domain_error
from ..labels import DOCUMENT_KIND_LABELS
from ..models import DocumentKind
from ..pipeline import DomainError
from ..pipeline import documents as ops
from ..pipeline.rules import TITLE_MAX
from ..single_line import LineField
from ..translating import gettext as _
from ..translating import lazy_gettext as _l
from ..uploads import accepts_upload, upload_folder, upload_limit
from . import queries
from .blueprint import bp
from .forms import choices

NO_MILESTONE = _l("The innovation as a whole")


class DocumentForm(FlaskForm):
    file = FileField(_l("File"), validators=[InputRequired(_l("Choose a file to upload."))])
    title = LineField(
        _l("Title"),
        validators=[Optional()],
        max=TITLE_MAX,
        description=_l("Leave empty to use the file's name."),
    )
    kind = SelectField(
        _l("Kind of document"),
        choices=choices((str(k), v) for k, v in DOCUMENT_KIND_LABELS.items()),
        default=DocumentKind.OTHER.value,
    )
    milestone_id = SelectField(_l("Attached to"), coerce=int, default=0)
    is_public = BooleanField(_l("Public in the catalogue (when the innovation is published)"))
    submit = SubmitField(_l("Upload"))


def _form(innovation, formdata=None) -> DocumentForm:
    form = DocumentForm(formdata=formdata) if formdata is not None else DocumentForm()
    form.milestone_id.choices = choices(
        ((m.id, m.title) for m in queries.milestones(innovation.id)), NO_MILESTONE
    )
    if not policy.can(current_user, Action.PUBLISH, innovation):
        del form.is_public
    return form


def _render(innovation, form, status=200):
    profile = queries.profile(innovation)
    return render_template(
        "innovations/documents.html",
        innovation=profile.innovation,
        profile=profile,
        programme=profile.programme,
        documents=queries.documents(innovation.id),
        form=form,
        can_manage=policy.can(current_user, Action.MANAGE_DOCUMENTS, innovation),
        can_publish=policy.can(current_user, Action.PUBLISH, innovation),
        max_mb=upload_limit() // (1024 * 1024),
        allowed_types=ops.ALLOWED_NAMES,
    ), status


@bp.get("/innovations/<int:innovation_id>/documents")
@innovation_view(Action.VIEW_DOCUMENTS)
def documents(innovation):
    form = (
        _form(innovation, formdata=None)
        if policy.can(current_user, Action.MANAGE_DOCUMENTS, innovation)
        else None
    )
    return _render(innovation, form)


@bp.post("/innovations/<int:innovation_id>/documents")
@innovation_view(Action.MANAGE_DOCUMENTS)
@accepts_upload
def upload(innovation):
    form = _form(innovation)
    status = 422
    if form.validate():
        milestone = None
        if form.milestone_id.data:
            milestone = queries.milestone_of(innovation.id, form.milestone_id.data)
        upload = form.file.data
        try:
            ops.attach_document(
                innovation,
                current_user,
                stream=upload.stream,
                filename=upload.filename,
                folder=upload_folder(),
                max_bytes=upload_limit(),
                kind=form.kind.data,
                title=form.title.data or "",
                milestone=milestone,
                is_public=bool(form.is_public.data) if form.is_public is not None else False,
            )
        except DomainError as error:
            status = show_domain_error(form, error, default="file")
        else:
            db.session.commit()
            flash(_("The document has been attached."), "success")
            return redirect(url_for("innovations.documents", innovation_id=innovation.id))
    return _render(innovation, form, status)


@bp.post("/innovations/<int:innovation_id>/documents/<int:document_id>/delete")
@innovation_view(Action.MANAGE_DOCUMENTS)
def delete_document(innovation, document_id: int):
    document, _innovation = load_document(document_id, Action.MANAGE_DOCUMENTS)
    if document.innovation_id != innovation.id:
        abort(404)
    ops.delete_document(document, innovation, current_user, upload_folder())
    db.session.commit()
    flash(_("The document has been deleted; the history keeps a record of it."), "success")
    return redirect(url_for("innovations.documents", innovation_id=innovation.id))


@bp.post("/innovations/<int:innovation_id>/documents/<int:document_id>/public")
@innovation_view(Action.PUBLISH)
def document_public(innovation, document_id: int):
    document, _innovation = load_document(document_id, Action.PUBLISH)
    if document.innovation_id != innovation.id:
        abort(404)
    make_public = request.form.get("public") == "1"
    ops.set_public(document, innovation, current_user, make_public)
    db.session.commit()
    if make_public:
        flash(_("The document is public in the catalogue."), "success")
    else:
        flash(_("The document is no longer public."), "success")
    return redirect(url_for("innovations.documents", innovation_id=innovation.id))


@bp.get("/documents/<int:document_id>")
def download(document_id: int):
    """The only way to a stored file: the same policy as the page (anonymous readers
    only for a public document of a published innovation)."""
    document, innovation = load_document(document_id)
    path = ops.stored_path(document, upload_folder())
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=document.content_type,
        as_attachment=document.content_type not in ops.INLINE_TYPES,
        download_name=document.filename,
        max_age=0,
        conditional=True,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    public = document.is_public and innovation.is_public
    response.headers["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


download.through_door = True  # load_document is the door for documents

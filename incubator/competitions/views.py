"""Competition pages: templates (coordinators), the programme's choice and entries table,
an innovation's entries, and the entry editor (autosave per section, checklist)."""

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from jinja2_fragments.flask import render_block
from wtforms import SelectChoice

from ..auth import policy
from ..auth.door import (
    entry_view,
    innovation_view,
    personal_view,
    programme_view,
)
from ..auth.policy import Action
from ..extensions import db
from ..form_errors import show_domain_error
from ..labels import DOCUMENT_KIND_LABELS
from ..models import CompetitionSection, CompetitionTemplate, Document, EntrySection, Programme
from ..numbers import parse_id
from ..pipeline import DomainError
from ..pipeline import competitions as ops
from ..pipeline import documents as document_ops
from ..pipeline.readiness import (
    add_months,
    days_to_close,
    is_closed,
    readiness_for_entries,
    readiness_of,
)
from ..pipeline.words import count_words
from ..pipeline.zones import programme_today
from ..translating import gettext as _
from ..uploads import accepts_upload, upload_folder, upload_limit
from . import queries
from .forms import (
    DetailsForm,
    EntryUploadForm,
    LinkDocumentForm,
    OpenEntryForm,
    ProgrammeCompetitionsForm,
    SectionTextForm,
    TemplateForm,
)

bp = Blueprint("competitions", __name__)


def _english() -> bool:
    return str(get_locale() or "id").startswith("en")


@bp.app_template_global()
def section_title(section: CompetitionSection) -> str:
    """The section's title in the reader's language (Indonesian unless reading English)."""
    return (section.title_en or section.title_id) if _english() else section.title_id


@bp.app_template_global()
def section_question(section: CompetitionSection) -> str:
    return (section.question_en or section.question_id) if _english() else section.question_id


@bp.app_template_global()
def can_manage_templates(programme=None) -> bool:
    return policy.can(current_user, Action.MANAGE_COMPETITIONS)


# Templates ------------------------------------------------------------------------------


@bp.get("/competitions")
@personal_view(Action.MANAGE_COMPETITIONS)
def index():
    return render_template("competitions/index.html", templates=queries.all_templates())


def _template_form(template: CompetitionTemplate | None) -> TemplateForm:
    if request.method == "POST":
        return TemplateForm()
    if template is None:
        form = TemplateForm(year=datetime.now(UTC).year, min_implementation_months=0)
        form.sections.append_entry()
        return form
    form = TemplateForm(
        obj=template,
        required_kinds=[r.kind for r in template.required_documents],
    )
    while len(form.sections):
        form.sections.pop_entry()
    for section in template.sections:
        form.sections.append_entry(
            {
                "id": str(section.id),
                "title_id": section.title_id,
                "title_en": section.title_en,
                "question_id": section.question_id,
                "question_en": section.question_en,
                "word_limit": section.word_limit,
                "weight": section.weight,
                "expects_documents": section.expects_documents,
                "prefill": section.prefill or "",
            }
        )
    form.sections.append_entry()  # a blank row to add a section
    return form


def _section_inputs(form: TemplateForm) -> list[ops.SectionInput]:
    rows = []
    for sub in form.sections:
        data = sub.form
        if data.remove.data:
            continue
        blank = not (data.title_id.data or "").strip() and not data.id.data
        if blank and not (data.question_id.data or "").strip() and data.weight.data in (None, 0):
            continue  # the empty row offered for a new section
        rows.append(
            ops.SectionInput(
                id=parse_id(data.id.data),
                title_id=data.title_id.data or "",
                title_en=data.title_en.data or "",
                question_id=data.question_id.data or "",
                question_en=data.question_en.data or "",
                word_limit=data.word_limit.data,
                weight=data.weight.data or 0,
                expects_documents=bool(data.expects_documents.data),
                prefill=data.prefill.data or None,
            )
        )
    return rows


def _edit_template(template: CompetitionTemplate | None):
    form = _template_form(template)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            try:
                saved = ops.save_template(
                    template,
                    current_user,
                    name=form.name.data,
                    year=form.year.data,
                    closing_date=form.closing_date.data,
                    description=form.description.data or "",
                    min_implementation_months=form.min_implementation_months.data,
                    requires_video=form.requires_video.data,
                    required_kinds=list(form.required_kinds.data or []),
                    sections=_section_inputs(form),
                )
            except DomainError as error:
                status = show_domain_error(form, error, default="sections")
            else:
                db.session.commit()
                flash(_("The competition has been saved."), "success")
                return redirect(url_for("competitions.edit_template", competition_id=saved.id))
    weights = sum((sub.form.weight.data or 0) for sub in form.sections if not sub.form.remove.data)
    return render_template(
        "competitions/template_form.html",
        form=form,
        template=template,
        weight_total=weights,
        section_errors=[e for e in form.sections.errors if isinstance(e, str)],
    ), status


@bp.route("/competitions/new", methods=["GET", "POST"])
@personal_view(Action.MANAGE_COMPETITIONS)
def new_template():
    return _edit_template(None)


@bp.route("/competitions/<int:competition_id>/edit", methods=["GET", "POST"])
@personal_view(Action.MANAGE_COMPETITIONS)
def edit_template(competition_id: int):
    template = queries.template(competition_id)
    if template is None:
        abort(404)
    return _edit_template(template)


@bp.post("/competitions/<int:competition_id>/copy")
@personal_view(Action.MANAGE_COMPETITIONS)
def copy_template(competition_id: int):
    """Next year's round starts from this one: same sections and requirements, a year on."""
    source = queries.template(competition_id)
    if source is None:
        abort(404)
    year = source.year + 1
    name = source.name.replace(str(source.year), str(year))
    if name == source.name:
        name = f"{source.name} – {year}"
    copy = ops.copy_template(
        source,
        current_user,
        name=name[: ops.NAME_MAX],
        year=year,
        closing_date=add_months(source.closing_date, 12),
    )
    db.session.commit()
    flash(
        _("A copy for %(year)d has been made: check its dates and wording.", year=year), "success"
    )
    return redirect(url_for("competitions.edit_template", competition_id=copy.id))


# The programme: its choice of competitions, and its entries with their readiness ---------


@bp.get("/programmes/<slug>/competitions")
@programme_view(Action.VIEW_ENTRIES)
def programme_entries(programme: Programme):
    return _programme_page(programme, _choice_form(programme))


def _choice_form(programme: Programme, formdata=None) -> ProgrammeCompetitionsForm | None:
    if not policy.can(current_user, Action.MANAGE_PROGRAMME, programme):
        return None
    if formdata is None:
        form = ProgrammeCompetitionsForm(
            formdata=None, competitions=sorted(queries.programme_template_ids(programme.id))
        )
    else:
        form = ProgrammeCompetitionsForm()
    form.competitions.choices = [
        SelectChoice(t.id, f"{t.name} ({t.year})") for t in queries.all_templates()
    ]
    return form


def _programme_page(programme: Programme, form, status: int = 200):
    entries = queries.programme_entries(programme.id)
    readiness = readiness_for_entries(entries, programme.timezone)
    today = programme_today(programme)
    return render_template(
        "competitions/programme.html",
        programme=programme,
        form=form,
        chosen=queries.programme_templates(programme.id),
        entries=entries,
        readiness=readiness,
        days_left={e.id: days_to_close(e.template, today) for e in entries},
        today=today,
    ), status


@bp.post("/programmes/<slug>/competitions")
@programme_view(Action.MANAGE_PROGRAMME)
def choose_competitions(programme: Programme):
    form = _choice_form(programme, formdata=request.form)
    if not form.validate():
        return _programme_page(programme, form, 422)
    ops.set_programme_competitions(programme, list(form.competitions.data or []), current_user)
    db.session.commit()
    flash(_("The programme's competitions have been saved."), "success")
    return redirect(url_for("competitions.programme_entries", slug=programme.slug))


# An innovation's entries ------------------------------------------------------------------


def _innovation_page(innovation, form: OpenEntryForm | None, status: int = 200):
    programme = db.session.get(Programme, innovation.programme_id)
    entries = queries.innovation_entries(innovation.id)
    entered = {e.template_id for e in entries}
    offered = [
        t
        for t in queries.programme_templates(programme.id)
        if t.id not in entered and not is_closed(t, programme.timezone)
    ]
    if form is not None:
        form.competition_id.data = form.competition_id.data or (offered[0].id if offered else None)
    return render_template(
        "competitions/innovation.html",
        innovation=innovation,
        programme=programme,
        entries=entries,
        readiness=readiness_for_entries(entries, programme.timezone),
        offered=offered,
        form=form if offered or (form is not None and form.errors) else None,
    ), status


@bp.get("/innovations/<int:innovation_id>/competitions")
@innovation_view(Action.VIEW_ENTRY)
def innovation_entries(innovation):
    can_open = policy.can(current_user, Action.EDIT_ENTRY, innovation)
    return _innovation_page(innovation, OpenEntryForm(formdata=None) if can_open else None)


@bp.post("/innovations/<int:innovation_id>/competitions")
@innovation_view(Action.EDIT_ENTRY)
def open_entry(innovation):
    form = OpenEntryForm()
    if not form.validate():
        return _innovation_page(innovation, form, 422)
    programme = db.session.get(Programme, innovation.programme_id)
    template = db.session.get(CompetitionTemplate, form.competition_id.data)
    if template is None:
        form.competition_id.errors = [_("Choose a competition.")]
        return _innovation_page(innovation, form, 422)
    try:
        entry = ops.open_entry(innovation, template, programme, current_user)
    except DomainError as error:
        status = show_domain_error(form, error, default="competition_id")
        return _innovation_page(innovation, form, status)
    db.session.commit()
    return redirect(url_for("competitions.entry", entry_id=entry.id))


# The entry ---------------------------------------------------------------------------------


def _entry_context(entry, innovation, **extra):
    programme = db.session.get(Programme, innovation.programme_id)
    template = queries.template(entry.template_id)
    documents = queries.documents(innovation.id)
    by_id = {d.id: d for d in documents}
    sections = queries.entry_sections(entry, by_id)
    can_edit = policy.can(current_user, Action.EDIT_ENTRY, innovation)
    closed = is_closed(template, programme.timezone)
    details = extra.pop("details_form", None) or DetailsForm(formdata=None, obj=entry)
    details.implementation_document_id.choices = [SelectChoice(0, _("No document"))] + [
        SelectChoice(d.id, d.title) for d in documents
    ]
    if details.implementation_document_id.data is None:
        details.implementation_document_id.data = 0
    upload = extra.pop("upload_form", None) or EntryUploadForm(formdata=None)
    return {
        "entry": entry,
        "innovation": innovation,
        "programme": programme,
        "template": template,
        "sections": sections,
        "documents": documents,
        "document_by_id": by_id,
        "readiness": readiness_of(entry, programme.timezone),
        "can_edit": can_edit and not closed,
        "closed": closed,
        "closed_message": ops.closed_message(template) if closed else None,
        "days_left": days_to_close(template, programme_today(programme)),
        "details_form": details,
        "upload_form": upload,
        "link_form": LinkDocumentForm(formdata=None),
        "word_counts": {s.row.id: count_words(s.row.text) for s in sections},
        **extra,
    }


@bp.get("/entries/<int:entry_id>")
@entry_view(Action.VIEW_ENTRY)
def entry(entry, innovation):
    return render_template("competitions/entry.html", **_entry_context(entry, innovation))


def _row(entry, section_id: int) -> EntrySection:
    row = db.session.scalar(
        db.select(EntrySection).where(
            EntrySection.entry_id == entry.id, EntrySection.section_id == section_id
        )
    )
    if row is None:
        abort(404)
    return row


@bp.post("/entries/<int:entry_id>/sections/<int:section_id>")
@entry_view(Action.EDIT_ENTRY)
def save_section(entry, innovation, section_id: int):
    """Autosave (htmx) or a plain submit: the status line, and the checklist out of band."""
    row = _row(entry, section_id)
    programme = db.session.get(Programme, innovation.programme_id)
    form = SectionTextForm()
    status, message = 200, None
    if not form.validate():
        status = 422
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        try:
            ops.save_section(row, form.text.data or "", form.version.data, current_user, programme)
        except DomainError as error:
            db.session.rollback()
            status, message = error.status_code, str(error.message)
        else:
            db.session.commit()
    if not request.headers.get("HX-Request"):
        if status == 200:
            flash(_("Saved."), "success")
            return redirect(
                url_for("competitions.entry", entry_id=entry.id) + f"#section-{section_id}"
            )
        flash(message, "danger")
        return render_template(
            "competitions/entry.html", **_entry_context(entry, innovation)
        ), status
    db.session.expire_all()
    row = _row(entry, section_id)
    return render_block(
        "competitions/entry.html",
        "section_status",
        **_entry_context(
            entry, innovation, row=row, status_message=message, status_code=status, oob=True
        ),
    ), status


@bp.post("/entries/<int:entry_id>/details")
@entry_view(Action.EDIT_ENTRY)
def save_details(entry, innovation):
    programme = db.session.get(Programme, innovation.programme_id)
    form = DetailsForm()
    form.implementation_document_id.choices = [SelectChoice(0, _("No document"))] + [
        SelectChoice(d.id, d.title) for d in queries.documents(innovation.id)
    ]
    status = 422
    if form.validate():
        try:
            ops.save_details(
                entry,
                programme,
                current_user,
                video_url=form.video_url.data or "",
                implementation_started_on=form.implementation_started_on.data,
                implementation_document_id=form.implementation_document_id.data or None,
            )
        except DomainError as error:
            status = show_domain_error(form, error, default="video_url")
        else:
            db.session.commit()
            flash(_("The entry's details have been saved."), "success")
            return redirect(url_for("competitions.entry", entry_id=entry.id) + "#details")
    return render_template(
        "competitions/entry.html", **_entry_context(entry, innovation, details_form=form)
    ), status


@bp.post("/entries/<int:entry_id>/sections/<int:section_id>/documents")
@entry_view(Action.EDIT_ENTRY)
def link_document(entry, innovation, section_id: int):
    row = _row(entry, section_id)
    programme = db.session.get(Programme, innovation.programme_id)
    form = LinkDocumentForm()
    document_id = form.document_id.data if form.validate() else None
    document = db.session.get(Document, document_id) if document_id else None
    if document is None or document.innovation_id != innovation.id:
        flash(_("Choose one of this innovation's documents."), "danger")
        return redirect(url_for("competitions.entry", entry_id=entry.id) + f"#section-{section_id}")
    return _change_evidence(
        lambda: ops.link_document(row, document, programme),
        _("The document supports this section now."),
        entry,
        section_id,
    )


@bp.post("/entries/<int:entry_id>/sections/<int:section_id>/documents/<int:document_id>/remove")
@entry_view(Action.EDIT_ENTRY)
def unlink_document(entry, innovation, section_id: int, document_id: int):
    row = _row(entry, section_id)
    programme = db.session.get(Programme, innovation.programme_id)
    return _change_evidence(
        lambda: ops.unlink_document(row, document_id, programme),
        _("The document no longer supports this section."),
        entry,
        section_id,
    )


def _change_evidence(operation, done: str, entry, section_id: int):
    """Run one evidence operation, commit it or flash why not, back to the section."""
    try:
        operation()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("competitions.entry", entry_id=entry.id) + f"#section-{section_id}")


@bp.post("/entries/<int:entry_id>/documents")
@entry_view(Action.EDIT_ENTRY)
@accepts_upload
def upload(entry, innovation):
    """Attach a document (the team decree, evidence) to the innovation from the entry page."""
    check_manage = policy.can(current_user, Action.MANAGE_DOCUMENTS, innovation)
    if not check_manage:
        abort(403)
    form = EntryUploadForm()
    status = 422
    if form.validate():
        try:
            document_ops.attach_document(
                innovation,
                current_user,
                stream=form.file.data.stream,
                filename=form.file.data.filename,
                folder=upload_folder(),
                max_bytes=upload_limit(),
                kind=form.kind.data,
            )
        except DomainError as error:
            status = show_domain_error(form, error, default="file")
        else:
            db.session.commit()
            label = DOCUMENT_KIND_LABELS.get(form.kind.data, "")
            flash(_("The document has been attached: %(kind)s.", kind=label), "success")
            return redirect(url_for("competitions.entry", entry_id=entry.id) + "#checklist")
    return render_template(
        "competitions/entry.html", **_entry_context(entry, innovation, upload_form=form)
    ), status


from . import export_views, review_views  # noqa: E402,F401  (their routes, on this blueprint)

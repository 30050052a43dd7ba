"""Documents: upload and download through the policy, types by content, size limits."""

import re

from sqlalchemy import select

from incubator.extensions import db
from incubator.models import ActivityEntry, Document, ProgressUpdate, utcnow
from tests import factories
from tests.integration.catalogue.conftest import (
    EXE,
    PDF,
    PNG,
    download,
    multipart,
    office_zip,
    stored_files,
    upload,
)


def _document(innovation_id):
    db.session.expire_all()
    return db.session.scalars(select(Document).where(Document.innovation_id == innovation_id)).all()


def test_the_team_attaches_a_pdf_and_reads_it_back(world, as_, client, uploads):
    as_(world.innovator)
    response = upload(
        client, world.innovation.id, PDF, "../../SK Bupati 2024.pdf", kind="regulation"
    )
    assert response.status_code == 302
    [document] = _document(world.innovation.id)
    assert document.filename == "SK_Bupati_2024.pdf"  # sanitised, no path
    assert document.content_type == "application/pdf" and document.kind == "regulation"
    assert stored_files(uploads) == [document.stored_name]
    assert not str(uploads).startswith("static")

    page = client.get(f"/innovations/{world.innovation.id}/documents").get_data(as_text=True)
    assert "SK Bupati 2024" in page and "Regulation or decree" in page

    response = download(client, document.id)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "SK_Bupati_2024.pdf" in response.headers["Content-Disposition"]
    assert response.headers["Content-Type"] == "application/pdf"


def test_a_private_document_is_404_to_everyone_outside_the_innovation(
    world, as_, client, uploads, app
):
    as_(world.innovator)
    upload(client, world.innovation.id, PDF, "report.pdf")
    [document] = _document(world.innovation.id)
    for outsider in (world.other_innovator, world.other_mentor, world.foreign_coordinator):
        as_(outsider)
        assert download(client, document.id).status_code == 404, outsider.email
    client.post("/logout")
    assert download(client, document.id).status_code == 404
    for insider in (world.coordinator, world.mentor, world.innovator):
        as_(insider)
        assert download(client, document.id).status_code == 200, insider.email
    # Only the people of the innovation may attach.
    as_(world.other_innovator)
    assert upload(client, world.innovation.id, PDF, "x.pdf").status_code == 403
    as_(world.foreign_coordinator)
    assert upload(client, world.innovation.id, PDF, "x.pdf").status_code == 404
    assert len(stored_files(uploads)) == 1


def test_anonymous_readers_get_only_public_documents_of_published_innovations(
    world, as_, client, uploads
):
    as_(world.coordinator)
    upload(client, world.innovation.id, PDF, "perbup.pdf", kind="regulation", is_public="y")
    upload(client, world.innovation.id, PDF, "internal.pdf")
    public, private = sorted(_document(world.innovation.id), key=lambda d: d.filename)[::-1]
    assert public.is_public and not private.is_public
    client.post("/logout")
    assert download(client, public.id).status_code == 404  # not published yet

    innovation = db.session.get(type(world.innovation), world.innovation.id)
    innovation.published_at = innovation.consent_at = utcnow()
    db.session.commit()
    response = download(client, public.id)
    assert response.status_code == 200 and response.data == PDF
    assert download(client, private.id).status_code == 404


def test_a_pdf_name_with_an_executables_bytes_is_refused(world, as_, client, uploads):
    as_(world.innovator)
    response = upload(client, world.innovation.id, EXE, "laporan.pdf")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This type of file is not allowed" in html and "PDF" in html and "PowerPoint" in html
    assert _document(world.innovation.id) == [] and stored_files(uploads) == []


def test_office_documents_are_checked_inside_their_zip(world, as_, client, uploads):
    as_(world.innovator)
    assert (
        upload(client, world.innovation.id, office_zip("word/document.xml"), "sop.docx").status_code
        == 302
    )
    assert (
        upload(client, world.innovation.id, office_zip("xl/workbook.xml"), "data.xlsx").status_code
        == 302
    )
    # A plain zip (no [Content_Types].xml) named .docx is not a Word document.
    bare = office_zip("word/document.xml", content_types=False)
    assert upload(client, world.innovation.id, bare, "fake.docx").status_code == 422
    assert upload(client, world.innovation.id, PNG, "photo.png", kind="photo").status_code == 302
    types = sorted(d.filename for d in _document(world.innovation.id))
    assert types == ["data.xlsx", "photo.png", "sop.docx"]
    assert len(stored_files(uploads)) == 3


def test_a_file_over_the_limit_is_413_and_nothing_is_written(world, as_, client, uploads, app):
    app.config["MAX_UPLOAD_MB"] = 1
    as_(world.innovator)
    # Over the file limit but within the request's room for the form: the pipeline stops it.
    response = upload(client, world.innovation.id, PDF + b"0" * (1024 * 1024 + 10), "big.pdf")
    assert response.status_code == 413
    # Far over: the request itself is refused before the body is read.
    response = upload(client, world.innovation.id, PDF + b"0" * (3 << 20), "huge.pdf")
    assert response.status_code == 413
    assert _document(world.innovation.id) == [] and stored_files(uploads) == []


def test_uploads_may_be_larger_than_the_general_limit_but_no_other_route(
    world, as_, client, uploads
):
    as_(world.innovator)
    big = PDF + b"0" * (3 * 1024 * 1024)  # over the general 2 MB, under MAX_UPLOAD_MB (20)
    assert upload(client, world.innovation.id, big, "big.pdf").status_code == 302
    response = client.post(
        f"/innovations/{world.innovation.id}/edit",
        data=multipart({"title": "x", "summary": "y" * (3 << 20)}, None),
        content_type="multipart/form-data; boundary=b",
    )
    assert response.status_code == 413


def test_deleting_keeps_a_record_in_the_history(world, as_, client, uploads):
    as_(world.innovator)
    upload(client, world.innovation.id, PDF, "draft.pdf", title="Draft SOP")
    [document] = _document(world.innovation.id)
    document_id = document.id
    response = client.post(f"/innovations/{world.innovation.id}/documents/{document_id}/delete")
    assert response.status_code == 302
    assert _document(world.innovation.id) == [] and stored_files(uploads) == []
    verbs = db.session.scalars(
        select(ActivityEntry.verb).where(ActivityEntry.innovation_id == world.innovation.id)
    ).all()
    assert "document_deleted" in verbs
    history = client.get(f"/innovations/{world.innovation.id}?tab=history").get_data(as_text=True)
    assert "deleted the document “Draft SOP”" in history
    assert download(client, document_id).status_code == 404


def test_only_coordinators_mark_documents_public(world, as_, client, uploads):
    as_(world.innovator)
    upload(client, world.innovation.id, PDF, "sk.pdf", is_public="y")
    [document] = _document(world.innovation.id)
    assert not document.is_public  # the innovator's form has no such field; ignored
    url = f"/innovations/{world.innovation.id}/documents/{document.id}/public"
    assert client.post(url, data={"public": "1"}).status_code == 403
    as_(world.coordinator)
    assert client.post(url, data={"public": "1"}).status_code == 302
    assert _document(world.innovation.id)[0].is_public


def test_an_empty_upload_is_a_form_error(world, as_, client, uploads):
    as_(world.innovator)
    response = upload(client, world.innovation.id, b"", "")
    assert response.status_code == 422
    assert "Choose a file to upload." in response.get_data(as_text=True)
    response = upload(client, world.innovation.id, PDF, "a.pdf", kind="bogus")
    assert response.status_code == 422
    assert stored_files(uploads) == []


def test_progress_evidence_can_be_a_file(world, as_, client, uploads):
    milestone = factories.make_milestone(world.innovation, title="Uji coba")
    db.session.commit()
    as_(world.innovator)
    prefix = f"m{milestone.id}"
    url = f"/innovations/{world.innovation.id}/milestones/{milestone.id}/progress"
    body = multipart(
        {f"{prefix}-progress": "40", f"{prefix}-note": "Pilot done"},
        (PDF, "hasil uji coba.pdf"),
        field=f"{prefix}-evidence_file",
    )
    response = client.post(url, data=body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 302
    [document] = _document(world.innovation.id)
    assert document.milestone_id == milestone.id and document.kind == "report"
    update = db.session.scalars(select(ProgressUpdate)).one()
    assert update.document_id == document.id and update.to_progress == 40
    page = client.get(f"/innovations/{world.innovation.id}/milestones/{milestone.id}")
    assert f'href="/documents/{document.id}"' in page.get_data(as_text=True)
    # A forbidden file: the update is refused and nothing is kept.
    body = multipart({f"{prefix}-progress": "60"}, (EXE, "x.pdf"), field=f"{prefix}-evidence_file")
    response = client.post(url, data=body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 422
    assert "This type of file is not allowed" in response.get_data(as_text=True)
    assert len(_document(world.innovation.id)) == 1 and len(stored_files(uploads)) == 1


def test_the_csrf_check_reads_a_large_upload_within_the_upload_limit(
    world, as_, client, uploads, app
):
    """The CSRF check reads the body before the view: the upload limit must hold there."""
    as_(world.innovator)
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/innovations/{world.innovation.id}/documents").get_data(as_text=True)
    [token] = re.findall(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    big = PDF + b"0" * (3 << 20)
    assert upload(client, world.innovation.id, big, "big.pdf", csrf_token=token).status_code == 302
    assert upload(client, world.innovation.id, PDF, "x.pdf").status_code == 400  # no token

"""Documents: store, check, publish and delete files attached to an innovation.

The bytes go to the upload folder under a random name; the type is read from the
content (magic bytes, and the parts inside an Office zip), never from the name.
"""

import os
import secrets
import zipfile
from pathlib import Path

import filetype
from werkzeug.utils import secure_filename

from ..extensions import db
from ..models import Document, DocumentKind, Innovation, Milestone, User
from ..translating import lazy_gettext as _l
from . import DomainError, activity
from .rules import clean_title

CHUNK = 64 * 1024

# content type -> extension it is stored with
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
ALLOWED_NAMES = (
    "PDF, JPEG, PNG, GIF, WebP, Word (DOCX, DOC, ODT), Excel (XLSX, XLS, ODS),"
    " PowerPoint (PPTX, PPT, ODP)"
)
# The part an Office Open XML package must hold for each type.
OOXML_PARTS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# Images are shown inline; everything else is downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"})


class TooLarge(DomainError):
    status_code = 413


class ForbiddenType(DomainError):
    status_code = 422


def detect_type(path: Path) -> str | None:
    """The file's content type from its bytes, or None when it is not on the allow-list."""
    kind = filetype.guess(str(path))
    mime = kind.mime if kind else None
    if mime in OOXML_PARTS.values() or mime == "application/zip":
        return _ooxml_type(path)
    return mime if mime in ALLOWED_TYPES else None


def _ooxml_type(path: Path) -> str | None:
    """docx/xlsx/pptx are zips: they need [Content_Types].xml and their main folder."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, mime in OOXML_PARTS.items():
        if any(name.startswith(prefix) for name in names):
            return mime
    return None


def display_filename(name: str | None, content_type: str) -> str:
    """A safe file name to show and to send: werkzeug's secure_filename, with the
    extension the content really has."""
    stem = Path(secure_filename(name or "")).stem[:150] or "document"
    return f"{stem}.{ALLOWED_TYPES[content_type]}"


def attach_document(
    innovation: Innovation,
    actor: User,
    *,
    stream,
    filename: str | None,
    folder: Path,
    max_bytes: int,
    kind: str = DocumentKind.OTHER,
    title: str = "",
    milestone: Milestone | None = None,
    is_public: bool = False,
) -> Document:
    """Store the uploaded `stream` and record it. Over `max_bytes`: TooLarge (413);
    not an allowed type: ForbiddenType (422); either way nothing is kept."""
    if kind not in set(DocumentKind):
        raise DomainError(_l("Choose a valid kind of document."), field="kind")
    if milestone is not None and milestone.innovation_id != innovation.id:
        raise DomainError(_l("Choose one of this innovation's milestones."), field="milestone_id")
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".partial-{secrets.token_hex(16)}"
    try:
        size = _write_limited(stream, partial, max_bytes)
        if size == 0:
            raise DomainError(_l("Choose a file to upload."), field="file")
        content_type = detect_type(partial)
        if content_type is None:
            raise ForbiddenType(
                _l("This type of file is not allowed. Allowed: %(types)s.", types=ALLOWED_NAMES),
                field="file",
            )
        shown = display_filename(filename, content_type)
        title = clean_title(title or _display_title(filename) or Path(shown).stem, "title")
        stored = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[content_type]}"
        os.replace(partial, folder / stored)
    finally:
        partial.unlink(missing_ok=True)
    document = Document(
        innovation_id=innovation.id,
        milestone_id=milestone.id if milestone else None,
        kind=kind,
        title=title,
        filename=shown,
        stored_name=stored,
        content_type=content_type,
        size_bytes=size,
        is_public=bool(is_public),
        uploaded_by_id=actor.id,
    )
    db.session.add(document)
    db.session.flush()
    activity.record(
        "document_added",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        document_id=document.id,
        title=document.title,
        kind=document.kind,
        milestone_id=document.milestone_id,
    )
    return document


def _display_title(filename: str | None) -> str:
    """The uploader's own name for the file (no folders, no extension), as a title."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return Path(name).stem.strip()[:150]


def _write_limited(stream, path: Path, max_bytes: int) -> int:
    size = 0
    with path.open("wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(
                    _l("The file is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024)),
                    field="file",
                )
            out.write(chunk)
    return size


def set_public(document: Document, innovation: Innovation, actor: User, is_public: bool) -> None:
    if document.is_public == bool(is_public):
        return
    document.is_public = bool(is_public)
    activity.record(
        "document_published" if is_public else "document_unpublished",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        document_id=document.id,
        title=document.title,
    )
    db.session.flush()


def delete_document(document: Document, innovation: Innovation, actor: User, folder: Path) -> None:
    """Remove the file and its row; the history keeps who deleted what, and when."""
    activity.record(
        "document_deleted",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        title=document.title,
        filename=document.filename,
        kind=document.kind,
    )
    stored = folder / document.stored_name
    db.session.delete(document)
    db.session.flush()
    stored.unlink(missing_ok=True)


def stored_path(document: Document, folder: Path) -> Path:
    return folder / document.stored_name

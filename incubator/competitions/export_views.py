"""An entry's exports: DOCX, plain text for SINOVIK (a page to copy from, and a .txt file),
and a printable page. Whoever may read the entry may export it; the review stays out."""

import io
import re
import unicodedata

from flask import Response, render_template, send_file

from ..auth.door import entry_view
from ..auth.policy import Action
from . import export
from .views import bp


def _file_name(entry_export: export.EntryExport, extension: str) -> str:
    """An ASCII file name from the competition and the innovation, e.g.
    "kipp-2023-sistem-antrian-puskesmas-online.docx"."""
    words = f"{entry_export.template.name} {entry_export.template.year} "
    words += entry_export.innovation.title
    ascii_text = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")
    return f"{slug or 'entry'}.{extension}"


@bp.get("/entries/<int:entry_id>/export.docx")
@entry_view(Action.VIEW_ENTRY)
def export_docx(entry, innovation):
    data = export.load_export(entry)
    return send_file(
        io.BytesIO(export.as_docx(data)),
        mimetype=export.DOCX_TYPE,
        as_attachment=True,
        download_name=_file_name(data, "docx"),
    )


@bp.get("/entries/<int:entry_id>/export.txt")
@entry_view(Action.VIEW_ENTRY)
def export_text_file(entry, innovation):
    data = export.load_export(entry)
    response = Response(export.as_text(data), mimetype="text/plain")
    response.headers["Content-Disposition"] = f'attachment; filename="{_file_name(data, "txt")}"'
    return response


@bp.get("/entries/<int:entry_id>/sinovik")
@entry_view(Action.VIEW_ENTRY)
def export_text(entry, innovation):
    """Each section as plain text in a box of its own, to copy into SINOVIK's form."""
    data = export.load_export(entry)
    return render_template(
        "competitions/sinovik.html", entry=entry, innovation=innovation, export=data
    )


@bp.get("/entries/<int:entry_id>/print")
@entry_view(Action.VIEW_ENTRY)
def print_entry(entry, innovation):
    data = export.load_export(entry)
    return render_template(
        "competitions/print.html", entry=entry, innovation=innovation, export=data
    )


bp.add_app_template_global(export.words_label, "words_label")

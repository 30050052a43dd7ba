"""An entry as the team hands it in: DOCX, plain text for SINOVIK's form, a printable page.

All three are made from one `EntryExport`: per section its title, the text exactly as
written (Markdown markup turned into plain text, see plaintext.py), its word count by the
rule the editor uses, and the documents linked to it with their addresses; then the
entry's own attachments (the decree, the video link). Nothing of the review (comments,
scores, the estimate) is read here, so none of it can reach an export.
"""

import io
from dataclasses import dataclass, field

import docx
from docx.shared import Pt
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import CompetitionEntry, CompetitionTemplate, Document, EntrySection, Innovation
from ..pipeline.words import count_words
from ..reminders.links import absolute_url
from ..translating import gettext as _
from . import plaintext

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Attachment:
    title: str
    url: str


@dataclass
class SectionExport:
    title: str
    title_en: str
    text: str  # Markdown as written
    words: int
    word_limit: int | None
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def blocks(self) -> list[plaintext.Block]:
        return plaintext.blocks(self.text)

    @property
    def plain(self) -> str:
        return plaintext.plain_text(self.text)


@dataclass
class EntryExport:
    innovation: Innovation
    template: CompetitionTemplate
    sections: list[SectionExport]
    attachments: list[Attachment]
    video_url: str


def _document_url(document: Document) -> str:
    return absolute_url("innovations.download", document_id=document.id)


def load_export(entry: CompetitionEntry) -> EntryExport:
    """Everything the exports show, in a fixed number of queries."""
    innovation = db.session.get(Innovation, entry.innovation_id)
    template = db.session.get(CompetitionTemplate, entry.template_id)
    rows = db.session.scalars(
        select(EntrySection)
        .options(selectinload(EntrySection.section), selectinload(EntrySection.documents))
        .where(EntrySection.entry_id == entry.id)
    ).all()
    rows = sorted(rows, key=lambda r: (r.section.position, r.section.id))
    sections = [
        SectionExport(
            title=row.section.title_id,
            title_en=row.section.title_en,
            text=row.text or "",
            words=count_words(row.text),
            word_limit=row.section.word_limit,
            attachments=[
                Attachment(d.title, _document_url(d))
                for d in sorted(row.documents, key=lambda d: d.id)
            ],
        )
        for row in rows
    ]
    attachments: dict[int, Attachment] = {}
    for row in rows:
        for document in sorted(row.documents, key=lambda d: d.id):
            attachments[document.id] = Attachment(document.title, _document_url(document))
    entry_documents = db.session.scalars(
        select(Document).where(
            Document.innovation_id == innovation.id,
            Document.kind.in_(_required_kinds(template)),
        )
    ).all()
    if entry.implementation_document_id:
        extra = db.session.get(Document, entry.implementation_document_id)
        entry_documents = [*entry_documents, *([extra] if extra else [])]
    for document in sorted(entry_documents, key=lambda d: d.id):
        attachments.setdefault(document.id, Attachment(document.title, _document_url(document)))
    return EntryExport(
        innovation=innovation,
        template=template,
        sections=sections,
        attachments=list(attachments.values()),
        video_url=entry.video_url or "",
    )


def _required_kinds(template: CompetitionTemplate) -> list[str]:
    from ..models import CompetitionRequiredDocument

    return list(
        db.session.scalars(
            select(CompetitionRequiredDocument.kind).where(
                CompetitionRequiredDocument.template_id == template.id
            )
        )
    )


def words_label(section: SectionExport) -> str:
    if section.word_limit:
        return _("%(words)d of %(limit)d words", words=section.words, limit=section.word_limit)
    return _("%(words)d words", words=section.words)


def as_text(export: EntryExport) -> str:
    """The whole entry as plain text: each section's title, word count and text, ready to
    paste section by section into SINOVIK."""
    out = [f"{export.template.name} {export.template.year}", export.innovation.title, ""]
    for number, section in enumerate(export.sections, start=1):
        out.append(f"{number}. {section.title}")
        out.append(f"({words_label(section)})")
        out.append("")
        if section.plain:
            out.append(section.plain)
            out.append("")
        if section.attachments:
            out.append(_("Attachments:"))
            out.extend(f"- {a.title}: {a.url}" for a in section.attachments)
            out.append("")
    out.extend(_attachment_lines(export))
    return "\n".join(out).rstrip("\n") + "\n"


def _attachment_lines(export: EntryExport) -> list[str]:
    lines = []
    if export.video_url:
        lines += [_("Video:") + f" {export.video_url}", ""]
    if export.attachments:
        lines.append(_("All attachments:"))
        lines.extend(f"- {a.title}: {a.url}" for a in export.attachments)
    return lines


def as_docx(export: EntryExport) -> bytes:
    """The entry as a Word document: a heading per section, its word count, its text with
    the lists as Word lists and the line breaks kept, and its attachments with links."""
    document = docx.Document()
    document.core_properties.title = f"{export.template.name} {export.template.year}"
    document.core_properties.subject = export.innovation.title
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(export.innovation.title, level=0)
    document.add_paragraph(f"{export.template.name} {export.template.year}")
    for number, section in enumerate(export.sections, start=1):
        document.add_heading(f"{number}. {section.title}", level=1)
        count = document.add_paragraph(words_label(section))
        count.runs[0].italic = True
        for block in section.blocks:
            _add_block(document, block)
        if section.attachments:
            document.add_paragraph(_("Attachments:"))
            for attachment in section.attachments:
                document.add_paragraph(f"{attachment.title}: {attachment.url}", style="List Bullet")
    lines = _attachment_lines(export)
    if lines:
        document.add_heading(_("Attachments"), level=1)
        for line in lines:
            if line.startswith("- "):
                document.add_paragraph(line[2:], style="List Bullet")
            elif line:
                document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_block(document, block: plaintext.Block) -> None:
    if block.marker == "- ":
        style = "List Bullet" if block.depth == 0 else f"List Bullet {min(block.depth + 1, 3)}"
        paragraph = document.add_paragraph(style=style)
        text = block.text
    elif block.marker:  # a numbered item keeps the number it was written with
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Pt(18 * (block.depth + 1))
        text = block.marker + block.text
    else:
        paragraph = document.add_paragraph()
        text = block.text
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        if index < len(lines) - 1:
            run.add_break()

"""Read queries of the competitions pages: each page in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import (
    CompetitionEntry,
    CompetitionRequiredDocument,
    CompetitionSection,
    CompetitionTemplate,
    Document,
    EntrySection,
    Innovation,
    entry_section_documents,
    programme_competitions,
)


def all_templates() -> list[CompetitionTemplate]:
    return list(
        db.session.scalars(
            select(CompetitionTemplate)
            .options(selectinload(CompetitionTemplate.sections))
            .order_by(CompetitionTemplate.year.desc(), CompetitionTemplate.name)
        )
    )


def template(template_id: int) -> CompetitionTemplate | None:
    return db.session.scalar(
        select(CompetitionTemplate)
        .where(CompetitionTemplate.id == template_id)
        .options(
            selectinload(CompetitionTemplate.sections),
            selectinload(CompetitionTemplate.required_documents),
        )
    )


def required_kinds(template_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(CompetitionRequiredDocument.kind)
            .where(CompetitionRequiredDocument.template_id == template_id)
            .order_by(CompetitionRequiredDocument.kind)
        )
    )


def programme_template_ids(programme_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(programme_competitions.c.template_id).where(
                programme_competitions.c.programme_id == programme_id
            )
        )
    )


def programme_templates(programme_id: int) -> list[CompetitionTemplate]:
    return list(
        db.session.scalars(
            select(CompetitionTemplate)
            .join(
                programme_competitions,
                programme_competitions.c.template_id == CompetitionTemplate.id,
            )
            .where(programme_competitions.c.programme_id == programme_id)
            .order_by(CompetitionTemplate.closing_date, CompetitionTemplate.name)
        )
    )


def innovation_entries(innovation_id: int) -> list[CompetitionEntry]:
    return list(
        db.session.scalars(
            select(CompetitionEntry)
            .where(CompetitionEntry.innovation_id == innovation_id)
            .options(joinedload(CompetitionEntry.template))
            .order_by(CompetitionEntry.created_at)
        )
    )


def programme_entries(programme_id: int) -> list[CompetitionEntry]:
    return list(
        db.session.scalars(
            select(CompetitionEntry)
            .join(Innovation, Innovation.id == CompetitionEntry.innovation_id)
            .where(Innovation.programme_id == programme_id)
            .options(joinedload(CompetitionEntry.template), joinedload(CompetitionEntry.innovation))
            .order_by(CompetitionEntry.template_id, Innovation.title)
        )
    )


def documents(innovation_id: int) -> list[Document]:
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.innovation_id == innovation_id)
            .order_by(Document.created_at.desc(), Document.id.desc())
        )
    )


@dataclass
class SectionView:
    section: CompetitionSection
    row: EntrySection
    documents: list[Document]


def entry_sections(entry: CompetitionEntry, documents_by_id: dict[int, Document]):
    """The entry's sections in the template's order, each with its row and linked documents."""
    rows = list(
        db.session.scalars(
            select(EntrySection)
            .where(EntrySection.entry_id == entry.id)
            .options(joinedload(EntrySection.section), joinedload(EntrySection.updated_by))
        )
    )
    linked = defaultdict(list)
    for row_id, document_id in db.session.execute(
        select(entry_section_documents.c.entry_section_id, entry_section_documents.c.document_id)
        .join(EntrySection, EntrySection.id == entry_section_documents.c.entry_section_id)
        .where(EntrySection.entry_id == entry.id)
    ):
        if document_id in documents_by_id:
            linked[row_id].append(documents_by_id[document_id])
    rows.sort(key=lambda r: (r.section.position, r.section.id))
    return [SectionView(r.section, r, linked[r.id]) for r in rows]

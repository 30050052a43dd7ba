"""Demo data: the Nusa Tenggara Timur programme of the seed article.

The accounts, the programme (with its default milestone templates and WIP limit)
and the memberships are made by the same operations the command line and the
browser use. The innovations and their backdated history are written directly,
since no operation creates the past. `seed_demo()` is idempotent: every row is found
by its natural key before it is created, and innovations are only added to a
programme that has none.
"""

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from .extensions import db
from .models import (
    ActivityEntry,
    Agency,
    Category,
    Feedback,
    Innovation,
    InnovationState,
    MentorAssignment,
    Milestone,
    MilestoneTemplate,
    Programme,
    ProgressUpdate,
    Role,
    SpmSector,
    Stage,
    StageTransition,
    User,
    innovation_sdgs,
    utcnow,
)
from .pipeline.accounts import create_user
from .pipeline.agencies import participant_ids, set_participants
from .pipeline.memberships import add_member, role_in
from .pipeline.ordering import GAP
from .pipeline.programmes import ProgrammeSettings, create_programme
from .pipeline.regions import (
    ensure_reference,
    programme_region_ids,
    region_by_code,
    set_programme_regions,
    short_name,
)
from .pipeline.reminder_rules import ensure_default_rules
from .pipeline.stages import set_wip_limits
from .pipeline.zones import programme_today

DEMO_PASSWORD = "incubator-demo"  # noqa: S105 (documented demo accounts)

# Kemendagri codes: Nusa Tenggara Timur; Sumba Timur, Manggarai Barat, Sabu Raijua,
# Belu, Timor Tengah Utara (all Kabupaten).
PROVINCE_CODE = "53"
REGENCY_CODES = ["53.11", "53.15", "53.20", "53.04", "53.03"]
AGENCY_KINDS = ["Dinas Kesehatan", "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Pendidikan"]

USERS = [
    ("coordinator@example.org", "Maria Fernandez", Role.COORDINATOR),
    ("innovator@example.org", "Yohanes Ndolu", Role.INNOVATOR),
    ("mentor@example.org", "Agustina Seran", Role.MENTOR),
    ("mentor2@example.org", "Yosef Tallo", Role.MENTOR),
    ("innovator2@example.org", "Rambu Kahi", Role.INNOVATOR),
]

PROGRAMME = ProgrammeSettings(
    name="Inkubasi Inovasi NTT 2022",
    slug="ntt-2022",
    cohort_year=2022,
    description="Inkubasi inovasi pelayanan publik Provinsi Nusa Tenggara Timur dan lima "
    "kabupaten: Sumba Timur, Manggarai Barat, Sabu Raijua, Belu, Timor Tengah Utara.",
    timezone="Asia/Makassar",
)

TITLES = [
    "Sistem Antrian Puskesmas Online",
    "Posyandu Digital",
    "Layanan KTP Keliling Desa",
    "Aplikasi Lapor Jalan Rusak",
    "Sekolah Literasi Kampung",
    "Bank Sampah Kelurahan",
    "Kartu Sehat Ibu Hamil",
    "Pasar Ikan Higienis",
    "Dashboard Stunting Desa",
    "Akta Lahir Langsung di Rumah Sakit",
    "Rumah Baca Perbatasan",
    "Ambulans Desa Siaga",
    "Pelayanan Izin Usaha Satu Hari",
    "Kelas Ibu Balita Terpadu",
    "Air Bersih Berbasis Komunitas",
    "SMS Pengingat Imunisasi",
    "Tenun Ikat Go Digital",
    "Perpustakaan Keliling Motor",
    "E-Retribusi Pasar",
    "Posko Pengaduan Warga Terpadu",
    "Gerakan Sekolah Sehat",
    "Pengolahan Garam Rakyat",
    "Sistem Informasi Desa",
    "Klinik Konsultasi Pertanian",
    "Pelayanan Adminduk Malam Hari",
    "Jaga Mama Bayi Lahir Selamat",
    "Guru Kunjung Daerah Terpencil",
    "Kebun Gizi Sekolah",
    "Aplikasi Cek Stok Obat",
    "Pojok Baca Kantor Desa",
    "Tanggap Bencana Berbasis Desa",
    "Pembayaran Pajak Daerah Online",
    "Sentra Layanan Disabilitas",
]


def _get_or_create(model, defaults=None, **keys):
    row = db.session.scalar(select(model).filter_by(**keys))
    if row is None:
        row = model(**keys, **(defaults or {}))
        db.session.add(row)
        db.session.flush()
    return row


def _account(email: str, name: str, role: Role) -> User:
    """The demo account, made as `users create --role <role>` makes it."""
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = create_user(
            email=email,
            name=name,
            password=None,  # set below, past the strength rule: a documented demo password
            is_organiser=role == Role.COORDINATOR,
            # The demo's two mentors share 33 innovations.
            **({"mentor_capacity": 20} if role == Role.MENTOR else {}),
        )
        user.set_password(DEMO_PASSWORD)
    return user


def seed_demo() -> str:
    ensure_reference()
    province = region_by_code(PROVINCE_CODE)
    regencies = [region_by_code(code) for code in REGENCY_CODES]
    # Short names keep the agencies of databases seeded before the reference.
    agencies = [
        _get_or_create(Agency, name=f"{kind} {short_name(regency.name)}", region_id=regency.id)
        for regency in regencies
        for kind in AGENCY_KINDS
    ]
    users = {email: _account(email, name, role) for email, name, role in USERS}
    coordinator = users["coordinator@example.org"]
    programme = db.session.scalar(select(Programme).where(Programme.slug == PROGRAMME.slug))
    if programme is None:
        # The organiser creates it, as in the browser: they become its coordinator.
        settings = replace(PROGRAMME, region_id=province.id)
        programme = create_programme(settings, actor=coordinator)
        set_wip_limits(programme, {Stage.CREATION.value: 15}, actor=coordinator)
    # Added to what a coordinator may have ticked since, never taken away.
    set_programme_regions(
        programme,
        programme_region_ids(programme.id) | {r.id for r in regencies},
        actor=coordinator,
    )
    set_participants(
        programme, participant_ids(programme.id) | {a.id for a in agencies}, actor=coordinator
    )
    for email, _name, role in USERS:
        if role_in(users[email].id, programme.id) is None:
            add_member(programme, users[email], role, actor=coordinator)

    templates = {stage: [] for stage in Stage}
    for template in db.session.scalars(
        select(MilestoneTemplate)
        .where(MilestoneTemplate.programme_id == programme.id)
        .order_by(MilestoneTemplate.position, MilestoneTemplate.id)
    ):
        templates[Stage(template.stage)].append(template)

    ensure_default_rules(programme.id)  # reminder rules of DESIGN section 3

    existing = db.session.scalar(
        select(func.count(Innovation.id)).where(Innovation.programme_id == programme.id)
    )
    if existing:
        _seed_competitions(programme, users)
        return f"Demo data already present ({existing} innovations in {programme.name})."
    count = _seed_innovations(programme, agencies, users, templates, programme_today(programme))
    _seed_competitions(programme, users)
    return (
        f"Loaded {programme.name}: {len(regencies)} regencies, "
        f"{count} innovations, {len(users)} users."
    )


# A practice round of KIPP, open for two more months, copied from the shipped KIPP 2023
# template (migration c01) when the database has it; the demo innovator's innovation has
# an entry with a summary written and the rest still to do.
PRACTICE_KIPP = "KIPP – Kelompok Umum (latihan)"
PRACTICE_SECTIONS = [  # (title_id, title_en, word limit, weight): the 2023 aspects
    ("Ringkasan", "Summary", 200, 0),
    ("Latar Belakang dan Tujuan", "Background and objectives", None, 10),
    ("Kebaruan / Nilai Tambah", "Novelty / added value", None, 15),
    ("Implementasi", "Implementation", None, 5),
    ("Signifikansi", "Significance", None, 30),
    ("Adaptabilitas", "Adaptability", None, 20),
    ("Sumber Daya", "Resources", None, 5),
    ("Strategi Keberlanjutan", "Sustainability strategy", None, 15),
]


def _seed_competitions(programme, users) -> None:
    from .models import CompetitionEntry, CompetitionTemplate
    from .pipeline import competitions as competition_ops

    coordinator = users["coordinator@example.org"]
    innovator = users["innovator@example.org"]
    today = programme_today(programme)
    practice = db.session.scalar(
        select(CompetitionTemplate).where(CompetitionTemplate.name == PRACTICE_KIPP)
    )
    shipped = db.session.scalar(
        select(CompetitionTemplate)
        .where(CompetitionTemplate.name.like("KIPP 2023%"))
        .order_by(CompetitionTemplate.id)
    )
    if practice is None:
        closing = today + timedelta(days=60)
        if shipped is not None:
            practice = competition_ops.copy_template(
                shipped, coordinator, name=PRACTICE_KIPP, year=closing.year, closing_date=closing
            )
        else:
            practice = competition_ops.save_template(
                None,
                coordinator,
                name=PRACTICE_KIPP,
                year=closing.year,
                closing_date=closing,
                description="",
                min_implementation_months=24,
                requires_video=True,
                required_kinds=["team_decree"],
                sections=[
                    competition_ops.SectionInput(
                        id=None,
                        title_id=title_id,
                        title_en=title_en,
                        question_id="",
                        question_en="",
                        word_limit=limit,
                        weight=weight,
                        expects_documents=weight >= 15,
                        prefill="summary" if limit else None,
                    )
                    for title_id, title_en, limit, weight in PRACTICE_SECTIONS
                ],
            )
        chosen = [practice.id] + ([shipped.id] if shipped is not None else [])
        competition_ops.set_programme_competitions(programme, chosen, coordinator)
    innovation = db.session.scalar(
        select(Innovation)
        .where(Innovation.programme_id == programme.id, Innovation.owner_id == innovator.id)
        .order_by(Innovation.id)
    )
    if innovation is None:
        return
    has_entry = db.session.scalar(
        select(CompetitionEntry.id).where(
            CompetitionEntry.innovation_id == innovation.id,
            CompetitionEntry.template_id == practice.id,
        )
    )
    if has_entry is None and not competition_ops.is_closed(practice, programme.timezone):
        entry = competition_ops.open_entry(innovation, practice, programme, innovator)
        entry.video_url = "https://www.youtube.com/watch?v=contoh-antrian"
        _seed_review(entry, users)
    db.session.flush()


def _seed_review(entry, users) -> None:
    """The assigned mentor's first look at the demo entry: a score and a comment on the
    summary, which the innovator has answered."""
    from .models import EntrySection
    from .pipeline import entry_review

    db.session.flush()
    rows = db.session.scalars(
        select(EntrySection).where(EntrySection.entry_id == entry.id).order_by(EntrySection.id)
    ).all()
    mentor, innovator = users["mentor@example.org"], users["innovator@example.org"]
    if len(rows) < 2 or mentor is None:
        return
    summary, background = rows[0], rows[1]
    comment = entry_review.comment_on_section(
        summary,
        author=mentor,
        body="Ringkasan sudah jelas. Tambahkan **hasil dalam angka**: berapa lama warga "
        "menunggu sebelum dan sesudah inovasi?",
    )
    entry_review.reply_to_comment(
        comment, author=innovator, body="Baik, kami tambahkan data survei kepuasan 2025."
    )
    entry_review.score_section(summary, mentor=mentor, score=3)
    entry_review.score_section(background, mentor=mentor, score=4)


# The demo's 33 innovations by stage, and due dates that exercise reminders:
# past, today, tomorrow, next week, later.
DEMO_STAGES = [Stage.CREATION] * 14 + [Stage.DEVELOPMENT] * 12 + [Stage.INSTITUTIONALISATION] * 7
DUE_OFFSETS = [-10, -3, 0, 1, 7, 14, 30]


def _seed_innovations(programme, agencies, users, templates, today: date) -> int:
    coordinator = users["coordinator@example.org"]
    innovators = [users["innovator@example.org"], users["innovator2@example.org"]]
    mentors = [users["mentor@example.org"], users["mentor2@example.org"]]
    now = utcnow()
    per_stage_position: dict[Stage, int] = {}
    for i, title in enumerate(TITLES):
        stage = DEMO_STAGES[i]
        per_stage_position[stage] = per_stage_position.get(stage, 0) + GAP
        owner = innovators[i % 2]
        entered = now - timedelta(days=5 + (i * 7) % 60)
        agency = agencies[i % len(agencies)]
        innovation = Innovation(
            programme_id=programme.id,
            title=title,
            summary=f"{title}: inovasi pelayanan publik di {agency.name}.",
            problem="Warga harus menunggu lama dan datang berkali-kali untuk layanan yang sama.",
            category=[Category.PUBLIC_SERVICE, Category.GOVERNANCE, Category.OTHER][i % 3],
            is_digital=i % 2 == 0,
            spm_sector=list(SpmSector)[i % len(SpmSector)],
            agency_id=agency.id,
            owner_id=owner.id,
            stage=stage,
            state=InnovationState.ACTIVE,
            position=per_stage_position[stage],
            stage_entered_at=entered,
            created_at=entered - timedelta(days=30 * stage.index),
        )
        innovation.team = [owner]
        db.session.add(innovation)
        db.session.flush()
        goals = sorted({i % 17 + 1, (i * 5 + 3) % 17 + 1})
        db.session.execute(
            insert(innovation_sdgs), [{"innovation_id": innovation.id, "goal": g} for g in goals]
        )
        _seed_stage_history(innovation, coordinator, entered)
        _seed_milestones(innovation, templates, owner, today, DUE_OFFSETS, i, entered)
        _seed_mentoring(innovation, mentors[i % 2], coordinator, entered, feedback=i % 3 == 0)
        if i >= len(TITLES) - INSTITUTIONALISED:
            _seed_catalogue(innovation, coordinator, owner, i)
    db.session.flush()
    return len(TITLES)


# The last innovations finished the last stage; the demo publishes them in the public
# catalogue (coordinator published, owner agreed) with results and their regulation.
INSTITUTIONALISED = 3
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _seed_catalogue(innovation, coordinator, owner, i) -> None:
    from io import BytesIO
    from pathlib import Path

    from flask import current_app

    from .models import DocumentKind
    from .pipeline.documents import attach_document

    innovation.state = InnovationState.INSTITUTIONALISED
    innovation.results = (
        f"Waktu tunggu layanan turun dari 3 jam menjadi {30 + i} menit; "
        f"{1200 + 100 * i} warga terlayani dalam 6 bulan; keluhan turun 60%."
    )
    innovation.published_at = innovation.consent_at = utcnow()
    innovation.published_by_id = coordinator.id
    innovation.consent_by_id = owner.id
    attach_document(
        innovation,
        coordinator,
        stream=BytesIO(DEMO_PDF),
        filename=f"Perbup {innovation.title}.pdf",
        folder=Path(current_app.config["UPLOAD_FOLDER"]),
        max_bytes=current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024,
        kind=DocumentKind.REGULATION,
        title=f"Peraturan Bupati tentang {innovation.title}",
        is_public=True,
    )


def _seed_stage_history(innovation, coordinator, entered) -> None:
    """Transitions through every stage up to the current one, and their timeline entries."""
    stage = innovation.stage_enum
    history = list(Stage)[: stage.index + 1]
    for j, reached in enumerate(history):
        when = entered - timedelta(days=30 * (stage.index - j))
        db.session.add(
            StageTransition(
                innovation_id=innovation.id,
                from_stage=history[j - 1] if j else None,
                to_stage=reached,
                actor_id=coordinator.id,
                reason="" if j else "Registered",
                created_at=when,
            )
        )
        # The timeline tells the same story as the stage history.
        _activity(
            innovation,
            coordinator,
            when,
            "stage_moved" if j else "innovation_created",
            **({"from_stage": history[j - 1], "to_stage": reached, "reason": ""} if j else {}),
        )


def _seed_mentoring(innovation, mentor, coordinator, entered, *, feedback: bool) -> None:
    db.session.add(
        MentorAssignment(
            innovation_id=innovation.id,
            mentor_id=mentor.id,
            assigned_by_id=coordinator.id,
            assigned_at=entered,
        )
    )
    _activity(
        innovation,
        coordinator,
        entered,
        "mentor_assigned",
        mentor_id=mentor.id,
        mentor_name=mentor.name,
    )
    if feedback:
        db.session.add(
            Feedback(
                innovation_id=innovation.id,
                author_id=mentor.id,
                body="Bagus! Mohon lengkapi **data dasar** sebelum uji coba berikutnya.",
                created_at=utcnow() - timedelta(days=2),
            )
        )


def _activity(innovation, actor, when, verb, **details) -> None:
    db.session.add(
        ActivityEntry(
            programme_id=innovation.programme_id,
            innovation_id=innovation.id,
            actor_id=actor.id,
            verb=verb,
            details=details,
            created_at=when,
        )
    )


def _seed_milestones(innovation, templates, owner, today, due_offsets, i, entered) -> None:
    stage = innovation.stage_enum
    for earlier in list(Stage)[: stage.index]:
        for template in templates[earlier]:
            db.session.add(
                Milestone(
                    innovation_id=innovation.id,
                    stage=earlier,
                    title=template.title,
                    due_date=today - timedelta(days=40),
                    owner_id=owner.id,
                    progress=100,
                    done_at=entered,
                    required=template.required,
                    template_id=template.id,
                )
            )
    for k, template in enumerate(templates[stage]):
        done = k == 0 and i % 2 == 0
        milestone = Milestone(
            innovation_id=innovation.id,
            stage=stage,
            title=template.title,
            due_date=today + timedelta(days=due_offsets[(i + k) % len(due_offsets)]),
            owner_id=owner.id,
            progress=100 if done else (i * 13 + k * 29) % 90,
            done_at=utcnow() if done else None,
            required=template.required,
            template_id=template.id,
        )
        db.session.add(milestone)
        if milestone.progress:
            db.session.flush()
            db.session.add(
                ProgressUpdate(
                    milestone_id=milestone.id,
                    author_id=owner.id,
                    from_progress=0,
                    to_progress=milestone.progress,
                    note="Kemajuan minggu ini.",
                )
            )
            _activity(
                innovation,
                owner,
                utcnow() - timedelta(days=1),
                "progress_recorded",
                milestone_id=milestone.id,
                title=milestone.title,
                from_progress=0,
                to_progress=milestone.progress,
            )

"""A programme of N innovations with realistic content, for the page benchmarks.

    .venv/bin/python -m bench.generate --innovations 10000 [--database URL]

The database is WIPED first (a SQLite file is deleted, a PostgreSQL schema `public`
dropped and recreated), migrated to head, then filled with bulk inserts (ids chosen
here, sequences moved past them) and ANALYZEd (VACUUMed too, on PostgreSQL, with the
README's random_page_cost for SSD storage), as a database that has lived would be.

What it holds (one programme, slug `bench`):
- 6 regencies of one province, 40 agencies spread over them, all taking part;
- innovations in every stage and state (mostly active; a few proposals), each with
  an agency, an owner (and a second team member for half), 2 active mentors (and an
  ended assignment now and then), 10 milestones over the stages it reached (earlier
  stages' done, the current one's partly, due dates from two months ago to five ahead),
  the progress updates that tell them, its stage transitions, a few feedback entries
  (some on a milestone, some answered) and the activity entries of all that;
- the accounts below (password `bench-password`) and, behind them, N/3 innovators and
  N/25 mentors (at least 4).

The named accounts, for the benchmarks' sessions:
- `coordinator@bench.example.org`, coordinator of the programme;
- `innovator@bench.example.org`, owner of 4 active innovations with 40 open milestones;
- `mentor@bench.example.org`, mentor of 20 innovations.
"""

import argparse
import os
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from .data import _bulk

SLUG = "bench"
PASSWORD = "bench-password"  # noqa: S105 (benchmark accounts on a scratch database)
COORDINATOR = "coordinator@bench.example.org"
INNOVATOR = "innovator@bench.example.org"
MENTOR = "mentor@bench.example.org"
MILESTONES_PER_INNOVATION = 10
INNOVATOR_INNOVATIONS = 4  # x 10 open milestones = 40 open milestones on My innovations
MENTOR_MENTEES = 20
REGIONS = ["Sumba Timur", "Manggarai Barat", "Sabu Raijua", "Belu", "Alor", "Kota Kupang"]
AGENCY_KINDS = [
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Sosial",
    "Badan Perencanaan Pembangunan Daerah",
    "Dinas Pertanian",
    "RSUD",
]
STAGES = ("creation", "development", "institutionalisation")
# The first innovations after the innovator's, so that even a small N has them all.
COVER = [
    ("institutionalisation", "active"),
    ("creation", "on_hold"),
    ("development", "dropped"),
    ("institutionalisation", "institutionalised"),
    ("development", "active"),
]
# Milestones per stage when an innovation has reached it (10 in all at the last stage).
STAGE_MILESTONES = {"creation": 4, "development": 3, "institutionalisation": 3}
TITLE_WORDS = (
    ["Sistem", "Layanan", "Aplikasi", "Gerakan", "Program", "Klinik", "Pojok", "Rumah"],
    [
        "Antrian Online",
        "Posyandu Digital",
        "Jemput Bola Akta Kelahiran",
        "Sekolah Lapang Petani",
        "Ambulans Desa",
        "Data Terpadu Kemiskinan",
        "Pengaduan Warga",
        "Gizi Balita",
        "Perpustakaan Keliling",
        "Tanam Air Hujan",
        "Rujukan Ibu Hamil",
        "Pasar Tani",
    ],
)
MILESTONE_TITLES = [
    "Kajian kebutuhan",
    "Rancangan layanan",
    "Uji coba terbatas",
    "Pelatihan petugas",
    "Evaluasi uji coba",
    "Perluasan ke kecamatan",
    "Peraturan bupati",
    "Anggaran tahun depan",
    "Laporan dampak",
    "Replikasi ke daerah lain",
]
NOTES = [
    "",
    "Rapat dengan kepala dinas; disepakati jadwal uji coba.",
    "Data awal dari 3 puskesmas sudah masuk.",
    "Menunggu tanda tangan kepala daerah.",
    "Petugas dilatih, 12 orang hadir.",
]
FEEDBACK = [
    "Bagus. Tambahkan **angka** sebelum dan sesudah: berapa lama warga menunggu?",
    "Siapa yang menanggung biaya setelah uji coba? Sebut sumber anggarannya.",
    "Coba libatkan kecamatan lain untuk perluasan.\n\n- jadwal\n- petugas\n- anggaran",
    "Laporan uji coba sudah saya baca; kesimpulannya kuat.",
]


@dataclass
class Generated:
    innovations: int
    milestones: int
    users: int
    progress_updates: int
    transitions: int
    feedback: int
    activity: int
    seconds: float = 0.0


def database_url(given: str | None, innovations: int) -> str:
    from config import normalise_database_url

    if given:
        return normalise_database_url(given)
    path = Path(__file__).resolve().parent.parent / "instance" / f"bench-{innovations}.db"
    return f"sqlite:///{path}"


def wipe(url: str) -> None:
    """Delete the SQLite file (and its WAL) or empty PostgreSQL's public schema."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def build(url: str, innovations: int, *, seed: int = 14) -> Generated:
    """Wipe, migrate and fill the database at `url`; returns what was written."""
    from flask_migrate import upgrade

    from incubator import create_app
    from incubator.extensions import db

    wipe(url)
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SCHEDULER_IN_PROCESS": False}
    )
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        generated = fill(innovations, seed=seed)
        db.session.commit()
        settle(db.engine)
        db.session.remove()
        db.engine.dispose()
    generated.seconds = time.perf_counter() - started
    return generated


def settle(engine) -> None:
    """Planner statistics and the visibility map, as autovacuum would leave them; on
    PostgreSQL also the README's setting for SSD storage (random_page_cost = 1.1: the
    default 4 assumes spinning disks, and with it PostgreSQL read whole tables to join a
    page's 150 cards)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("VACUUM ANALYZE"))
            name = conn.execute(sa.text("SELECT current_database()")).scalar()
            conn.execute(sa.text(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1'))
        else:
            conn.execute(sa.text("ANALYZE"))


def _stage_and_state(rng: random.Random) -> tuple[str, str]:
    stage = rng.choices(STAGES, weights=(45, 35, 20))[0]
    roll = rng.random()
    if stage == "institutionalisation" and roll < 0.25:
        return stage, "institutionalised"
    if roll < 0.84:
        return stage, "active"
    return stage, ("on_hold" if roll < 0.93 else "dropped")


def fill(n: int, *, seed: int = 14) -> Generated:  # noqa: PLR0915 (one straight script)
    """Write the data set (in the app context, not committed)."""
    from incubator.extensions import db
    from incubator.models import (
        ActivityEntry,
        Agency,
        Feedback,
        Innovation,
        MentorAssignment,
        Milestone,
        Programme,
        ProgressUpdate,
        Region,
        StageTransition,
        User,
        innovation_members,
        programme_agencies,
        programme_members,
        programme_regions,
        utcnow,
    )

    rng = random.Random(seed)
    now = utcnow()
    today = date.today()
    cheap = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")

    # Places: a province, 6 regencies, 40 agencies.
    regions = [{"id": 1, "name": "Nusa Tenggara Timur", "kind": "province", "parent_id": None}]
    regions += [
        {"id": 2 + k, "name": name, "kind": "regency", "parent_id": 1}
        for k, name in enumerate(REGIONS)
    ]
    for row in regions:
        row["code"] = "99" if row["id"] == 1 else f"99.{row['id']:02d}"
    _bulk(Region.__table__, regions)
    agencies = [
        {
            "id": a + 1,
            "name": f"{AGENCY_KINDS[a // 6 % len(AGENCY_KINDS)]} {REGIONS[a % 6]}",
            "region_id": 2 + a % 6,
        }
        for a in range(40)
    ]
    _bulk(Agency.__table__, agencies)
    _bulk(
        Programme.__table__,
        [
            {
                "id": 1,
                "slug": SLUG,
                "name": "Bench: Inovasi Daerah NTT",
                "cohort_year": today.year,
                "description": "",
                "region_id": 1,
                "timezone": "Asia/Makassar",
                "wip_limits": {"creation": 60},
                "archived": False,
                "stall_days": 30,
                "created_at": now - timedelta(days=400),
            }
        ],
    )
    _bulk(programme_regions, [{"programme_id": 1, "region_id": r["id"]} for r in regions[1:]])
    _bulk(programme_agencies, [{"programme_id": 1, "agency_id": a["id"]} for a in agencies])

    # People: the three named accounts, then innovators and mentors.
    innovator_count = max(1, n // 3)
    mentor_count = max(4, n // 25)
    people = [
        (COORDINATOR, "Koordinator Bench", "coordinator"),
        (INNOVATOR, "Inovator Bench", "innovator"),
        (MENTOR, "Mentor Bench", "mentor"),
    ]
    first_names = ["Maria", "Yohanes", "Agustina", "Petrus", "Fransiska", "Ruth", "Daniel"]
    last_names = ["Ndolu", "Tefa", "Bria", "Seran", "Lado", "Hurek", "Manu", "Kause"]
    people += [
        (
            f"innovator{i}@bench.example.org",
            f"{rng.choice(first_names)} {rng.choice(last_names)}",
            "innovator",
        )
        for i in range(innovator_count)
    ]
    people += [
        (
            f"mentor{i}@bench.example.org",
            f"{rng.choice(first_names)} {rng.choice(last_names)}",
            "mentor",
        )
        for i in range(mentor_count)
    ]
    named = generate_password_hash(PASSWORD)  # the app's own method, for the logins
    _bulk(
        User.__table__,
        [
            {
                "id": k + 1,
                "email": email,
                "name": name,
                "password_hash": named if k < 3 else cheap,
                "is_organiser": role == "coordinator",
                "locale": None,
                "timezone": None,
                "active": True,
                "mentor_capacity": 50,
                "session_token": f"bench{k}",
                "created_at": now - timedelta(days=400),
            }
            for k, (email, name, role) in enumerate(people)
        ],
    )
    coordinator_id, innovator_id, mentor_id = 1, 2, 3
    innovators = [4 + i for i in range(innovator_count)]
    mentors = [4 + innovator_count + i for i in range(mentor_count)]
    _bulk(
        programme_members,
        [
            {
                "programme_id": 1,
                "user_id": k + 1,
                "role": role,
                "created_at": now - timedelta(days=400),
                "joined_at": now - timedelta(days=400),
                "agency_id": None,
            }
            for k, (_email, _name, role) in enumerate(people)
        ],
    )

    # Innovations.
    rows, members, assignments = [], [], []
    positions = {}
    for i in range(1, n + 1):
        stage, state = _stage_and_state(rng)
        owner = innovators[(i - 1) % innovator_count]
        if i <= INNOVATOR_INNOVATIONS:  # the named innovator's: active, early, all open
            stage, state, owner = STAGES[(i - 1) % 2], "active", innovator_id
        elif i - INNOVATOR_INNOVATIONS <= len(COVER):  # every stage and state, whatever N
            stage, state = COVER[i - INNOVATOR_INNOVATIONS - 1]
        proposal = stage == "creation" and state == "active" and rng.random() < 0.03
        if i <= INNOVATOR_INNOVATIONS + MENTOR_MENTEES:
            proposal = False
        key = (stage, state)
        positions[key] = positions.get(key, 0) + 1
        created = now - timedelta(days=rng.randint(30, 400))
        title = f"{rng.choice(TITLE_WORDS[0])} {rng.choice(TITLE_WORDS[1])} {i}"
        rows.append(
            {
                "id": i,
                "programme_id": 1,
                "title": title,
                "summary": f"{title} memudahkan warga {REGIONS[i % 6]} mendapat layanan.",
                "problem": "Warga menempuh jarak jauh dan menunggu lama untuk layanan dasar.",
                "results": "",
                "category": rng.choice(["public_service", "public_service", "governance"]),
                "is_digital": rng.random() < 0.5,
                "spm_sector": rng.choice([None, "health", "education"]),
                "links": [],
                "agency_id": 1 + (i * 7) % 40,
                "owner_id": owner,
                "stage": stage,
                "state": state,
                "is_proposal": proposal,
                "position": positions[key] * 1024,
                "stage_entered_at": created + timedelta(days=STAGES.index(stage) * 25),
                "created_at": created,
                "updated_at": created,
                "version": 1,
            }
        )
        members.append({"innovation_id": i, "user_id": owner})
        if i % 2 == 0 and innovator_count > 1:
            second = innovators[i % innovator_count]
            if second != owner:
                members.append({"innovation_id": i, "user_id": second})
        if INNOVATOR_INNOVATIONS < i <= INNOVATOR_INNOVATIONS + MENTOR_MENTEES:
            pair = [mentor_id, mentors[i % mentor_count]]
        else:
            first = (i * 3) % mentor_count
            pair = [mentors[first], mentors[(first + 1) % mentor_count]]
        for m in pair:
            assignments.append(
                {
                    "innovation_id": i,
                    "mentor_id": m,
                    "assigned_at": created,
                    "assigned_by_id": coordinator_id,
                    "unassigned_at": None,
                }
            )
        if i % 9 == 0:  # a mentor who left
            assignments.append(
                {
                    "innovation_id": i,
                    "mentor_id": mentors[(i + 2) % mentor_count],
                    "assigned_at": created,
                    "assigned_by_id": coordinator_id,
                    "unassigned_at": created + timedelta(days=20),
                }
            )
    _bulk(Innovation.__table__, rows)
    _bulk(innovation_members, members)
    _bulk(MentorAssignment.__table__, [{"id": k + 1, **a} for k, a in enumerate(assignments)])

    # The first mentor of each innovation writes its feedback.
    first_mentor = {}
    for a in assignments:
        first_mentor.setdefault(a["innovation_id"], a["mentor_id"])

    # Stage transitions, milestones, progress updates, feedback, activity.
    transitions, milestones, updates, feedback, activity = [], [], [], [], []

    def act(verb, actor, innovation, at, **details):
        activity.append(
            {
                "id": len(activity) + 1,
                "programme_id": 1,
                "innovation_id": innovation,
                "actor_id": actor,
                "verb": verb,
                "details": details,
                "created_at": at,
            }
        )

    for row in rows:
        i, stage, created = row["id"], row["stage"], row["created_at"]
        reached = STAGES[: STAGES.index(stage) + 1]
        act("innovation_created", coordinator_id, i, created, title=row["title"])
        previous = None
        for k, s in enumerate(reached):
            at = created + timedelta(days=25 * k)
            transitions.append(
                {
                    "id": len(transitions) + 1,
                    "innovation_id": i,
                    "from_stage": previous,
                    "to_stage": s,
                    "actor_id": coordinator_id,
                    "reason": "",
                    "gate_overridden": False,
                    "created_at": at,
                }
            )
            if previous:
                act(
                    "stage_moved",
                    coordinator_id,
                    i,
                    at,
                    from_stage=previous,
                    to_stage=s,
                    reason="",
                    gate_overridden=False,
                )
            previous = s
        # 10 milestones over the reached stages; the last stage reached gets the rest.
        counts = [STAGE_MILESTONES[s] for s in reached]
        counts[-1] += MILESTONES_PER_INNOVATION - sum(counts)
        open_all = row["owner_id"] == innovator_id
        for s, count in zip(reached, counts, strict=True):
            current = s == stage
            for k in range(count):
                mid = len(milestones) + 1
                if open_all:
                    progress = rng.choice([0, 10, 30, 50, 80])
                elif not current:
                    progress = 100
                else:
                    progress = rng.choice([0, 0, 20, 40, 60, 80, 100, 100])
                due = today + timedelta(
                    days=rng.randint(-60, 150) if current else -rng.randint(30, 200)
                )
                if current and k == 0 and rng.random() < 0.2:
                    due = today + timedelta(days=rng.choice([0, 1, 7]))
                done_at = (
                    datetime.combine(min(due, today), datetime.min.time()) - timedelta(days=1)
                    if progress == 100
                    else None
                )
                milestones.append(
                    {
                        "id": mid,
                        "innovation_id": i,
                        "stage": s,
                        "title": MILESTONE_TITLES[(len(milestones)) % 10],
                        "description": "Langkah ini diminta panduan program.",
                        "due_date": None if rng.random() < 0.03 and not open_all else due,
                        "owner_id": row["owner_id"],
                        "progress": progress,
                        "done_at": done_at and done_at.replace(tzinfo=now.tzinfo),
                        "required": k < count - 1,
                        "template_id": None,
                        "created_at": created,
                        "updated_at": created,
                    }
                )
                before, at = 0, created
                steps = [] if progress == 0 else sorted({rng.randint(5, progress), progress})
                for value in steps:
                    at = at + timedelta(days=rng.randint(2, 20))
                    updates.append(
                        {
                            "id": len(updates) + 1,
                            "milestone_id": mid,
                            "author_id": row["owner_id"],
                            "from_progress": before,
                            "to_progress": value,
                            "note": rng.choice(NOTES),
                            "evidence_url": None,
                            "document_id": None,
                            "created_at": at,
                        }
                    )
                    act(
                        "progress_recorded",
                        row["owner_id"],
                        i,
                        at,
                        milestone_id=mid,
                        title=milestones[-1]["title"],
                        from_progress=before,
                        to_progress=value,
                    )
                    before = value
        for k in range(rng.choice([0, 1, 2, 2, 3, 4])):
            fid = len(feedback) + 1
            author = first_mentor[i]
            at = created + timedelta(days=5 + 9 * k)
            on_milestone = milestones[-1 - k]["id"] if k % 2 else None
            feedback.append(
                {
                    "id": fid,
                    "innovation_id": i,
                    "milestone_id": on_milestone,
                    "parent_id": None,
                    "author_id": author,
                    "body": FEEDBACK[k % len(FEEDBACK)],
                    "created_at": at,
                    "edited_at": None,
                    "hidden_at": None,
                    "hidden_by_id": None,
                }
            )
            act(
                "feedback_given",
                author,
                i,
                at,
                feedback_id=fid,
                milestone_id=on_milestone,
                milestone_title=None,
            )
            if k == 1:
                feedback.append(
                    {
                        "id": fid + 1,
                        "innovation_id": i,
                        "milestone_id": on_milestone,
                        "parent_id": fid,
                        "author_id": row["owner_id"],
                        "body": "Terima kasih, akan kami lengkapi.",
                        "created_at": at + timedelta(days=1),
                        "edited_at": None,
                        "hidden_at": None,
                        "hidden_by_id": None,
                    }
                )
    _bulk(StageTransition.__table__, transitions)
    _bulk(Milestone.__table__, milestones)
    _bulk(ProgressUpdate.__table__, updates)
    _bulk(Feedback.__table__, feedback)
    _bulk(ActivityEntry.__table__, activity)
    db.session.flush()
    if db.engine.dialect.name == "postgresql":
        _move_sequences(db.session)
    return Generated(
        innovations=n,
        milestones=len(milestones),
        users=len(people),
        progress_updates=len(updates),
        transitions=len(transitions),
        feedback=len(feedback),
        activity=len(activity),
    )


def _move_sequences(session) -> None:
    """Ids were chosen here: move each serial sequence past them (PostgreSQL)."""
    rows = session.execute(
        sa.text(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND column_default LIKE 'nextval%'"
        )
    ).all()
    for table, column in rows:
        session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "  # noqa: S608
                f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
            )
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--innovations", type=int, required=True)
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="SQLAlchemy URL, WIPED first (default: instance/bench-N.db)",
    )
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    os.environ.setdefault("INCUBATOR_ENV", "development")  # a scratch database, no secrets
    url = database_url(args.database, args.innovations)
    g = build(url, args.innovations, seed=args.seed)
    print(
        f"{url.split('@')[-1]}: {g.innovations:,} innovations, {g.milestones:,} milestones, "
        f"{g.users:,} users, {g.progress_updates:,} progress updates, "
        f"{g.transitions:,} stage transitions, {g.feedback:,} feedback entries, "
        f"{g.activity:,} activity entries in {g.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()

"""A small programme whose dashboard figures are worked out by hand (see `known`).

Today is 2026-06-30 (Asia/Makassar); T-n below means n days before NOW.

    I1 Antrian  Dinkes Belu   health   active   creation T-100, development T-60,
                                                back to creation T-40, development T-10
    I2 Sekolah  Disdik Belu   education on hold creation T-90, development T-50
    I3 Bansos   Dinsos Sumba  social   active   creation T-80, development T-70,
                                                institutionalisation T-40 (progress T-3)
    I4 Dropped  Dinsos Sumba  social   dropped  creation T-30
    I5 Stalled  Dinkes Belu   health   active   creation T-45, nothing since

Agencies taking part: Dinkes Belu, Disdik Belu, Dinsos Sumba, PUPR Sumba (no card).
Mentors: `mentor` on I1 and I3 (and a foreign card; capacity 2), `other_mentor` on
I2 and I5.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from incubator.extensions import db
from incubator.models import (
    Feedback,
    Innovation,
    InnovationState,
    ProgressUpdate,
    Region,
    Stage,
    StageTransition,
    innovation_sdgs,
)
from tests import factories

NOW = datetime(2026, 6, 30, 2, 0, tzinfo=UTC)  # 10:00 in Makassar
TODAY = date(2026, 6, 30)


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


@dataclass
class Known:
    world: object
    belu: Region
    sumba: Region
    agencies: dict
    cards: dict  # "I1".."I5" -> Innovation
    milestones: dict


def _history(innovation: Innovation, moves: list[tuple[str | None, str, int]]) -> None:
    for from_stage, to_stage, days in moves:
        db.session.add(
            StageTransition(
                innovation_id=innovation.id,
                from_stage=from_stage,
                to_stage=to_stage,
                created_at=ago(days),
            )
        )


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def known(world, frozen) -> Known:
    w = world
    belu = Region(name="Belu", kind="regency")
    sumba = Region(name="Sumba Timur", kind="regency")
    db.session.add_all([belu, sumba])
    db.session.flush()
    make = factories.make_agency
    agencies = {
        "dinkes": make(belu.id, "Dinas Kesehatan Belu", programme=w.programme),
        "disdik": make(belu.id, "Dinas Pendidikan Belu", programme=w.programme),
        "dinsos": make(sumba.id, "Dinas Sosial Sumba Timur", programme=w.programme),
        "pupr": make(sumba.id, "Dinas PUPR Sumba Timur", programme=w.programme),
    }
    i1, i2 = w.innovation, w.other_innovation
    for card, title, agency, sector, stage, entered in (
        (i1, "Antrian", "dinkes", "health", Stage.DEVELOPMENT, 10),
        (i2, "Sekolah", "disdik", "education", Stage.DEVELOPMENT, 50),
    ):
        card.title = title
        card.agency_id = agencies[agency].id
        card.spm_sector = sector
        card.stage = stage
        card.stage_entered_at = ago(entered)
    i2.state = InnovationState.ON_HOLD
    i3 = factories.make_innovation(
        w.programme,
        owner=w.innovator,
        title="Bansos",
        agency_id=agencies["dinsos"].id,
        spm_sector="social_affairs",
        stage=Stage.INSTITUTIONALISATION,
        stage_entered_at=ago(40),
    )
    i4 = factories.make_innovation(
        w.programme,
        title="Dropped",
        agency_id=agencies["dinsos"].id,
        spm_sector="social_affairs",
        state=InnovationState.DROPPED,
        stage_entered_at=ago(30),
    )
    i5 = factories.make_innovation(
        w.programme,
        owner=w.other_innovator,
        title="Stalled",
        agency_id=agencies["dinkes"].id,
        spm_sector="health",
        stage_entered_at=ago(45),
    )
    C, D, INST = Stage.CREATION, Stage.DEVELOPMENT, Stage.INSTITUTIONALISATION
    _history(i1, [(None, C, 100), (C, D, 60), (D, C, 40), (C, D, 10)])
    _history(i2, [(None, C, 90), (C, D, 50)])
    _history(i3, [(None, C, 80), (C, D, 70), (D, INST, 40)])
    _history(i4, [(None, C, 30)])
    _history(i5, [(None, C, 45)])
    db.session.execute(
        innovation_sdgs.insert(),
        [
            {"innovation_id": i1.id, "goal": 3},
            {"innovation_id": i1.id, "goal": 16},
            {"innovation_id": i3.id, "goal": 1},
        ],
    )
    m = factories.make_milestone
    milestones = {
        "M1": m(i1, title="Uji coba", due_date=date(2026, 6, 20), owner_id=w.innovator.id),
        "M2": m(
            i1,
            title="Rancangan",
            due_date=date(2026, 6, 29),
            progress=100,
            done_at=ago(2),
            owner_id=w.innovator.id,
        ),
        "M3": m(i3, title="Perbup", due_date=date(2026, 6, 1)),
        "M4": m(i3, title="Anggaran", due_date=date(2026, 6, 30), progress=40),
        "M5": m(i5, title="Masalah", due_date=date(2026, 5, 1)),
        "M6": m(i2, title="Survei", due_date=date(2026, 5, 1)),
    }
    db.session.add(
        ProgressUpdate(
            milestone_id=milestones["M4"].id,
            author_id=w.innovator.id,
            from_progress=0,
            to_progress=40,
            created_at=ago(3),
        )
    )
    factories.assign_mentor(i3, w.mentor, by=w.coordinator)
    factories.assign_mentor(i5, w.other_mentor, by=w.coordinator)
    factories.add_member(w.foreign_programme, w.mentor, "mentor")
    factories.assign_mentor(w.foreign_innovation, w.mentor)
    w.mentor.mentor_capacity = 2
    answered = Feedback(innovation_id=i1.id, author_id=w.mentor.id, body="Bagus", created_at=ago(5))
    db.session.add(answered)
    db.session.flush()
    db.session.add_all(
        [
            Feedback(
                innovation_id=i1.id,
                parent_id=answered.id,
                author_id=w.innovator.id,
                body="Terima kasih",
                created_at=ago(4),
            ),
            Feedback(
                innovation_id=i3.id, author_id=w.mentor.id, body="Perlu data", created_at=ago(6)
            ),
            Feedback(
                innovation_id=i2.id, author_id=w.other_mentor.id, body="Lanjut?", created_at=ago(7)
            ),
        ]
    )
    db.session.commit()
    return Known(
        world=w,
        belu=belu,
        sumba=sumba,
        agencies=agencies,
        cards={"I1": i1, "I2": i2, "I3": i3, "I4": i4, "I5": i5},
        milestones=milestones,
    )

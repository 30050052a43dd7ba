"""A synthetic national programme for the benchmarks, written with bulk inserts.

`milestones` milestones over innovations of 5 milestones each; people spread over
the three Indonesian time zones; due dates from three months ago to six months
ahead (a third already done), so every reminder kind has work to do.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert
from werkzeug.security import generate_password_hash

from incubator.extensions import db
from incubator.models import (
    Innovation,
    MentorAssignment,
    Milestone,
    Programme,
    Region,
    User,
    innovation_members,
    programme_members,
    utcnow,
)

ZONES = [None, "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
PER_INNOVATION = 5
CHUNK = 5_000


@dataclass
class Generated:
    programmes: int
    users: int
    innovations: int
    milestones: int


def _bulk(table, rows) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start : start + CHUNK])


def generate(
    milestones: int = 100_000,
    *,
    programmes: int = 10,
    all_due_in: int | None = None,
    mentors: bool = True,
    teammates: bool = True,
    seed: int = 2017,
) -> Generated:
    """Write the data set and commit. `all_due_in=1`: every milestone due tomorrow, open."""
    rng = random.Random(seed)
    today = date.today()
    now = utcnow()
    long_ago = now - timedelta(days=60)
    password = generate_password_hash("bench-not-a-password", method="pbkdf2:sha256:1")
    innovations = max(1, milestones // PER_INNOVATION)

    region = Region(name=f"Bench region {seed}", kind="province")
    db.session.add(region)
    db.session.flush()
    programme_rows = [
        {
            "slug": f"bench-{i}",
            "name": f"Bench programme {i}",
            "region_id": region.id,
            "timezone": "Asia/Makassar",
            "wip_limits": {},
            "archived": False,
            "created_at": now,
        }
        for i in range(programmes)
    ]
    _bulk(Programme.__table__, programme_rows)
    programme_ids = list(db.session.scalars(db.select(Programme.id).order_by(Programme.id)))

    innovator_count = max(1, innovations // 6)
    mentor_count = max(1, innovations // 100) if mentors else 0
    people = (
        [("innovator", i) for i in range(innovator_count)]
        + [("mentor", i) for i in range(mentor_count)]
        + ([("coordinator", i) for i in range(2 * programmes)] if mentors else [])
    )
    _bulk(
        User.__table__,
        [
            {
                "email": f"{role}{i}@bench.example.org",
                "name": f"{role.title()} {i}",
                "password_hash": password,
                "timezone": rng.choice(ZONES),
                "active": True,
                "mentor_capacity": 50,
                "session_token": f"{role}{i}",
                "created_at": now,
            }
            for role, i in people
        ],
    )
    ids = dict(db.session.execute(db.select(User.email, User.id)).all())
    innovators = [ids[f"innovator{i}@bench.example.org"] for i in range(innovator_count)]
    mentor_ids = [ids[f"mentor{i}@bench.example.org"] for i in range(mentor_count)]
    coordinators = [
        ids[f"{role}{i}@bench.example.org"] for role, i in people if role == "coordinator"
    ]

    _bulk(
        programme_members,
        [
            {"programme_id": p, "user_id": u, "role": role, "created_at": now, "joined_at": now}
            for p in programme_ids
            for role, group in (
                ("innovator", innovators),
                ("mentor", mentor_ids),
                ("coordinator", coordinators),
            )
            for u in group
        ],
    )
    _bulk(
        Innovation.__table__,
        [
            {
                "programme_id": programme_ids[i % programmes],
                "title": f"Innovation {i}",
                "summary": "",
                "problem": "",
                "category": "public_service",
                "is_digital": False,
                "links": [],
                "owner_id": innovators[i % innovator_count],
                "stage": "creation",
                "state": "active",
                "is_proposal": False,
                "position": 1024 * i,
                "stage_entered_at": long_ago,
                "created_at": long_ago,
                "updated_at": long_ago,
                "version": 1,
            }
            for i in range(innovations)
        ],
    )
    innovation_ids = list(db.session.scalars(db.select(Innovation.id).order_by(Innovation.id)))
    owners = dict(db.session.execute(db.select(Innovation.id, Innovation.owner_id)).all())
    members = [{"innovation_id": i, "user_id": owners[i]} for i in innovation_ids]
    members += [
        {"innovation_id": i, "user_id": innovators[(n + 1) % innovator_count]}
        for n, i in enumerate(innovation_ids)
        if teammates and n % 2 == 0 and innovator_count > 1
    ]
    _bulk(innovation_members, members)
    if mentor_ids:
        _bulk(
            MentorAssignment.__table__,
            [
                {
                    "innovation_id": i,
                    "mentor_id": mentor_ids[n % mentor_count],
                    "assigned_at": long_ago,
                }
                for n, i in enumerate(innovation_ids)
            ],
        )
    rows = []
    for n in range(milestones):
        innovation = innovation_ids[n % innovations]
        if all_due_in is not None:
            due, done = today + timedelta(days=all_due_in), False
        else:
            due, done = today + timedelta(days=rng.randint(-90, 180)), rng.random() < 0.33
        rows.append(
            {
                "innovation_id": innovation,
                "stage": "creation",
                "title": f"Milestone {n}",
                "description": "",
                "due_date": due,
                "owner_id": owners[innovation],
                "progress": 100 if done else rng.randint(0, 90),
                "done_at": now if done else None,
                "required": True,
                "created_at": long_ago,
                "updated_at": long_ago,
            }
        )
    _bulk(Milestone.__table__, rows)
    db.session.commit()
    return Generated(programmes, len(people), innovations, milestones)

"""First paint of the board with 100, 150 and 10,000 cards (issue 3: about the same).

    .venv/bin/python -m bench.board_first_paint [DATABASE_URL]

Builds a throwaway database (a temporary SQLite file unless a URL is given; a
PostgreSQL URL is wiped), loads cards with milestones and mentors, and times
GET /programmes/<slug>/board and one column page, as a coordinator, through
the Flask test client. Prints the median of several runs and the SQL count.
The machine may be shared: read the minimum, the median shows the noise.
"""

import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from config import normalise_database_url
from incubator import create_app
from incubator.extensions import db
from incubator.models import (
    Agency,
    Innovation,
    MentorAssignment,
    Milestone,
    Programme,
    Region,
    Role,
    Stage,
    User,
    programme_members,
    utcnow,
)

RUNS = 9
PASSWORD = "bench-password"


def build(url: str, cards: int):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        from flask_migrate import upgrade

        upgrade()
        regions = [Region(name=f"Regency {n}", kind="regency") for n in range(5)]
        db.session.add_all(regions)
        db.session.flush()
        agencies = [Agency(name=f"Agency {n}", region_id=regions[n % 5].id) for n in range(15)]
        programme = Programme(slug="bench", name="Bench")
        db.session.add_all([*agencies, programme])
        hashed = generate_password_hash(PASSWORD, method="scrypt")
        coordinator = User(email="c@example.org", name="C", is_organiser=True)
        mentors = [User(email=f"m{n}@example.org", name=f"Mentor {n}") for n in range(20)]
        for user in (coordinator, *mentors):
            user.password_hash = hashed
        db.session.add_all([coordinator, *mentors])
        db.session.flush()
        db.session.execute(
            programme_members.insert(),
            [
                {
                    "programme_id": programme.id,
                    "user_id": u.id,
                    "role": role,
                    "created_at": utcnow(),
                }
                for u, role in [
                    (coordinator, Role.COORDINATOR),
                    *((m, Role.MENTOR) for m in mentors),
                ]
            ],
        )
        stages = list(Stage)
        rows = [
            {
                "programme_id": programme.id,
                "title": f"Innovation {n}",
                "agency_id": agencies[n % 15].id,
                "stage": stages[n % 3],
                "state": "active",
                "position": (n + 1) * 1024,
                "version": 1,
            }
            for n in range(cards)
        ]
        db.session.execute(sa.insert(Innovation), rows)
        ids = db.session.scalars(sa.select(Innovation.id)).all()
        db.session.execute(
            sa.insert(MentorAssignment),
            [{"innovation_id": i, "mentor_id": mentors[i % 20].id} for i in ids],
        )
        today = date.today()
        db.session.execute(
            sa.insert(Milestone),
            [
                {
                    "innovation_id": i,
                    "stage": stages[(i - 1) % 3],
                    "title": f"M{k}",
                    "due_date": today + timedelta(days=10 * k - 15),
                    "required": True,
                    "progress": 0,
                }
                for i in ids
                for k in range(3)
            ],
        )
        db.session.commit()
        with db.engine.begin() as conn:  # planner statistics, as autovacuum would gather
            conn.execute(sa.text("ANALYZE"))
    return app


def measure(app, path: str) -> tuple[float, float, int]:
    client = app.test_client()
    client.post("/login", data={"email": "c@example.org", "password": PASSWORD})
    timings, statements = [], []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
    for _ in range(RUNS):
        statements.clear()
        start = time.perf_counter()
        response = client.get(path, headers={"HX-Request": "true"} if "/cards" in path else {})
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return min(timings) * 1000, statistics.median(timings) * 1000, len(statements)


def main() -> None:
    given = sys.argv[1] if len(sys.argv) > 1 else None
    paths = ["/programmes/bench/board", "/programmes/bench/board/creation/cards?cursor=5120_5"]
    for cards in (100, 150, 10_000):
        with tempfile.TemporaryDirectory() as tmp:
            url = normalise_database_url(given) if given else f"sqlite:///{Path(tmp) / 'b.db'}"
            app = build(url, cards)
            for path in paths:
                best, median, queries = measure(app, path)
                kind = url.split(":")[0].split("+")[0]
                print(
                    f"{kind:<10} {cards:>6} cards  {path:<52} "
                    f"min {best:6.1f} ms  median {median:6.1f} ms  {queries} queries"
                )
            with app.app_context():
                db.engine.dispose()


if __name__ == "__main__":
    main()

"""The daily mix under load: coordinators read the board and move cards, innovators read
their work and record progress, all at once, against a served app (bench.serving).

Every write carries a unique token (the move's reason, the progress note), so the
database can be compared with what the answers said, write by write:
accepted (2xx) must be there, refused (4xx) must not, interrupted (no answer: the
worker died) may be either.
"""

import http.client
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from bench.serving import Client

SLUG = "ntt-2022"
PASSWORD = "incubator-demo"
COORDINATOR = "coordinator@example.org"
INNOVATORS = ("innovator@example.org", "innovator2@example.org")
DROPPED = (OSError, http.client.HTTPException)
FORWARD = {"creation": "development", "development": "creation"}


@dataclass
class Targets:
    cards: dict  # innovation id -> (stage, version) before the run
    milestones: dict  # innovator email -> [(innovation id, milestone id)]


def find_targets(engine: sa.Engine, cards: int = 8, milestones: int = 4) -> Targets:
    with engine.connect() as conn:
        users = dict(conn.execute(sa.text("SELECT email, id FROM users")).all())
        rows = conn.execute(
            sa.text(
                "SELECT i.id, i.stage, i.version FROM innovations i "
                "JOIN programmes p ON p.id = i.programme_id WHERE p.slug = :slug "
                "AND i.state = 'active' AND i.stage IN ('creation', 'development') "
                "AND NOT i.is_proposal ORDER BY i.id"
            ),
            {"slug": SLUG},
        ).all()
        mine = {}
        for email in INNOVATORS:
            mine[email] = [
                (r.innovation_id, r.id)
                for r in conn.execute(
                    sa.text(
                        "SELECT m.id, m.innovation_id FROM milestones m "
                        "JOIN innovations i ON i.id = m.innovation_id "
                        "WHERE i.owner_id = :owner AND i.state = 'active' ORDER BY m.id"
                    ),
                    {"owner": users[email]},
                ).all()[:milestones]
            ]
    # Cards the innovators' progress updates do not touch: their versions tell the moves.
    busy = {i for pairs in mine.values() for i, _ in pairs}
    movable = [r for r in rows if r.id not in busy][:cards]
    assert len(movable) == cards and all(mine.values()), (movable, mine)
    return Targets({r.id: (r.stage, r.version) for r in movable}, mine)


@dataclass
class Outcome:
    kind: str  # read, move, progress
    status: int | None  # None: no answer (connection dropped)
    token: str = ""
    target: int = 0
    value: object = None
    at: float = 0.0


@dataclass
class Tally:
    outcomes: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)

    def where(self, kind: str | None = None, ok: bool | None = None, answered=True):
        found = [o for o in self.outcomes if kind is None or o.kind == kind]
        if not answered:
            return [o for o in found if o.status is None]
        found = [o for o in found if o.status is not None]
        if ok is not None:
            found = [o for o in found if (200 <= o.status < 300) == ok]
        return found

    def figures(self) -> dict:
        statuses = Counter(o.status for o in self.outcomes)
        return {
            "requests": len(self.outcomes),
            "accepted_writes": len(self.where("move", True)) + len(self.where("progress", True)),
            "refused_writes": len(self.where("move", False)) + len(self.where("progress", False)),
            "reads": len(self.where("read")),
            "interrupted": statuses[None],
            "5xx": sum(n for s, n in statuses.items() if s and s >= 500),
            "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        }


def _call(tally, kind, fn, token="", target=0, value=None):
    try:
        status = fn().status
    except DROPPED:  # the worker died under the request: the outcome is unknown
        status = None
    tally.add(Outcome(kind, status, token, target, value, time.monotonic()))
    return status


def coordinator(client: Client, targets: Targets, tally: Tally, name: str, until: float):
    rng = random.Random(name)
    cards = list(targets.cards)
    n = 0
    while time.monotonic() < until:
        n += 1
        if rng.random() < 0.4:
            _call(tally, "read", lambda: client.get(f"/programmes/{SLUG}/board"))
            continue
        card = rng.choice(cards)
        try:
            form = client.get(f"/programmes/{SLUG}/cards/{card}/move")
        except DROPPED:
            continue
        version = _hidden(form.text, "version")
        stage = _hidden(form.text, "from_stage")
        if form.status != 200 or version is None or stage not in FORWARD:
            tally.add(Outcome("read", form.status, at=time.monotonic()))
            continue
        token = f"{name}-{n}"
        data = {"stage": FORWARD[stage], "version": version, "reason": token, "from_stage": stage}
        _call(
            tally,
            "move",
            lambda data=data, card=card: client.post(
                f"/programmes/{SLUG}/cards/{card}/move", data, **{"HX-Request": "true"}
            ),
            token,
            card,
            (stage, FORWARD[stage]),
        )


def innovator(client: Client, mine: list, tally: Tally, name: str, until: float):
    rng = random.Random(name)
    n = 0
    while time.monotonic() < until:
        n += 1
        if rng.random() < 0.4:
            _call(tally, "read", lambda: client.get("/my/innovations"))
            continue
        innovation_id, milestone_id = rng.choice(mine)
        token = f"{name}-{n}"
        value = rng.randrange(0, 100)
        data = {
            f"m{milestone_id}-progress": value,
            f"m{milestone_id}-note": token,
            "mode": "page",
        }
        _call(
            tally,
            "progress",
            lambda data=data, i=innovation_id, m=milestone_id: client.post(
                f"/innovations/{i}/milestones/{m}/progress", data, **{"HX-Request": "true"}
            ),
            token,
            milestone_id,
            value,
        )


TOKEN = re.compile(r"^c\d+-\d+$")


def is_token(text: str | None) -> bool:
    return bool(text) and bool(TOKEN.match(text))


def _hidden(html: str, name: str) -> str | None:
    found = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    return found.group(1) if found else None


def run(server_url: str, targets: Targets, *, clients: int, seconds: float, during=None):
    """`clients` browsers (a quarter coordinators) for `seconds`; `during(tally)` runs in
    the meantime (a fault). Returns the tally."""
    tally = Tally()
    browsers = []
    for i in range(clients):
        client = Client(server_url)
        if i % 4 == 0:
            client.log_in(COORDINATOR, PASSWORD)
            browsers.append(("coordinator", client, None))
        else:
            email = INNOVATORS[i % 2]
            client.log_in(email, PASSWORD)
            browsers.append(("innovator", client, targets.milestones[email]))
    until = time.monotonic() + seconds
    threads = []
    for i, (role, client, mine) in enumerate(browsers):
        name = f"c{i}"
        if role == "coordinator":
            args = (client, targets, tally, name, until)
            threads.append(threading.Thread(target=coordinator, args=args))
        else:
            args = (client, mine, tally, name, until)
            threads.append(threading.Thread(target=innovator, args=args))
    for thread in threads:
        thread.start()
    if during is not None:
        during(tally)
    for thread in threads:
        thread.join(seconds + 60)
    return tally


def check_database(engine: sa.Engine, targets: Targets, tally: Tally) -> dict:
    """Compare the database with the answers; returns what was lost (must be empty)."""
    problems: dict[str, list] = {}

    def problem(kind, item):
        problems.setdefault(kind, []).append(item)

    with engine.connect() as conn:
        ids = tuple(targets.cards)
        transitions = conn.execute(
            sa.text(
                "SELECT id, innovation_id, from_stage, to_stage, reason FROM stage_transitions "
                "WHERE innovation_id IN :ids ORDER BY id"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": list(ids)},
        ).all()
        cards = {
            r.id: r
            for r in conn.execute(
                sa.text("SELECT id, stage, version FROM innovations WHERE id IN :ids").bindparams(
                    sa.bindparam("ids", expanding=True)
                ),
                {"ids": list(ids)},
            )
        }
        milestone_ids = [m for mine in targets.milestones.values() for _, m in mine]
        updates = conn.execute(
            sa.text(
                "SELECT id, milestone_id, from_progress, to_progress, note "
                "FROM progress_updates WHERE milestone_id IN :ids ORDER BY id"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": milestone_ids},
        ).all()
        progress = dict(
            conn.execute(
                sa.text("SELECT id, progress FROM milestones WHERE id IN :ids").bindparams(
                    sa.bindparam("ids", expanding=True)
                ),
                {"ids": milestone_ids},
            ).all()
        )

    for kind, rows in (("move", transitions), ("progress", updates)):
        stored = Counter(r.reason if kind == "move" else r.note for r in rows)
        accepted = {o.token for o in tally.where(kind, True)}
        refused = {o.token for o in tally.where(kind, False)}
        unknown = {o.token for o in tally.where(kind, answered=False)}
        for token in accepted - set(stored):
            problem(f"{kind}: accepted but not stored", token)
        for token in refused & set(stored):
            problem(f"{kind}: refused but stored", token)
        for token in set(stored) - accepted - unknown:
            if is_token(token):
                problem(f"{kind}: stored but never answered", token)
        for token, count in stored.items():
            if is_token(token) and count > 1:
                problem(f"{kind}: stored twice", token)

    for card, (stage, version) in targets.cards.items():
        chain = [r for r in transitions if r.innovation_id == card and is_token(r.reason)]
        expected_stage = stage
        for r in chain:
            if r.from_stage != expected_stage:
                problem("move: a transition from a stage the card was not in", r.reason)
            expected_stage = r.to_stage
        if cards[card].stage != expected_stage:
            problem("move: final stage differs from the last transition", card)
        if cards[card].version != version + len(chain):
            problem("move: a write that left no transition", card)

    for milestone, value in progress.items():
        chain = [r for r in updates if r.milestone_id == milestone and is_token(r.note)]
        for before, after in zip(chain, chain[1:], strict=False):
            if after.from_progress != before.to_progress:
                problem("progress: an update that did not see the one before", after.note)
        if chain and value != chain[-1].to_progress:
            problem("progress: final value differs from the last update", milestone)
    return problems

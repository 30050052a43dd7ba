"""The pages under gunicorn, measured by wrk beside the lean page (issue 14).

    .venv/bin/python -m bench.pages --innovations 1000 --databases sqlite          # quick
    .venv/bin/python -m bench.pages --innovations 100,1000,10000 \\
        --databases sqlite,postgresql --postgres postgresql://postgres@127.0.0.1:5432/bench \\
        --output bench/RESULTS.md                                                  # full

For each database and size: generate the data (bench.generate: the database is WIPED),
serve the app and the lean page (bench.lean) with gunicorn, 2 workers each, on loopback
in production settings (bench.serving), log in as the coordinator, the innovator with 40
open milestones and a mentor, then for each page: a short warm-up, wrk at c=1 (p50, p95,
p99) and at c=8 (req/s). The lean page and the trivial endpoint are measured first and
again last, so every page is set against a lean page measured minutes apart; the ratio
uses the mean of the two. Reads come before writes, so the writes do not change what the
reads draw. Then, for each database, the board's three ratios the host's drift moves most
(against the lean page at c=1 and c=8, and against itself at N = 1,000) are measured again
in turns (`--rounds`): see `Pairs`. Results: a Markdown table (to --output, else printed)
and JSON (bench/results/).
"""

import argparse
import http.client
import json
import os
import platform
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa

from . import generate, wrk
from .serving import Client, serve

ROOT = Path(__file__).resolve().parent.parent
SLUG = generate.SLUG
# Pages in the order they are measured: reads, then writes. (name, session, kind)
PAGES = [
    ("board", "coordinator"),
    ("column page", "coordinator"),
    ("card panel", "coordinator"),
    ("innovation page", "coordinator"),
    ("My innovations", "innovator"),
    ("My mentees", "mentor"),
    ("dashboard", "coordinator"),
    ("export (board CSV)", "coordinator"),
    ("card move", "coordinator"),
    ("progress update", "innovator"),
]
LEAN = ("lean page", "trivial endpoint")


@dataclass
class Measured:
    page: str
    c1: wrk.Result
    c8: wrk.Result
    size: int = 0  # bytes of the answer, uncompressed
    sent: str = ""  # as sent to a browser: "18 KB br"
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "page": self.page,
            "c1": self.c1.as_dict(),
            "c8": self.c8.as_dict(),
            "size": self.size,
            "sent": self.sent,
            "note": self.note,
        }


@dataclass
class Block:
    database: str
    innovations: int
    generate_s: float
    rows: list[Measured] = field(default_factory=list)
    lean_before: list[Measured] = field(default_factory=list)
    lean_after: list[Measured] = field(default_factory=list)
    load: list[str] = field(default_factory=list)  # load averages as the block ran
    worker_mb: list[int] = field(default_factory=list)  # the app workers' RSS at the end

    def lean(self, which: str = "lean page") -> tuple[float, float]:
        """(p50 at c=1, req/s at c=8) of `which`: the mean of before and after."""
        found = [m for m in self.lean_before + self.lean_after if m.page == which]
        return (
            sum(m.c1.p50_ms for m in found) / len(found),
            sum(m.c8.rps for m in found) / len(found),
        )

    def row(self, page: str) -> Measured | None:
        return next((m for m in self.rows if m.page == page), None)


@dataclass
class Pairs:
    """The board at the largest N beside the lean page and beside itself at N = 1,000,
    measured in turns. The three servers run side by side; each round measures the lean
    page, the board and the board at 1,000 one right after the other (every other round in
    the reverse order), so the host's drift, which moved the lean page 2x between blocks
    minutes apart, falls on both sides of each ratio. A ratio is the median of its rounds'."""

    database: str
    small: int
    large: int
    rounds: list[dict[str, Measured]] = field(default_factory=list)

    LEAN, BOARD, SMALL = "lean page", "board", "board at 1,000"

    def ratios(self) -> list[dict[str, float]]:
        """Each round's (p50 vs lean, req/s vs lean, p50 vs the board at 1,000)."""
        return [
            {
                "p50": r[self.BOARD].c1.p50_ms / r[self.LEAN].c1.p50_ms,
                "rps": r[self.BOARD].c8.rps / r[self.LEAN].c8.rps,
                "growth": r[self.BOARD].c1.p50_ms / r[self.SMALL].c1.p50_ms,
            }
            for r in self.rounds
            if all(m.c1.requests and m.c8.requests for m in r.values())
        ]

    def median(self, which: str) -> float | None:
        values = [r[which] for r in self.ratios()]
        return statistics.median(values) if values else None


def prepared_url(database: str, n: int, postgres: str | None) -> str:
    """Where `--prepare` puts the data for N: instance/bench-N.db, or the PostgreSQL
    database named like --postgres's with `_N` appended (created if missing)."""
    if database == "sqlite":
        return generate.database_url(None, n)
    base = sa.engine.make_url(generate.database_url(postgres, n))
    name = f"{base.database}_{n}"
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def worker_memory(server) -> list[int]:
    """Resident memory of each gunicorn worker, in MB."""
    sizes = []
    for pid in server.worker_pids():
        status = Path(f"/proc/{pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        sizes.append(round(kb / 1024))
    return sizes


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine() -> str:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return (
        f"{os.cpu_count()} CPUs ({model or platform.machine()}), Linux {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{(wrk_version.stdout or wrk_version.stderr).split(' Copyright')[0].strip()}"
    )


def postgres_version(url: str) -> str:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        version = conn.execute(sa.text("SHOW server_version")).scalar()
    engine.dispose()
    return f"PostgreSQL {version}"


@dataclass
class Targets:
    """What the pages act on, read from the generated database."""

    cursor: str
    cards: list[int]  # the first cards of the board, for the panel and the innovation page
    movable: list[dict]
    milestones: list[dict]


def find_targets(url: str, connections: int) -> Targets:
    engine = sa.create_engine(url)
    active = "programme_id = 1 AND state = 'active' AND NOT is_proposal"
    with engine.connect() as conn:
        creation = conn.execute(
            sa.text(
                f"SELECT id, position FROM innovations WHERE {active} "  # noqa: S608
                "AND stage = 'creation' ORDER BY position, id LIMIT 50"
            )
        ).all()
        column = conn.execute(
            sa.text(
                f"SELECT COUNT(*) FROM innovations WHERE {active} "  # noqa: S608
                "AND stage = 'development'"
            )
        ).scalar()
        movable = conn.execute(
            sa.text(
                f"SELECT id, stage, version FROM innovations WHERE {active} "  # noqa: S608
                "AND stage = 'development' AND owner_id <> 2 ORDER BY id LIMIT :n"
            ),
            {"n": connections},
        ).all()
        milestones = conn.execute(
            sa.text(
                "SELECT m.id, m.innovation_id FROM milestones m JOIN innovations i "
                "ON i.id = m.innovation_id JOIN users u ON u.id = i.owner_id "
                "WHERE u.email = :email AND m.done_at IS NULL ORDER BY m.id LIMIT :n"
            ),
            {"email": generate.INNOVATOR, "n": connections},
        ).all()
    engine.dispose()
    last = creation[-1]
    return Targets(
        cursor=f"{last.position}_{last.id}",
        cards=[r.id for r in creation[:30]],
        movable=[
            {
                "id": r.id,
                "stage": r.stage,
                "version": r.version,
                "path": f"/programmes/{SLUG}/cards/{r.id}/move",
                # Positions first and first + 1 of its own, apart from the others' pairs.
                "first": (4 * k + 4) % max(1, column - 2) + 1,
            }
            for k, r in enumerate(movable)
        ],
        milestones=[
            {"id": r.id, "path": f"/innovations/{r.innovation_id}/milestones/{r.id}/progress"}
            for r in milestones
        ],
    )


def page_paths(page: str, targets: Targets | None) -> list[str]:
    if page == "lean page":
        return [f"/lean/{SLUG}"]
    if page == "trivial endpoint":
        return ["/ping"]
    if page == "board":
        return [f"/programmes/{SLUG}/board"]
    return {
        "column page": [f"/programmes/{SLUG}/board/creation/cards?cursor={targets.cursor}"],
        "card panel": [f"/programmes/{SLUG}/cards/{i}" for i in targets.cards],
        "innovation page": [f"/innovations/{i}" for i in targets.cards],
        "My innovations": ["/my/innovations"],
        "My mentees": ["/mentor"],
        "dashboard": [f"/programmes/{SLUG}/dashboard"],
        "export (board CSV)": [f"/programmes/{SLUG}/export/board.csv"],
    }[page]


BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # as Chromium sends it

# The side panel and the column page are fetched by htmx, as the browser does.
HTMX = {"column page", "card panel", "card move", "progress update"}


class Bench:
    def __init__(self, args, workdir: Path):
        self.args = args
        self.workdir = workdir

    def measure(self, name, base_url, headers, *, check, **what) -> Measured:
        """wrk at c=1 and c=8 on one page; a page that fails is reported, not fatal."""
        try:
            return self._measure(name, base_url, headers, check=check, **what)
        except Exception as error:  # noqa: BLE001 (the other pages still count)
            empty = wrk.Result(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0)
            print(f"  {name:<20} FAILED: {error!r}"[:300], flush=True)
            return Measured(name, empty, empty, note=f"failed: {type(error).__name__}")

    def _measure(self, name, base_url, headers, *, check, **what) -> Measured:
        path = self.workdir / f"{name.replace(' ', '-').replace('(', '').replace(')', '')}.lua"
        path.write_text(wrk.script(headers, **what))
        started = time.perf_counter()
        size, sent = check()
        single = (time.perf_counter() - started) / 2  # _check asks twice
        args = self.args
        # A slow page gets longer runs (up to 20 s), so that it has answers to count.
        seconds = max(args.duration, min(20.0, 6 * single))
        timeout = 60
        wrk.run(base_url, str(path), connections=2, seconds=args.warmup, timeout=timeout)
        if "cards" in what:  # the warm-up moved them: start from their current versions
            for card in what["cards"]:
                card["version"] = self.version(card["id"])
            path.write_text(wrk.script(headers, **what))
        c1 = wrk.run(base_url, str(path), connections=1, seconds=seconds, timeout=timeout)
        if "cards" in what:
            for card in what["cards"]:
                card["version"] = self.version(card["id"])
            path.write_text(wrk.script(headers, **what))
        c8 = wrk.run(base_url, str(path), connections=8, seconds=seconds, timeout=timeout)
        measured = Measured(name, c1, c8, size, sent)
        notes = []
        if c1.failed + c8.failed:
            notes.append(f"{c1.failed + c8.failed} failed answers")
        if min(c1.requests, c8.requests) < 5:
            notes.append(
                f"only {c1.requests} / {c8.requests} answers in {seconds:.0f} s "
                f"(one request alone: {single * 1000:.0f} ms)"
            )
        elif seconds > args.duration:
            notes.append(f"{seconds:.0f} s runs")
        measured.note = "; ".join(notes)
        print(
            f"  {name:<20} c=1 p50 {c1.p50_ms:7.1f} p95 {c1.p95_ms:7.1f} p99 {c1.p99_ms:7.1f} ms"
            f" | c=8 {c8.rps:7.1f} req/s | {size / 1024:6.1f} KB {measured.note}",
            flush=True,
        )
        return measured

    def version(self, card_id: int) -> int:
        """The card's version once the move wrk left in flight when its run ended has
        committed (read too early, the next run's first move was refused: a failure)."""
        last = None
        with self.engine.connect() as conn:
            while True:
                version = conn.execute(
                    sa.text("SELECT version FROM innovations WHERE id = :id"), {"id": card_id}
                ).scalar_one()
                conn.rollback()  # each read its own snapshot
                if version == last:
                    return version
                last = version
                time.sleep(0.2)

    def data_url(self, database: str, n: int) -> str:
        """Where the data for N is: the prepared copies, else a SQLite file of this run or
        the PostgreSQL database named like --postgres's with `_N` appended (so that every
        size is still there for the pairs)."""
        if database == "sqlite" and not self.args.prepared:
            return f"sqlite:///{self.workdir / f'bench-{n}.db'}"
        return prepared_url(database, n, self.args.postgres)

    def block(self, database: str, n: int) -> Block:
        args = self.args
        url = self.data_url(database, n)
        if args.prepared:
            block = Block(database, n, 0.0, load=[load_average()])
            print(f"[{database}, N={n:,}] on the prepared {url.split('/')[-1]}", flush=True)
        else:
            print(f"[{database}, N={n:,}] generating...", flush=True)
            generated = generate.build(url, n)
            block = Block(database, n, generated.seconds, load=[load_average()])
            print(f"  generated in {generated.seconds:.1f} s; load {block.load[-1]}", flush=True)
        self.engine = sa.create_engine(url)
        targets = find_targets(url, 8)
        with serve(url, app="bench.lean:app", ready_path="/ping") as lean, serve(url) as app:
            block.lean_before = self.lean_pages(lean.url)
            sessions = {
                role: self.session(app.url, email)
                for role, email in (
                    ("coordinator", generate.COORDINATOR),
                    ("innovator", generate.INNOVATOR),
                    ("mentor", generate.MENTOR),
                )
            }
            for name, role in PAGES:
                if name not in args.pages:
                    continue
                block.rows.append(self.app_page(app.url, name, sessions[role], targets))
            block.load.append(load_average())
            block.worker_mb = worker_memory(app)
            block.lean_after = self.lean_pages(lean.url)
        block.load.append(load_average())
        self.engine.dispose()
        return block

    def pairs(self, database: str, small: int, large: int) -> Pairs:
        """`Pairs`: the lean page and the board at `large`, the board at `small`, in turns."""
        found = Pairs(database, small, large)
        print(f"[{database}] pairs: N={large:,} beside the lean page and N={small:,}", flush=True)
        large_url, small_url = self.data_url(database, large), self.data_url(database, small)
        with (
            serve(large_url, app="bench.lean:app", ready_path="/ping") as lean,
            serve(large_url) as app,
            serve(small_url) as smaller,
        ):
            measures = {
                Pairs.LEAN: lambda: self.lean_pages(lean.url, only="lean page")[0],
                Pairs.BOARD: self._board(app.url),
                Pairs.SMALL: self._board(smaller.url, Pairs.SMALL),
            }
            for k in range(self.args.rounds):
                order = list(measures) if k % 2 == 0 else list(reversed(measures))
                found.rounds.append({name: measures[name]() for name in order})
        return found

    def _board(self, base_url: str, name: str = "board"):
        client = self.session(base_url, generate.COORDINATOR)

        def measure() -> Measured:
            measured = self.app_page(base_url, "board", client, None)
            measured.page = name
            return measured

        return measure

    def session(self, base_url: str, email: str) -> Client:
        client = Client(base_url)
        client.log_in(email, generate.PASSWORD)
        return client

    def lean_pages(self, base_url: str, only: str | None = None) -> list[Measured]:
        client = Client(base_url)
        rows = []
        for name in [only] if only else LEAN:
            paths = page_paths(name, None)
            rows.append(
                self.measure(
                    name, base_url, {}, paths=paths, check=lambda p=paths[0]: _check(client, p)
                )
            )
        return rows

    def app_page(self, base_url: str, name: str, client: Client, targets: Targets) -> Measured:
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()),
            "X-Forwarded-Proto": "https",
            "Accept-Encoding": BROWSER_ENCODINGS,
        }
        extra = {"HX-Request": "true"} if name in HTMX else {}
        headers.update(extra)
        if name in ("card move", "progress update"):
            # The script reads each answer (a move's new version): uncompressed, please.
            headers.pop("Accept-Encoding")
        if name == "card move":
            headers.update(self.csrf(base_url, client))
            return self.measure(
                name, base_url, headers, cards=targets.movable, check=lambda: (0, "")
            )
        if name == "progress update":
            headers.update(self.csrf(base_url, client))
            return self.measure(
                name, base_url, headers, milestones=targets.milestones, check=lambda: (0, "")
            )
        paths = page_paths(name, targets)
        return self.measure(
            name,
            base_url,
            headers,
            paths=paths,
            check=lambda: _check(client, paths[0], **extra),
        )

    def csrf(self, base_url: str, client: Client) -> dict:
        netloc = base_url.split("://", 1)[1]
        return {"X-CSRFToken": client.csrf_token, "Referer": f"https://{netloc}/"}


def _check(client: Client, path: str, **headers) -> tuple[int, str]:
    """GET `path` once as wrk will: it must answer 200 (not a redirect to the login).
    (bytes uncompressed, what was sent with a browser's Accept-Encoding, e.g. "18 KB br")."""
    client.request_timeout = 120  # an export at N = 10,000 on a loaded machine
    response = client.get(path, **headers)
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    size = len(response.text.encode())
    parts = urlsplit(client.base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        sent = {
            "X-Forwarded-Proto": "https",
            "Accept-Encoding": BROWSER_ENCODINGS,
            "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()),
            **headers,
        }
        connection.request("GET", path, headers=sent)
        answer = connection.getresponse()
        body = answer.read()
        encoding = answer.headers.get("Content-Encoding") or "uncompressed"
    finally:
        connection.close()
    return size, f"{len(body) / 1024:.0f} KB {encoding}"


# --- Reporting ---------------------------------------------------------------


# A working day's mix of requests (shares), for "how many users per server": people mostly
# look at the board and open cards; innovators record progress; moves are rarer.
MIX = {
    "board": 0.25,
    "column page": 0.05,
    "card panel": 0.20,
    "innovation page": 0.10,
    "My innovations": 0.15,
    "My mentees": 0.05,
    "dashboard": 0.05,
    "card move": 0.05,
    "progress update": 0.10,
}
THINK_SECONDS = 30  # one request every 30 s from a person at work on the app


def mix_rps(block: Block) -> float | None:
    """Requests a second the server sustains at c=8 for MIX (time-weighted: the harmonic
    mean of the pages' req/s by their shares); None if a page of the mix is missing."""
    cost = 0.0
    for page, share in MIX.items():
        row = block.row(page)
        if row is None or not row.c8.rps:
            return None
        cost += share / row.c8.rps
    return 1 / cost


def _ms(value: float) -> str:
    return f"{value:.1f}"


def _ratio(value: float) -> str:
    return f"{value:.2f}x"


def markdown(blocks: list[Block], header: str, pairs: list[Pairs] = ()) -> str:
    out = [header, ""]
    for block in blocks:
        lean_p50, lean_rps = block.lean()
        ping_p50, ping_rps = block.lean("trivial endpoint")
        before = {m.page: m for m in block.lean_before}
        after = {m.page: m for m in block.lean_after}
        out += [
            f"### {block.database}, N = {block.innovations:,}",
            "",
            (
                f"Generated in {block.generate_s:.1f} s. "
                if block.generate_s
                else "Data generated beforehand (`--prepare`). "
            )
            + "Load average (1, 5, 15 min) before, "
            f"between and after: {' / '.join(block.load)}. Lean page p50 at c=1 "
            f"{_ms(before['lean page'].c1.p50_ms)} ms before the pages and "
            f"{_ms(after['lean page'].c1.p50_ms)} ms after; c=8 "
            f"{before['lean page'].c8.rps:.0f} and {after['lean page'].c8.rps:.0f} req/s. "
            f"Trivial endpoint: {ping_rps:,.0f} req/s at c=8, p50 {ping_p50:.2f} ms at c=1."
            + (
                f" App workers' memory after the run: {', '.join(map(str, block.worker_mb))} MB."
                if block.worker_mb
                else ""
            ),
            "",
            "| page | p50 c=1 | p95 c=1 | p99 c=1 | req/s c=8 | p50 / lean | req/s / lean"
            " | HTML (as sent) | note |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        rows = [*block.lean_before[:1], *block.rows]
        for m in rows:
            size = f"{m.size / 1024:.0f} KB ({m.sent})" if m.size else ""
            if not (m.c1.requests and m.c8.requests):
                out.append(f"| {m.page} | n/a | n/a | n/a | n/a | | | {size} | {m.note} |")
                continue
            out.append(
                f"| {m.page} | {_ms(m.c1.p50_ms)} | {_ms(m.c1.p95_ms)} | {_ms(m.c1.p99_ms)} "
                f"| {m.c8.rps:.0f} | {_ratio(m.c1.p50_ms / lean_p50)} "
                f"| {_ratio(m.c8.rps / lean_rps)} | {size} | {m.note} |"
            )
        rps = mix_rps(block)
        if rps:
            out.append(
                f"\nA day's mix ({', '.join(f'{v:.0%} {k}' for k, v in MIX.items())}) at c=8: "
                f"{rps:.0f} req/s, so about {rps * THINK_SECONDS:,.0f} people at work at once "
                f"(one request every {THINK_SECONDS} s each) on this server."
            )
        out.append("")
    for found in pairs:
        out += pairs_table(found)
    out += targets(blocks, pairs)
    return "\n".join(out) + "\n"


def pairs_table(found: Pairs) -> list[str]:
    out = [
        f"### {found.database}: the board in turns with the lean page (N = {found.large:,}) "
        f"and with itself at N = {found.small:,}",
        "",
        "| round | lean p50 | board p50 | board at 1,000 p50 | lean req/s | board req/s "
        "| board / lean p50 | board / lean req/s | board / board at 1,000 p50 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    usable = iter(found.ratios())
    for k, measured in enumerate(found.rounds, 1):
        lean, board, small = (measured[n] for n in (Pairs.LEAN, Pairs.BOARD, Pairs.SMALL))
        if not all(m.c1.requests and m.c8.requests for m in measured.values()):
            out.append(f"| {k} | failed: {'; '.join(m.note for m in measured.values())} |")
            continue
        ratio = next(usable)
        out.append(
            f"| {k} | {_ms(lean.c1.p50_ms)} | {_ms(board.c1.p50_ms)} | {_ms(small.c1.p50_ms)} "
            f"| {lean.c8.rps:.0f} | {board.c8.rps:.0f} | {_ratio(ratio['p50'])} "
            f"| {_ratio(ratio['rps'])} | {_ratio(ratio['growth'])} |"
        )
    medians = [found.median(which) for which in ("p50", "rps", "growth")]
    if None not in medians:
        out.append("| median | | | | | | " + " | ".join(f"**{_ratio(m)}**" for m in medians) + " |")
    return [*out, ""]


def targets(blocks: list[Block], pairs: list[Pairs] = ()) -> list[str]:
    """Issue 14's targets at the largest N of each database: met or missed (a run
    without answers is missed: "n/a"). Where the board was measured in turns (`Pairs`),
    its three ratios are the pairs' medians, with the blocks' ratios beside them."""
    out = []
    for database in dict.fromkeys(b.database for b in blocks):
        mine = sorted((b for b in blocks if b.database == database), key=lambda b: b.innovations)
        paired = next((p for p in pairs if p.database == database), None)
        out += [
            f"Targets ({database}, N = {mine[-1].innovations:,}):",
            "",
            "| target | measured | |",
            "|---|---:|---|",
            *(
                f"| {name} | {value} | {'met' if ok else '**missed**'} |"
                for name, value, ok in _checks(mine, paired)
            ),
            "",
        ]
    return out


def _checks(mine: list[Block], paired: Pairs | None = None) -> list[tuple[str, str, bool]]:
    """(target, measured, met) at the largest N of one database's blocks."""
    top = mine[-1]
    lean_p50, lean_rps = top.lean()
    checks = []
    rounds = len(paired.ratios()) if paired and paired.large == top.innovations else 0
    in_turns = {w: paired.median(w) for w in ("p50", "rps", "growth")} if rounds else {}

    def check(name, row, value, limit, unit="x", *, at_least=False, run="c1", turns=None):
        result = getattr(row, run) if row else None
        if result is None or not result.requests:
            checks.append((name, "n/a (no answers)", False))
            return
        number = value(row)
        shown = f"{number:.2f}x" if unit == "x" else f"{number:.1f} ms"
        if turns in in_turns:  # the median of the rounds decides; the block's is beside it
            shown = f"{in_turns[turns]:.2f}x in turns ({rounds} rounds); {shown} in the block"
            number = in_turns[turns]
        ok = number >= limit if at_least else number <= limit
        checks.append((name, shown, ok))

    board = top.row("board")
    check("board p50 <= 2.5x lean", board, lambda r: r.c1.p50_ms / lean_p50, 2.5, turns="p50")
    smaller = next((b for b in mine if b.innovations == 1000 and b is not top), None)
    before = smaller.row("board") if smaller else None
    if before and before.c1.requests:
        check(
            "board p50 <= 1.2x its p50 at N=1,000",
            board,
            lambda r: r.c1.p50_ms / before.c1.p50_ms,
            1.2,
            turns="growth",
        )
    check(
        "board req/s c=8 >= 0.4x lean",
        board,
        lambda r: r.c8.rps / lean_rps,
        0.4,
        at_least=True,
        run="c8",
        turns="rps",
    )
    if board:
        checks.append(
            ("board HTML <= 120 KB", f"{board.size / 1024:.0f} KB", board.size <= 120 * 1024)
        )
    for page in ("card move", "progress update"):
        check(f"{page} p95 <= 20 ms", top.row(page), lambda r: r.c1.p95_ms, 20, "ms")
    for page in ("My innovations", "My mentees", "innovation page"):
        check(f"{page} p50 <= 3x lean", top.row(page), lambda r: r.c1.p50_ms / lean_p50, 3)
    return checks


def _measured(row: dict) -> Measured:
    return Measured(
        row["page"],
        wrk.Result(**row["c1"]),
        wrk.Result(**row["c8"]),
        row["size"],
        row.get("sent", ""),
        row["note"],
    )


def render(run: dict) -> str:
    """The Markdown of a run's JSON (bench/results/pages-*.json)."""
    blocks = [
        Block(
            b["database"],
            b["innovations"],
            b["generate_s"],
            rows=[_measured(r) for r in b["pages"]],
            lean_before=[_measured(r) for r in b["lean_before"]],
            lean_after=[_measured(r) for r in b["lean_after"]],
            load=b["load"],
            worker_mb=b.get("worker_mb", []),
        )
        for b in run["blocks"]
    ]
    pairs = [
        Pairs(
            p["database"],
            p["small"],
            p["large"],
            [{name: _measured(m) for name, m in r.items()} for r in p["rounds"]],
        )
        for p in run.get("pairs", [])
    ]
    header = run.get("header") or f"Measured {run['started']}: `{run['command']}`"
    return markdown(blocks, header, pairs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--innovations", default="1000", help="sizes, comma-separated")
    parser.add_argument("--databases", default="sqlite", help="sqlite,postgresql")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per page")
    parser.add_argument(
        "--pages", default=",".join(p for p, _ in PAGES), help="which pages, comma-separated"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of the board in turns with the lean page and with N = 1,000 (0: none)",
    )
    parser.add_argument("--output", help="write the Markdown here (else print it)")
    parser.add_argument(
        "--prepare",
        action="store_true",
        help="only generate the data of every size (instance/bench-N.db, <postgres db>_N)",
    )
    parser.add_argument(
        "--prepared", action="store_true", help="measure on the data --prepare generated"
    )
    parser.add_argument("--render", help="only write the Markdown of a run's JSON again")
    args = parser.parse_args(argv)
    if args.render:
        text = render(json.loads(Path(args.render).read_text()))
        if args.output:
            Path(args.output).write_text(text)
        print(text)
        return
    args.pages = set(args.pages.split(","))
    os.environ.setdefault("INCUBATOR_ENV", "development")  # for the generator's app
    sizes = [int(n) for n in args.innovations.split(",")]
    databases = args.databases.split(",")
    if "postgresql" in databases and not args.postgres:
        parser.error("postgresql needs --postgres URL (or BENCH_DATABASE_URL): it is WIPED")
    if args.prepare:
        for database in databases:
            for n in sizes:
                url = prepared_url(database, n, args.postgres)
                made = generate.build(url, n)
                print(f"{url.split('@')[-1]}: N={n:,} in {made.seconds:.1f} s", flush=True)
        return
    started = datetime.now(UTC)
    about = machine()
    if "postgresql" in databases:
        about += ", " + postgres_version(generate.database_url(args.postgres, 0))
    print(about, flush=True)
    blocks = []
    with tempfile.TemporaryDirectory(prefix="incubator-bench-") as tmp:
        bench = Bench(args, Path(tmp))
        pairs = []
        for database in databases:
            for n in sizes:
                blocks.append(bench.block(database, n))
            if args.rounds and "board" in args.pages and 1000 in sizes and max(sizes) > 1000:
                pairs.append(bench.pairs(database, 1000, max(sizes)))
    command = "python -m bench.pages " + shlex.join(
        a if "://" not in a else "postgresql://…/bench" for a in sys.argv[1:]
    )
    header = (
        f"Measured {started:%Y-%m-%d %H:%M} UTC on {about}; gunicorn 2 gthread workers "
        f"(4 threads) per server, wrk on loopback, {args.duration:g} s per run after a "
        f"{args.warmup:g} s warm-up. Command: `{command}`"
    )
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%S")
    (results / f"pages-{stamp}.json").write_text(  # --render makes the Markdown again
        json.dumps(
            {
                "started": started.isoformat(),
                "machine": about,
                "command": command,
                "header": header,
                "blocks": [
                    {
                        "database": b.database,
                        "innovations": b.innovations,
                        "generate_s": b.generate_s,
                        "load": b.load,
                        "worker_mb": b.worker_mb,
                        "lean_before": [m.as_dict() for m in b.lean_before],
                        "lean_after": [m.as_dict() for m in b.lean_after],
                        "pages": [m.as_dict() for m in b.rows],
                    }
                    for b in blocks
                ],
                "pairs": [
                    {
                        "database": p.database,
                        "small": p.small,
                        "large": p.large,
                        "rounds": [{name: m.as_dict() for name, m in r.items()} for r in p.rounds],
                    }
                    for p in pairs
                ],
            },
            indent=1,
        )
    )
    text = markdown(blocks, header, pairs)
    if args.output:
        Path(args.output).write_text(text)
        print(f"written to {args.output}")
    print(text)


if __name__ == "__main__":
    main()

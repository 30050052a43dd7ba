"""The board at 150 cards through the Flask test client: p50, markup per card, a profile.

    .venv/bin/python -m bench.board_profile [--cards 150] [--runs 30] [--profile] [--lang en]

Builds the cards of bench/board_first_paint.py in a temporary SQLite file, then
GETs the board as a coordinator `runs` times. Prints the median and minimum time,
the page's bytes (raw and gzip), the bytes of the card list (from the first
`<li class="card` to the last `</li>`) per card, and the statement count. The CPU
time (of this process: the test client runs the app in it) is the steadier number
on a shared machine. With
--profile, a pyinstrument profile of 20 more requests follows. Timings are of a
shared machine: compare runs taken minutes apart, read the minimum.
"""

import argparse
import gzip
import re
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from incubator.extensions import db

from .board_first_paint import PASSWORD, build


def card_bytes(html: str) -> tuple[int, int]:
    """(bytes of all card markup, number of cards)."""
    starts = [m.start() for m in re.finditer(r'<li class="card', html)]
    total = 0
    for start in starts:
        end = html.index("</li>", start) + len("</li>")
        total += len(html[start:end].encode())
    return total, len(starts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=150)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--lang", default="id")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'b.db'}"
        app = build(url, args.cards)
        client = app.test_client()
        client.post("/login", data={"email": "c@example.org", "password": PASSWORD})
        path = f"/programmes/bench/board?lang={args.lang}"
        statements: list = []
        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
        timings, cpu = [], []
        for _ in range(args.runs):
            statements.clear()
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            timings.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            assert response.status_code == 200, response.status_code
        body = response.get_data()
        html = body.decode()
        cards_total, cards = card_bytes(html)
        print(
            f"{args.cards} stored, {cards} drawn: p50 {statistics.median(timings) * 1000:.1f} ms, "
            f"min {min(timings) * 1000:.1f} ms, CPU p50 {statistics.median(cpu) * 1000:.1f} ms; "
            f"page {len(body) / 1024:.1f} KB "
            f"(gzip {len(gzip.compress(body)) / 1024:.1f} KB); cards {cards_total / 1024:.1f} KB "
            f"= {cards_total / max(cards, 1):.0f} B/card; {len(statements)} statements"
        )
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            with profiler:
                for _ in range(20):
                    client.get(path)
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()

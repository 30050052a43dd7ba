"""The benchmark harness (bench/, issue 14) keeps working: the generator writes what it
promises, the lean page draws the cards the board draws, and the runner's wrk scripts
run and their output is read. Nothing here is timed."""

import re
import shutil
import threading
from dataclasses import replace
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import sqlalchemy as sa
from werkzeug.test import Client as WsgiClient

from bench import generate, lean, pages, wrk
from incubator.extensions import db

N = 20
CARD_ID = re.compile(r'id="card-(\d+)"')


def scalar(sql: str, **params):
    return db.session.execute(sa.text(sql), params).scalar()


@pytest.fixture
def generated(app):
    made = generate.fill(N)
    db.session.commit()
    return made


def test_the_generator_writes_what_it_promises(generated):
    assert generated.innovations == N
    assert scalar("SELECT COUNT(*) FROM innovations WHERE programme_id = 1") == N
    per_innovation = db.session.execute(
        sa.text("SELECT COUNT(*) FROM milestones GROUP BY innovation_id")
    ).scalars()
    assert set(per_innovation) == {10}
    stages = set(db.session.execute(sa.text("SELECT DISTINCT stage FROM innovations")).scalars())
    states = set(db.session.execute(sa.text("SELECT DISTINCT state FROM innovations")).scalars())
    assert stages == {"creation", "development", "institutionalisation"}
    assert states == {"active", "on_hold", "dropped", "institutionalised"}
    mentors = db.session.execute(
        sa.text(
            "SELECT COUNT(*) FROM mentor_assignments WHERE unassigned_at IS NULL "
            "GROUP BY innovation_id"
        )
    ).scalars()
    assert set(mentors) == {2}
    assert scalar("SELECT COUNT(*) FROM programme_regions WHERE programme_id = 1") == 6
    assert scalar("SELECT COUNT(*) FROM programme_agencies WHERE programme_id = 1") == 40
    assert scalar("SELECT COUNT(DISTINCT due_date) FROM milestones") > 20
    for table in ("progress_updates", "feedback", "activity_entries"):
        assert scalar(f"SELECT COUNT(*) FROM {table}") > N  # noqa: S608
    # Every innovation entered the board once, and one more time per stage it moved on.
    assert scalar("SELECT COUNT(*) FROM stage_transitions WHERE from_stage IS NULL") == N
    assert scalar("SELECT COUNT(*) FROM stage_transitions WHERE from_stage IS NOT NULL") > 0
    open_milestones = scalar(
        "SELECT COUNT(*) FROM milestones m JOIN innovations i ON i.id = m.innovation_id "
        "JOIN users u ON u.id = i.owner_id WHERE u.email = :e AND m.done_at IS NULL",
        e=generate.INNOVATOR,
    )
    assert open_milestones == 40
    coordinator = scalar(
        "SELECT role FROM programme_members pm JOIN users u ON u.id = pm.user_id "
        "WHERE u.email = :e",
        e=generate.COORDINATOR,
    )
    assert coordinator == "coordinator"


def test_the_accounts_log_in_and_the_new_rows_get_fresh_ids(generated, client):
    response = client.post(
        "/login", data={"email": generate.INNOVATOR, "password": generate.PASSWORD}
    )
    assert response.status_code == 302
    page = client.get("/my/innovations")
    assert page.status_code == 200
    # A write after the bulk load: PostgreSQL's sequences were moved past the chosen ids.
    milestone, innovation = db.session.execute(
        sa.text(
            "SELECT m.id, m.innovation_id FROM milestones m JOIN innovations i "
            "ON i.id = m.innovation_id WHERE i.owner_id = 2 AND m.done_at IS NULL LIMIT 1"
        )
    ).one()
    saved = client.post(
        f"/innovations/{innovation}/milestones/{milestone}/progress",
        data={f"m{milestone}-progress": 55, f"m{milestone}-note": "bench", "mode": "mine"},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200


def test_the_lean_page_draws_the_cards_the_board_draws(generated, app, client, database_url):
    client.post("/login", data={"email": generate.COORDINATOR, "password": generate.PASSWORD})
    board = client.get(f"/programmes/{generate.SLUG}/board").get_data(as_text=True)
    served = lean.make_app(database_url)
    lean_app = WsgiClient(served)

    page = lean_app.get(f"/lean/{generate.SLUG}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert set(CARD_ID.findall(text)) == set(CARD_ID.findall(board))
    assert len(CARD_ID.findall(text)) > 10
    heads = re.findall(r'id="head-\w+".*?data-count="(\d+)"', board, re.S)
    assert len(heads) == 3
    assert re.findall(r"<h2>\w+ \((\d+)\)</h2>", text) == heads
    assert "Terlambat" in text and " · " in text  # overdue badges, agency · region
    assert lean_app.get("/ping").get_data() == b"ok"
    assert lean_app.get("/lean/no-such-programme").status_code == 404
    served.database.close()


WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8000
  1 threads and 1 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.35ms  412.10us   9.12ms   90.00%
    Req/Sec   298.10     12.40   320.00     70.00%
  893 requests in 3.00s, 50.43MB read
BENCH requests=893 duration_us=3001234 p50=3310 p95=4120 p99=5230 max=9120 \
non2xx=2 socket_errors=1 ok=0 bad=0
Requests/sec:    297.55
Transfer/sec:     16.80MB
"""


def test_wrk_output_is_read():
    result = wrk.parse(WRK_OUTPUT)
    assert result.requests == 893
    assert result.p50_ms == pytest.approx(3.31)
    assert result.p95_ms == pytest.approx(4.12)
    assert result.p99_ms == pytest.approx(5.23)
    assert result.rps == pytest.approx(893 / 3.001234)
    assert result.failed == 3
    with pytest.raises(ValueError, match="no BENCH line"):
        wrk.parse("Running 1s test\n")


def test_a_run_is_written_as_a_table_with_ratios_and_targets():
    result = wrk.parse(WRK_OUTPUT)  # p50 3.31 ms, 297.55 req/s

    def row(page, scale):
        c1 = replace(result, p50_ms=result.p50_ms * scale, p95_ms=result.p95_ms * scale)
        c8 = replace(result, rps=result.rps / scale)
        return pages.Measured(page, c1, c8, size=int(100_000 * scale), sent="9 KB gzip")

    lean_rows = [row("lean page", 1), row("trivial endpoint", 0.1)]
    block = pages.Block("sqlite", 10_000, 12.0, lean_before=lean_rows, lean_after=lean_rows)
    block.rows = [row(page, 2) for page in pages.MIX]
    text = pages.markdown([block], "Measured today.")
    assert "| board | 6.6 | 8.2 |" in text
    assert "| 2.00x | 0.50x | 195 KB (9 KB gzip) |" in text
    assert "| board p50 <= 2.5x lean | 2.00x | met |" in text
    assert "| board HTML <= 120 KB | 195 KB | **missed** |" in text
    assert "people at work at once" in text


def test_the_board_in_turns_decides_its_three_ratios_by_the_median_round():
    result = wrk.parse(WRK_OUTPUT)  # p50 3.31 ms, 297.55 req/s

    def row(page, scale):
        c1 = replace(result, p50_ms=result.p50_ms * scale, p95_ms=result.p95_ms * scale)
        c8 = replace(result, rps=result.rps / scale)
        return pages.Measured(page, c1, c8, size=90_000)

    # The blocks alone: the host slowed down between N = 1,000 and N = 10,000, so the
    # board looks 1.5x slower at 10,000 and 3x the lean page.
    lean = [row("lean page", 1), row("trivial endpoint", 0.1)]
    small = pages.Block("sqlite", 1_000, 0, rows=[row("board", 2)], lean_before=lean)
    small.lean_after = lean
    large = pages.Block("sqlite", 10_000, 0, rows=[row("board", 3)], lean_before=lean)
    large.lean_after = lean
    # In turns, each round's three measures minutes apart at most: the host's speed (the
    # lean page) moves between rounds, the ratios hardly do; one round went wrong.
    rounds = [
        {"lean page": row("lean page", s), "board": row("board", 2 * s), "board at 1,000": b}
        for s, b in ((1, row("b", 2)), (2, row("b", 4)), (1.5, row("b", 1.5)))
    ]
    paired = pages.Pairs("sqlite", 1_000, 10_000, rounds)
    assert [round(r["growth"], 2) for r in paired.ratios()] == [1.0, 1.0, 2.0]
    text = pages.markdown([small, large], "Measured today.", [paired])
    assert "| median | | | | | | **2.00x** | **0.50x** | **1.00x** |" in text
    assert (
        "| board p50 <= 1.2x its p50 at N=1,000 | 1.00x in turns (3 rounds); "
        "1.50x in the block | met |"
    ) in text
    assert (
        "| board p50 <= 2.5x lean | 2.00x in turns (3 rounds); 3.00x in the block | met |" in text
    )
    assert (
        "| board req/s c=8 >= 0.4x lean | 0.50x in turns (3 rounds); 0.33x in the block | met |"
        in text
    )
    assert "| card move p95 <= 20 ms | n/a (no answers) | **missed** |" in text


class _Threaded(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def _serving(wsgi_app):
    server = make_server("127.0.0.1", 0, wsgi_app, _Threaded, _Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_the_wrk_scripts_run(generated, database_url, tmp_path):
    """A GET run on the lean page, and a move run on a card that refuses a stale version
    (409) as the app does: the script sends the version each answer showed."""
    lean_app = lean.make_app(database_url)
    server = _serving(lean_app)
    moves = {"version": 7, "refused": 0}

    def card(environ, start_response):
        form = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode()
        sent = int(re.search(r"version=(\d+)", form).group(1))
        status = "200 OK"
        if sent == moves["version"] and re.search(r"stage=development&.*position=[34]&", form):
            moves["version"] += 1
        else:
            moves["refused"] += 1
            status = "409 Conflict"
        body = f'<li id="card-5" class="card" data-version="{moves["version"]}">'
        start_response(status, [("Content-Type", "text/html")])
        return [body.encode()]

    mover = _serving(card)
    try:
        get = tmp_path / "get.lua"
        get.write_text(wrk.script({"Cookie": "a=b"}, paths=[f"/lean/{generate.SLUG}", "/ping"]))
        read = wrk.run(f"http://127.0.0.1:{server.server_port}", str(get), connections=1, seconds=1)
        assert read.requests > 0 and read.failed == 0
        assert 0 < read.p50_ms <= read.p95_ms <= read.p99_ms

        post = tmp_path / "move.lua"
        target = {"id": 5, "stage": "development", "version": 6, "path": "/move", "first": 3}
        post.write_text(wrk.script({}, cards=[target]))  # its version 6 is stale
        moved = wrk.run(
            f"http://127.0.0.1:{mover.server_port}", str(post), connections=1, seconds=1
        )
        assert moved.bad == 1 and moves["refused"] == 1  # only the first, stale one
        # wrk counts the answers it read; the server may have taken one more at the end.
        assert moved.requests > 1
        assert moves["version"] - 7 in (moved.requests - 1, moved.requests)
    finally:
        for running in (server, mover):
            running.shutdown()
            running.server_close()
        lean_app.database.close()

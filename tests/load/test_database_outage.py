"""PostgreSQL unreachable for 10 seconds (a TCP proxy between the app and the server is
cut): clean 503 pages in the reader's language with Retry-After, no other error, and the
app serves again by itself once the database is back (pool pre-ping)."""

import threading
import time

import pytest
import sqlalchemy as sa

from bench.serving import Client
from tests.load import workload

OUTAGE = 10.0
BEFORE, AFTER = 4.0, 8.0


# PostgreSQL only: SQLite is a file, there is no server to lose (and no skip to report).
@pytest.mark.parametrize("served", ["postgresql"], indirect=True)
def test_database_outage_gives_503_and_the_app_recovers_alone(demo):
    served, engine = demo
    server, proxy = served.server, served.proxy
    targets = workload.find_targets(engine)
    innovation_id, milestone_id = targets.milestones[workload.INNOVATORS[0]][0]
    browsers = []
    for language in ("en", "id", "en", "id"):
        client = Client(server.url, headers={"Accept-Language": language})
        client.log_in(workload.INNOVATORS[0], workload.PASSWORD)
        browsers.append((language, client))

    seen = []  # (started, language, kind, status, retry-after, body, token, ended)
    lock = threading.Lock()
    stop = threading.Event()

    def browse(n, language, client):
        i = 0
        while not stop.is_set():
            i += 1
            token = f"o{n}-{i}"
            started = time.monotonic()
            if i % 2:
                response = client.get("/my/innovations")
                kind = "read"
            else:
                response = client.post(
                    f"/innovations/{innovation_id}/milestones/{milestone_id}/progress",
                    {f"m{milestone_id}-progress": i % 100, f"m{milestone_id}-note": token},
                )
                kind = "write"
            with lock:
                seen.append(
                    (
                        started,
                        language,
                        kind,
                        response.status,
                        response.headers.get("Retry-After"),
                        response.text,
                        token,
                        time.monotonic(),
                    )
                )
            time.sleep(0.1)

    threads = [
        threading.Thread(target=browse, args=(n, lang, c)) for n, (lang, c) in enumerate(browsers)
    ]
    for thread in threads:
        thread.start()
    time.sleep(BEFORE)
    cut_at = time.monotonic()
    proxy.cut()
    time.sleep(OUTAGE)
    proxy.restore()
    back_at = time.monotonic()
    time.sleep(AFTER)
    stop.set()
    for thread in threads:
        thread.join(60)

    statuses = sorted({s[3] for s in seen})
    print(
        f"\noutage figures: requests {len(seen)}, 503 {sum(s[3] == 503 for s in seen)}, "
        f"refused connections {proxy.refused}, broken connections {proxy.cut_connections}, "
        f"statuses {statuses}"
    )
    # Only what a user should see: the page, a saved write (302), or the 503 page.
    assert set(statuses) <= {200, 302, 503}, statuses
    # Requests are timed from start to end, so a slow machine cannot blur the windows.
    during = [s for s in seen if cut_at + 1 < s[0] and s[7] < back_at]
    assert during and all(s[3] == 503 for s in during), [s[:4] for s in during][:10]
    for _, language, _, _, retry, body, _, _ in during:
        assert retry == "30"
        title = "Temporarily unavailable" if language == "en" else "Sementara tidak tersedia"
        assert title in body
    assert all(s[3] != 503 for s in seen if s[7] < cut_at)
    # Back by itself: within 5 seconds every browser is served again, and stays so.
    late = [s for s in seen if s[0] > back_at + 5]
    assert late and all(s[3] in {200, 302} for s in late), [s[:4] for s in late][:10]
    assert "WORKER TIMEOUT" not in server.log()

    # Every write the app said it saved is there.
    saved = {s[6] for s in seen if s[2] == "write" and s[3] == 302}
    with engine.connect() as conn:
        notes = set(
            conn.scalars(
                sa.text("SELECT note FROM progress_updates WHERE milestone_id = :m"),
                {"m": milestone_id},
            )
        )
    assert saved and saved <= notes

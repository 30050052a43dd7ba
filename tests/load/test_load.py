"""16 browsers for 30 seconds (LOAD_SECONDS) against gunicorn with 2 workers, on SQLite
and PostgreSQL, one worker killed with SIGKILL a third of the way in: no 5xx, no lost or
phantom write, and the app keeps serving."""

import json
import os
import time

from tests.load import workload

CLIENTS = 16
# 30 s, as the hardening issue asks; LOAD_SECONDS=5 for a quick local run.
SECONDS = float(os.environ.get("LOAD_SECONDS", "30"))


def test_daily_mix_under_load_with_a_worker_killed(demo):
    served, engine = demo
    server = served.server
    targets = workload.find_targets(engine)
    killed = {}

    def kill_a_worker(tally):
        time.sleep(SECONDS / 3)
        killed["pid"] = server.kill_worker()
        killed["at"] = time.monotonic()

    tally = workload.run(
        server.url, targets, clients=CLIENTS, seconds=SECONDS, during=kill_a_worker
    )
    figures = tally.figures()
    print(f"\nload figures ({engine.dialect.name}): {json.dumps(figures)}")

    assert figures["5xx"] == 0, [o for o in tally.outcomes if o.status and o.status >= 500][:5]
    unexpected = [
        (o.kind, o.status)
        for o in tally.where()
        if o.status not in ({200} if o.kind == "read" else {200, 409, 422})
    ]
    assert not unexpected, unexpected[:10]
    # Lenient floors: the CI machine is small and shared; the point is the checks below.
    assert len(tally.where("move", True)) >= 3 and len(tally.where("progress", True)) >= 3

    lost = workload.check_database(engine, targets, tally)
    assert lost == {}, lost

    # The master replaced the killed worker, and the app kept serving after the kill.
    assert killed["pid"] not in server.worker_pids()
    assert len(server.worker_pids()) == 2
    after = [o for o in tally.where(ok=True) if o.at > killed["at"] + 1]
    assert len(after) >= 5
    assert server.process.poll() is None

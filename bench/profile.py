"""Where a page's time goes: pyinstrument over repeated requests, in-process.

    .venv/bin/python -m bench.profile --innovations 10000 --page board [--requests 20]
        [--database URL] [--html out.html]

Uses the database bench.generate made (instance/bench-N.db unless --database; a missing
SQLite file is generated), the Flask test client logged in as the page's account, and
prints pyinstrument's call tree (frames under 2% hidden). The numbers are the app's
own work, without gunicorn and the network: read them as shares, not as latencies.
"""

import argparse
import os
from pathlib import Path

from . import generate, pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--innovations", type=int, default=10_000)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--page", default="board", choices=[p for p, _ in pages.PAGES])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--html", help="also write pyinstrument's HTML report here")
    args = parser.parse_args(argv)
    os.environ.setdefault("INCUBATOR_ENV", "development")

    from pyinstrument import Profiler

    from incubator import create_app

    url = generate.database_url(args.database, args.innovations)
    if url.startswith("sqlite") and not Path(url.removeprefix("sqlite:///")).exists():
        generate.build(url, args.innovations)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-profile",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SCHEDULER_IN_PROCESS": False,
        }
    )
    role = dict(pages.PAGES)[args.page]
    email = {
        "coordinator": generate.COORDINATOR,
        "innovator": generate.INNOVATOR,
        "mentor": generate.MENTOR,
    }[role]
    targets = pages.find_targets(url, 1)
    client = app.test_client()
    login = client.post("/login", data={"email": email, "password": generate.PASSWORD})
    assert login.status_code == 302, login.status_code
    headers = {"HX-Request": "true"} if args.page in pages.HTMX else {}

    def one(k: int):
        if args.page == "card move":
            card = targets.movable[0]
            card["version"] = _version(app, card["id"])
            data = {
                "stage": card["stage"],
                "from_stage": card["stage"],
                "position": k % 2 + 1,
                "version": card["version"],
            }
            return client.post(card["path"], data=data, headers=headers)
        if args.page == "progress update":
            milestone = targets.milestones[0]
            data = {
                f"m{milestone['id']}-progress": (k % 9 + 1) * 10,
                f"m{milestone['id']}-note": f"profile {k}",
                "mode": "mine",
            }
            return client.post(milestone["path"], data=data, headers=headers)
        paths = pages.page_paths(args.page, targets)
        return client.get(paths[k % len(paths)], headers=headers)

    one(0)  # warm: templates compiled, connections open
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for k in range(args.requests):
        response = one(k + 1)
        assert response.status_code == 200, response.status_code
    profiler.stop()
    print(
        f"{args.page}, N={args.innovations:,}, {url.split(':')[0]}: {args.requests} requests, "
        f"{profiler.last_session.duration / args.requests * 1000:.1f} ms each (profiled)"
    )
    print(profiler.output_text(unicode=True, color=False, show_all=False, time="percent_of_total"))
    if args.html:
        Path(args.html).write_text(profiler.output_html())


def _version(app, card_id: int) -> int:
    import sqlalchemy as sa

    from incubator.extensions import db

    with app.app_context():
        version = db.session.execute(
            sa.text("SELECT version FROM innovations WHERE id = :id"), {"id": card_id}
        ).scalar_one()
        db.session.remove()
    return version


if __name__ == "__main__":
    main()

"""The lean page: the board's 150 cards with raw SQL and one compiled Jinja template.

The yardstick of issue 14: what drawing the same cards costs without the ORM, the
auth, the translations and the framework. A WSGI app of its own, served like the
app (`bench.serving.serve(url, app="bench.lean:app")`), on the same database:

    GET /lean/<slug>   the first 50 active cards of each stage, as the board draws them
                       (title, agency and region, owner, mentor initials, next milestone
                       and its date, overdue badge, done/total, Move), column counts
    GET /ping          the trivial endpoint: what the server itself costs

It reads DATABASE_URL (sqlite:///path or postgresql[+psycopg]://...), one connection
per thread.
"""

import os
import threading
from datetime import date

from jinja2 import Environment

PAGE = 50
STAGES = ("creation", "development", "institutionalisation")
HEADS = {
    "creation": "Penciptaan",
    "development": "Pengembangan",
    "institutionalisation": "Pelembagaan",
}

TEMPLATE = Environment(autoescape=True).from_string(
    '<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{{ name }}</title>'
    '</head>\n<body><main class="board">{% for stage, cards in columns %}'
    '<section class="column"><h2>{{ heads[stage] }} ({{ counts.get(stage, 0) }})</h2><ol>\n'
    '{% for c in cards %}<li class="card{% if c.overdue %} late{% endif %}" id="card-{{ c.id }}">'
    '<h3><a href="{{ prefix }}{{ c.id }}">{{ c.title }}</a></h3>'
    "<div>{{ c.agency }} · {{ c.region }}</div>"
    '<div><abbr title="{{ c.owner }}">{{ c.owner_initials }}</abbr>'
    "{% for m in c.mentors %} <abbr>{{ m }}</abbr>{% endfor %}"
    "{% if c.next %} {{ c.next }} · <time>{{ c.due }}</time>{% endif %}</div>"
    "<div>{% if c.overdue %}<b>Terlambat</b> {% endif %}{{ c.done }}/{{ c.total }}</div>"
    '<button hx-get="{{ prefix }}{{ c.id }}/move">Pindahkan</button></li>\n'
    "{% endfor %}</ol></section>{% endfor %}</main></body></html>"
)

CARDS = """SELECT i.id, i.title, i.stage, a.name, r.name, u.name FROM innovations i
LEFT JOIN agencies a ON a.id = i.agency_id LEFT JOIN regions r ON r.id = a.region_id
LEFT JOIN users u ON u.id = i.owner_id
WHERE i.programme_id = %s AND i.state = 'active' AND NOT i.is_proposal AND i.stage = %s
ORDER BY i.position, i.id LIMIT %s"""
# The column heads, from the counts the database keeps (as the board reads them).
COUNTS = """SELECT stage, count FROM column_counts WHERE programme_id = %s AND state = 'active'"""
MENTORS = """SELECT ma.innovation_id, u.name FROM mentor_assignments ma
JOIN users u ON u.id = ma.mentor_id
WHERE ma.innovation_id IN ({ids}) AND ma.unassigned_at IS NULL ORDER BY u.name"""
STATS = """SELECT m.innovation_id,
SUM(CASE WHEN m.stage = i.stage THEN 1 ELSE 0 END),
SUM(CASE WHEN m.stage = i.stage AND m.done_at IS NOT NULL THEN 1 ELSE 0 END),
SUM(CASE WHEN m.done_at IS NULL AND m.due_date < %s THEN 1 ELSE 0 END)
FROM milestones m JOIN innovations i ON i.id = m.innovation_id
WHERE m.innovation_id IN ({ids}) GROUP BY m.innovation_id"""
NEXT = """SELECT innovation_id, title, due_date FROM (SELECT innovation_id, title, due_date,
ROW_NUMBER() OVER (PARTITION BY innovation_id ORDER BY due_date IS NULL, due_date, id) AS rank
FROM milestones WHERE innovation_id IN ({ids}) AND done_at IS NULL) ranked WHERE rank = 1"""
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def initials(name: str | None) -> str:
    parts = (name or "").replace(".", " ").split()
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def short_date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value.day} {MONTHS[value.month - 1]}"


class Database:
    """One connection per thread; `query(sql, params)` with %s placeholders."""

    def __init__(self, url: str):
        self.url = url
        self.local = threading.local()
        self.sqlite = url.startswith("sqlite")
        self.opened = []

    def connection(self):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            if self.sqlite:
                import sqlite3

                conn = sqlite3.connect(self.url.split(":///", 1)[1], check_same_thread=False)
            else:
                import psycopg

                conn = psycopg.connect(self.url.replace("+psycopg", ""), autocommit=True)
            self.local.conn = conn
            self.opened.append(conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection (the app is done)."""
        for conn in self.opened:
            conn.close()
        self.opened.clear()
        self.local = threading.local()

    def query(self, sql: str, params=()) -> list[tuple]:
        if self.sqlite:
            sql = sql.replace("%s", "?")
        cursor = self.connection().execute(sql, params)
        return cursor.fetchall()


def board(db: Database, slug: str) -> str | None:
    found = db.query("SELECT id, name FROM programmes WHERE slug = %s", (slug,))
    if not found:
        return None
    programme_id, name = found[0]
    cards, columns = {}, []
    for stage in STAGES:
        column = []
        for row in db.query(CARDS, (programme_id, stage, PAGE)):
            card = {
                "id": row[0],
                "title": row[1],
                "agency": row[3],
                "region": row[4],
                "owner": row[5],
                "owner_initials": initials(row[5]),
                "mentors": [],
                "next": None,
                "due": "",
                "overdue": False,
                "done": 0,
                "total": 0,
            }
            cards[row[0]] = card
            column.append(card)
        columns.append((stage, column))
    if cards:
        ids = ",".join(str(int(i)) for i in cards)
        for innovation_id, mentor in db.query(MENTORS.format(ids=ids)):
            cards[innovation_id]["mentors"].append(initials(mentor))
        today = date.today()
        for innovation_id, total, done, late in db.query(
            STATS.format(ids=ids), (today.isoformat() if db.sqlite else today,)
        ):
            cards[innovation_id].update(total=total or 0, done=done or 0, overdue=bool(late))
        for innovation_id, title, due in db.query(NEXT.format(ids=ids)):
            cards[innovation_id].update(next=title, due=short_date(due))
    counts = dict(db.query(COUNTS, (programme_id,)))
    return TEMPLATE.render(
        name=name, columns=columns, counts=counts, heads=HEADS, prefix=f"/programmes/{slug}/cards/"
    )


def make_app(url: str):
    db = Database(url)

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/ping":
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
        if path.startswith("/lean/"):
            html = board(db, path.removeprefix("/lean/"))
            if html is not None:
                body = html.encode()
                start_response(
                    "200 OK",
                    [
                        ("Content-Type", "text/html; charset=utf-8"),
                        ("Content-Length", str(len(body))),
                    ],
                )
                return [body]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    app.database = db
    return app


def __getattr__(name: str):
    # `bench.lean:app` for gunicorn, built on first use from DATABASE_URL.
    if name == "app":
        from config import normalise_database_url

        globals()["app"] = make_app(normalise_database_url(os.environ["DATABASE_URL"]))
        return globals()["app"]
    raise AttributeError(name)

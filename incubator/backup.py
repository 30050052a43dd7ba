"""`flask backup PATH`: a consistent copy of a running SQLite database and its uploads.

SQLite's online backup API copies the database in one step under a read transaction:
in WAL mode writers carry on meanwhile, and the copy is the database as it was at
one instant. PostgreSQL has its own tools (pg_dump), so the command refuses it.
"""

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

DATABASE_FILE = "incubator.db"
UPLOADS_DIR = "uploads"


class BackupRefused(Exception):
    """Said to the person at the command line, with what to do instead."""


def backup(database_uri: str, uploads: Path | None, destination: Path) -> dict:
    url = make_url(database_uri)
    if url.get_backend_name() != "sqlite":
        raise BackupRefused(
            "This command copies SQLite databases. For PostgreSQL use pg_dump, e.g.\n"
            '  pg_dump --format=custom --file=incubator.dump "$DATABASE_URL"\n'
            "and pg_restore to bring it back (see the README, Backups)."
        )
    source = Path(url.database or "")
    if not url.database or not source.is_file():
        raise BackupRefused(f"No SQLite database at {source}.")
    if destination.exists() and any(destination.iterdir()):
        raise BackupRefused(f"{destination} is not empty: choose a new folder.")
    destination.mkdir(parents=True, exist_ok=True)

    target = destination / DATABASE_FILE
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # pages=-1: one step, one snapshot, however busy the source is
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        tables = dst.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[
            0
        ]
    finally:
        dst.close()
        src.close()
    if check != "ok":
        raise BackupRefused(f"The copy failed its integrity check: {check}")

    # After the database: a file is written before the row that names it, so every
    # upload the copied rows mention is already there.
    files = 0
    if uploads is not None and uploads.is_dir():
        shutil.copytree(uploads, destination / UPLOADS_DIR)
        files = sum(1 for p in (destination / UPLOADS_DIR).rglob("*") if p.is_file())
    return {"database": target, "tables": tables, "uploads": files}

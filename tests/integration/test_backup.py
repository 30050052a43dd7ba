"""`flask backup PATH`: a consistent copy of a running SQLite database, with the uploads."""

import threading
from pathlib import Path

from sqlalchemy import select

from incubator.extensions import db
from incubator.models import User
from tests import factories
from tests.conftest import make_app


def test_backup_while_writing_keeps_every_committed_row(sqlite_template, tmp_path):
    import shutil

    source = tmp_path / "live.db"
    shutil.copy(sqlite_template, source)
    uploads = tmp_path / "uploads"
    (uploads / "ab").mkdir(parents=True)
    (uploads / "ab" / "report.pdf").write_bytes(b"%PDF-1.7 evidence")
    app = make_app(f"sqlite:///{source}", UPLOAD_FOLDER=str(uploads))

    committed: list[str] = []
    enough_before = threading.Event()
    stop = threading.Event()
    failures: list[BaseException] = []

    def writer():
        try:
            with app.app_context():
                n = 0
                while not stop.is_set():
                    email = f"writer{n}@example.org"
                    factories.make_user(email=email)
                    db.session.commit()
                    committed.append(email)
                    n += 1
                    if n == 30:
                        enough_before.set()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 (reported by the test below)
            failures.append(error)
            enough_before.set()

    thread = threading.Thread(target=writer)
    thread.start()
    assert enough_before.wait(30)
    before = list(committed)  # committed before the backup began: all must be in the copy
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy")])
    after_backup = len(committed)
    while len(committed) < after_backup + 20 and thread.is_alive():
        pass  # the app keeps writing after the copy
    stop.set()
    thread.join(30)
    assert not failures, failures
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output
    assert "1 uploaded files" in result.output

    restored = make_app(f"sqlite:///{tmp_path / 'copy' / 'incubator.db'}")
    with restored.app_context():
        emails = set(db.session.scalars(select(User.email)))
        db.engine.dispose()
    writers = {e for e in emails if e.startswith("writer")}
    assert set(before) <= writers  # every row committed before the copy is in it
    assert writers <= set(committed)  # and nothing half-written
    # A snapshot: the rows are a prefix of the commit order, with no gap.
    assert writers == set(committed[: len(writers)])
    assert (tmp_path / "copy" / "uploads" / "ab" / "report.pdf").read_bytes() == (
        b"%PDF-1.7 evidence"
    )
    with app.app_context():
        db.engine.dispose()


def test_backup_refuses_a_folder_that_is_not_empty(app, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x").write_text("x")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "old")])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert result.exit_code == 1
        assert "not empty" in result.output
    else:
        assert "pg_dump" in result.output


def test_backup_points_postgresql_at_pg_dump(postgres_url, tmp_path):
    app = make_app(postgres_url)
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "copy")])
    assert result.exit_code == 1
    assert "pg_dump" in result.output
    assert "pg_restore" in result.output
    assert not Path(tmp_path / "copy").exists()
    with app.app_context():
        db.engine.dispose()

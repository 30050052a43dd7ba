"""Migration p0001 with data in it: existing programmes keep the agencies they offered."""

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade

from incubator.extensions import db

NOW = "2026-01-05 01:00:00"


def _before_places() -> str:
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_revision("p0001").down_revision


def _insert(conn, table: str, **values) -> None:
    columns = ", ".join(values)
    params = ", ".join(f":{k}" for k in values)
    conn.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES ({params})"), values)


def _innovation(conn, id_: int, programme_id: int, agency_id: int | None) -> None:
    _insert(
        conn,
        "innovations",
        id=id_,
        programme_id=programme_id,
        title=f"Innovation {id_}",
        summary="",
        problem="",
        category="public_service",
        is_digital=False,
        links="[]",
        agency_id=agency_id,
        stage="creation",
        state="active",
        is_proposal=False,
        position=1024,
        stage_entered_at=NOW,
        created_at=NOW,
        updated_at=NOW,
        version=1,
    )


def test_existing_programmes_keep_their_agencies_and_regencies(app):
    downgrade(revision=_before_places())
    db.engine.dispose()
    with db.engine.begin() as conn:
        _insert(conn, "regions", id=1, name="Nusa Tenggara Timur", kind="province")
        _insert(conn, "regions", id=2, name="Belu", kind="regency", parent_id=1)
        _insert(conn, "regions", id=3, name="Sumba Timur", kind="regency", parent_id=1)
        _insert(conn, "regions", id=4, name="Bali", kind="province")
        _insert(conn, "agencies", id=1, name="Dinas Kesehatan Belu", region_id=2)
        _insert(conn, "agencies", id=2, name="Bappeda NTT", region_id=1)
        _insert(conn, "agencies", id=3, name="Dinas Pariwisata Bali", region_id=4)
        _insert(conn, "agencies", id=4, name="Dinas Sosial Bali", region_id=4)
        for id_, slug, region_id in ((1, "ntt", 1), (2, "bali", 4), (3, "none", None)):
            _insert(
                conn,
                "programmes",
                id=id_,
                slug=slug,
                name=slug,
                region_id=region_id,
                timezone="Asia/Makassar",
                wip_limits="{}",
                archived=False,
                created_at=NOW,
            )
        _innovation(conn, 1, 1, 3)  # NTT's innovation uses a Bali agency: it stays offered
        _innovation(conn, 2, 3, None)

    upgrade()
    db.engine.dispose()

    with db.engine.connect() as conn:
        participants = conn.execute(
            sa.text("SELECT programme_id, agency_id FROM programme_agencies ORDER BY 1, 2")
        ).all()
        ticked = conn.execute(
            sa.text("SELECT programme_id, region_id FROM programme_regions ORDER BY 1, 2")
        ).all()
        codes = conn.execute(sa.text("SELECT code FROM regions")).scalars().all()
    assert participants == [(1, 1), (1, 2), (1, 3), (2, 3), (2, 4)]
    assert ticked == [(1, 2)]  # Belu has an agency; Sumba Timur had none
    assert codes == [None] * 4  # `flask regions load` fills them

"""Inviting many people from a CSV or XLSX: preview every row, then all or nothing."""

import io
import json

from openpyxl import Workbook
from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import Invitation, OutboxMessage, User
from tests import factories


def upload(client, world, content: bytes, name="people.csv", lang="en"):
    return client.post(
        f"/programmes/{world.programme.slug}/people/import?lang={lang}",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def confirm(client, world, rows):
    return client.post(
        f"/programmes/{world.programme.slug}/people/import/confirm",
        data={"rows": json.dumps(rows)},
    )


def invitations() -> int:
    return db.session.scalar(select(func.count(Invitation.id)))


def rows_sent_back(html: str) -> list:
    import re

    [value] = re.findall(r'name="rows" type="hidden" value="([^"]*)"', html)
    return json.loads(value.replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&"))


def test_forty_people_from_a_csv_after_a_preview(client, world, login):
    agency = factories.make_agency(world.programme.region_id, "Dinas Kesehatan")
    db.session.commit()
    lines = ["Nama;Email;Peran;OPD;Kapasitas;Bahasa"]
    for n in range(38):
        lines.append(f"Inovator {n};inov{n}@example.org;inovator;dinas kesehatan;;")
    lines.append("Mentor Satu;mentor1@example.org;mentor;;4;en")
    lines.append(f"Sudah Ada;{world.foreign_coordinator.email};pendamping;;;")
    login(world.coordinator)
    preview = upload(client, world, "\n".join(lines).encode())
    assert preview.status_code == 200
    assert "40 people are ready to be invited." in preview.text
    assert invitations() == 0  # nothing before the confirmation
    response = confirm(client, world, rows_sent_back(preview.text))
    assert response.status_code == 302
    assert invitations() == 40
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 40
    mentor = db.session.scalar(select(User).where(User.email == "mentor1@example.org"))
    assert (mentor.mentor_capacity, mentor.locale) == (4, "en")
    assert agency.id


def test_bad_rows_are_named_and_nothing_is_imported_until_fixed(client, world, login):
    content = (
        "name,email,role\n"
        "Ana,ana@example.org,innovator\n"
        "Budi,not-an-email,mentor\n"
        "Citra,citra@example.org,boss\n"
        f"Dewi,{world.mentor.email},mentor\n"
        "Eka,ana@example.org,innovator\n"
    ).encode()
    login(world.coordinator)
    preview = upload(client, world, content)
    assert preview.status_code == 422
    text = preview.text
    assert "4 rows have a problem" in text
    assert "This is not a valid email address." in text
    assert "Unknown role “boss”" in text
    assert "is already in this programme" in text
    assert "This email is already on row 2." in text
    assert 'name="rows"' not in text  # no confirm button
    good = [[2, "Ana", "ana@example.org", "innovator"], [3, "Budi", "bad", "mentor"]]
    assert confirm(client, world, good).status_code == 422  # sent back anyway: refused
    assert invitations() == 0


def test_an_xlsx_file_works_and_a_broken_file_is_a_clear_error(client, world, login):
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Email", "Role"])
    sheet.append(["Fransiska", "fransiska@example.org", "Mentor"])
    data = io.BytesIO()
    book.save(data)
    login(world.coordinator)
    preview = upload(client, world, data.getvalue(), name="people.xlsx")
    assert preview.status_code == 200 and "fransiska@example.org" in preview.text
    broken = upload(client, world, b"not a zip", name="people.xlsx")
    assert broken.status_code == 422 and 'id="file-error"' in broken.text
    assert upload(client, world, b"", name="").status_code == 422
    assert confirm(client, world, "not a list").status_code == 400
    assert invitations() == 0

"""Inviting many people from a CSV or XLSX: preview every row, then all or nothing."""

import io
import re

from openpyxl import Workbook
from sqlalchemy import func, select

from incubator import stash
from incubator.extensions import db
from incubator.models import Invitation, OutboxMessage, User
from tests import factories


def upload(client, world, content: bytes, name="people.csv", lang="en"):
    return client.post(
        f"/programmes/{world.programme.slug}/people/import?lang={lang}",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def confirm(client, world, token):
    return client.post(
        f"/programmes/{world.programme.slug}/people/import/confirm", data={"token": token}
    )


def invitations() -> int:
    return db.session.scalar(select(func.count(Invitation.id)))


def token_in(html: str) -> str:
    [value] = re.findall(r'name="token" type="hidden" value="([^"]*)"', html)
    return value


def test_forty_people_from_a_csv_after_a_preview(client, world, login):
    agency = factories.make_agency(
        world.programme.region_id, "Dinas Kesehatan", programme=world.programme
    )
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
    response = confirm(client, world, token_in(preview.text))
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
    assert 'name="token"' not in text  # no confirm button
    # Even confirmed (a token made for this very file), the bad rows import nothing.
    token = stash.stash(content, "people.csv", purpose="people-import", owner=owner(world))
    again = confirm(client, world, token)
    assert again.status_code == 422 and "4 rows have a problem" in again.text
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
    assert confirm(client, world, "forged").status_code == 400
    assert invitations() == 0


def owner(world) -> str:
    return f"{world.coordinator.id}:{world.programme.id}"


def test_a_preview_belongs_to_its_coordinator_and_programme(client, world, login):
    login(world.coordinator)
    content = b"name,email,role\nAna,ana@example.org,innovator\n"
    token = stash.stash(content, "p.csv", purpose="people-import", owner="999:999")
    assert confirm(client, world, token).status_code == 400
    assert invitations() == 0

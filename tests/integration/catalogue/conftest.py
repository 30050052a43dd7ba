"""Fixtures for documents, the catalogue, replication and the API."""

import io
import zipfile

import pytest

from tests.integration.innovations.conftest import as_, client, fresh  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def office_zip(*parts: str, content_types: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", "<Types/>")
        for part in parts:
            archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.fixture
def uploads(app, tmp_path):
    """The upload folder of this test (empty), as a Path."""
    folder = tmp_path / "uploads"
    app.config["UPLOAD_FOLDER"] = str(folder)
    return folder


def stored_files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def multipart(fields: dict, file: tuple[bytes, str] | None, field: str = "file") -> bytes:
    """A multipart body built by hand: the test client spools large forms to a temporary
    file it never closes when the server refuses early."""
    parts = [
        f'--b\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    if file is not None:
        data, name = file
        head = f'--b\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
        parts.append(head.encode() + b"Content-Type: application/octet-stream\r\n\r\n")
        parts.append(data + b"\r\n")
    return b"".join(parts) + b"--b--\r\n"


def upload(http, innovation_id, data: bytes, name: str, **fields):
    body = multipart({"kind": "other", "milestone_id": "0", **fields}, (data, name))
    return http.post(
        f"/innovations/{innovation_id}/documents",
        data=body,
        content_type="multipart/form-data; boundary=b",
    )


def download(http, document_id):
    """GET a document and close the response (send_file keeps the file open until then)."""
    response = http.get(f"/documents/{document_id}")
    response.get_data()
    response.close()
    return response


def publish(innovation, **fields):
    """Put `innovation` in the public catalogue as the flow would (both sides agreed)."""
    from incubator.extensions import db
    from incubator.models import utcnow

    for name, value in fields.items():
        setattr(innovation, name, value)
    innovation.published_at = innovation.consent_at = utcnow()
    db.session.flush()
    return innovation

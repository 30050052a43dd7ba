"""Uploaded files kept between an import's preview and its confirmation.

Why a stash and not the client: a browser cannot refill a file input, and rows
sent back from the preview page could be edited on the way. The file is kept
in the instance folder under its SHA-256; the page carries only a signed,
expiring token naming that hash, the owner (user and programme) and the file
name. Confirming reads the bytes again, checks their hash, and checks every
row again against the database as it is then.
"""

import hashlib
import os
import re
import time
from pathlib import Path

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

MAX_AGE = 3600  # seconds a preview stays confirmable
KEEP_FILES = 24 * 3600  # older stashed files are swept on the next stash
DIGEST = re.compile(r"^[0-9a-f]{64}$")


def _folder() -> Path:
    return Path(current_app.instance_path) / "imports"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"stash:{purpose}")


def stash(data: bytes, filename: str, *, purpose: str, owner: str) -> str:
    """Keep `data`; returns the token that gives it back to `owner` for `purpose`."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    digest = hashlib.sha256(data).hexdigest()
    path = folder / digest
    if not path.exists():
        partial = folder / f"{digest}.{os.getpid()}.part"
        partial.write_bytes(data)
        partial.replace(path)  # atomic: a reader never sees half a file
    name = Path(filename).name[-120:] or "upload"
    return _serializer(purpose).dumps({"sha": digest, "name": name, "owner": owner})


def unstash(token: str, *, purpose: str, owner: str) -> tuple[str, bytes] | None:
    """(file name, bytes) for a valid, unexpired token of this owner; None otherwise."""
    try:
        payload = _serializer(purpose).loads(token, max_age=MAX_AGE)
    except BadData:
        return None
    if not isinstance(payload, dict) or payload.get("owner") != owner:
        return None
    digest = str(payload.get("sha", ""))
    if not DIGEST.match(digest):
        return None
    try:
        data = (_folder() / digest).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != digest:
        return None
    return str(payload.get("name", "upload")), data


def _sweep(folder: Path) -> None:
    cutoff = time.time() - KEEP_FILES
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue  # another request swept it first

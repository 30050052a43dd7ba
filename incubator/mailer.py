"""Mail backends: one `.eml` file per message by default, SMTP in production."""

import os
import uuid
from datetime import UTC, datetime

from flask import Flask
from flask_mailman.backends.base import BaseEmailBackend

BACKENDS = {
    # Flask-Mailman imports "<module>.<name>" only when the name ends in "EmailBackend".
    "file": "incubator.mailer.EmailBackend",
    "smtp": "smtp",
    "locmem": "locmem",
    "console": "console",
}


class EmlFileBackend(BaseEmailBackend):
    """Writes each message as its own `.eml` file, which any mail client opens."""

    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_path = os.path.abspath(file_path or self.mailman.file_path)
        os.makedirs(self.file_path, exist_ok=True)

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            name = os.path.join(self.file_path, f"{stamp}-{uuid.uuid4().hex[:8]}.eml")
            with open(name, "wb") as handle:
                handle.write(message.message().as_bytes())
            sent += 1
        return sent


EmailBackend = EmlFileBackend


def configure_mail(app: Flask) -> None:
    name = app.config.get("MAIL_BACKEND", "file")
    if name in BACKENDS:
        app.config["MAIL_BACKEND"] = BACKENDS[name]
    elif "." not in name:
        raise RuntimeError(f"MAIL_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")

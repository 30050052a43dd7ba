"""People tests send real mail: the reminder tests' aiosmtpd server and app."""

import re

from tests.integration.reminders.conftest import app, smtp, smtp_controller  # noqa: F401

BASE_URL = "http://incubator.test"


def invitation_path(message) -> str:
    """The invitation link of an email, as a path on the test client."""
    text = message.get_body(("plain",)).get_content()
    [link] = re.findall(re.escape(BASE_URL) + r"/invitations/[\w.-]+", text)
    return link.removeprefix(BASE_URL)


def invite(client, programme, **fields):
    data = {"name": "Yohana Bria", "email": "yohana@example.org", "role": "innovator", **fields}
    data.setdefault("locale", "id")
    return client.post(f"/programmes/{programme.slug}/people/invite", data=data)

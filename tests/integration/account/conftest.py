"""Account tests send real mail: the reminder tests' aiosmtpd server and app."""

from tests.integration.reminders.conftest import app, smtp, smtp_controller  # noqa: F401

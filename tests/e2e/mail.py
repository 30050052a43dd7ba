"""Browser tests that read email: a live server sending through aiosmtpd on loopback.

`mail_server` starts the app on a fresh, migrated database (demo data or empty),
with BASE_URL set to the address it serves, so the links in emails open in the
browser. `deliver()` sends what the outbox holds, as the scheduler would.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from incubator.demo import seed_demo
from incubator.extensions import db
from tests.conftest import make_app, migrate_to_head
from tests.e2e.conftest import LiveServer
from tests.integration.reminders.conftest import LoopbackController, RecordingHandler

SCREENS = Path(__file__).resolve().parents[2] / "test-results" / "screens"
SIZES = {"phone": (390, 844), "desktop": (1440, 900)}


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[LoopbackController]:
    controller = LoopbackController(RecordingHandler())
    controller.start()
    yield controller
    controller.stop()


class MailServer(LiveServer):
    def __init__(self, app, smtp: RecordingHandler):
        super().__init__(app)
        self.smtp = smtp
        app.config["BASE_URL"] = self.url

    def deliver(self) -> int:
        from incubator.reminders.delivery import deliver

        with self.app.app_context():
            result = deliver()
            db.session.remove()
        return result.sent

    def links(self, to: str, pattern: str) -> list[str]:
        """Links matching `pattern` in the plain text of the emails sent to `to`."""
        found = []
        for message in self.smtp.messages:
            if message["To"].addresses[0].addr_spec == to:
                text = message.get_body(("plain",)).get_content()
                found += re.findall(re.escape(self.url) + pattern, text)
        return found


def start_mail_server(tmp_path, smtp_server, *, demo: bool) -> MailServer:
    smtp_server.handler.reset()
    url = f"sqlite:///{tmp_path / 'e2e-mail.db'}"
    app = make_app(
        url,
        WTF_CSRF_ENABLED=True,
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_server.port,
        MAIL_TIMEOUT=5,
    )
    migrate_to_head(app)
    if demo:
        with app.app_context():
            seed_demo()
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
    return MailServer(app, smtp_server.handler)


def screenshot(page, name: str) -> None:
    """The page at phone and desktop size, into test-results/screens/ (not committed)."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENS / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size(before)

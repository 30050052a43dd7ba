"""Logged-in browser tabs on the shared demo server, one per role and screen size.

Logging in once per role and size, and switching the language by the person's saved
choice (which wins over everything else, DESIGN: Language), keeps a pass over
every page quick: no new browser, database or login per page.
"""

from flask import Flask
from sqlalchemy import update

from incubator.demo import DEMO_PASSWORD
from incubator.extensions import db
from incubator.models import User
from tests.pages import ANON, EMAILS, Demo, Page

# 200 % zoom of a 1440x900 window is a 720x450 CSS-pixel viewport at twice the density.
VIEWPORTS = {
    "laptop": {"viewport": {"width": 1440, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
    },
    "zoom200": {"viewport": {"width": 720, "height": 450}, "device_scale_factor": 2},
    # ...and of a 1536x864 one: 768 px, the narrowest width that shows three columns.
    "zoom200_1536": {"viewport": {"width": 768, "height": 432}, "device_scale_factor": 2},
}


class Screens:
    def __init__(self, browser, server):
        self.browser = browser
        self.server = server
        self.app: Flask = server.app
        self.tabs: dict = {}
        self.saved_locale: dict[str, str] = {}
        with self.app.app_context():
            self.demo = Demo.load()

    def url(self, page: Page) -> str:
        with self.app.test_request_context():
            return page.url(self.demo)

    def tab(self, role: str, lang: str, size: str = "laptop"):
        """A page logged in as `role` (or nobody), showing text in `lang`."""
        key = (role, size, lang if role == ANON else None)
        if key not in self.tabs:
            context = self.browser.new_context(
                locale="en-US", base_url=self.server.url, **VIEWPORTS[size]
            )
            context.set_default_timeout(10_000)
            page = context.new_page()
            if role == ANON:
                page.goto(f"/login?lang={lang}")
            else:
                page.goto("/login")
                page.locator("input[name=email]").fill(EMAILS[role])
                page.locator("input[name=password]").fill(DEMO_PASSWORD)
                page.locator("main form [type=submit]").click()
                page.wait_for_url(lambda url: "/login" not in url)
            self.tabs[key] = page
        if role != ANON:
            self.save_locale(EMAILS[role], lang)
        return self.tabs[key]

    def save_locale(self, email: str, lang: str) -> None:
        if self.saved_locale.get(email) == lang:
            return
        with self.app.app_context():
            db.session.execute(update(User).where(User.email == email).values(locale=lang))
            db.session.commit()
        self.saved_locale[email] = lang

    def close(self) -> None:
        for page in self.tabs.values():
            page.context.close()
        self.tabs.clear()

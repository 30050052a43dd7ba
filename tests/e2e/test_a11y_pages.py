"""axe-core over every page type, as each role that sees it, in Indonesian and English.

Every entry of tests/pages.py at 1440x900; the daily pages (DAILY) at 390x844 too;
and the htmx states that matter (the Move dialog, the card panel, forms with errors).
A failure names the rule and the element. One browser, one seeded database and
one login per role and size serve the whole pass (tests/e2e/screens.py).
"""

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import describe, inject, violations
from tests.pages import ANON, DAILY, INN, PAGES, C, M

LANGS = ("id", "en")

# (rule id, selector axe reports) -> why it is accepted. Keep this empty if you can.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def settle(page) -> None:
    """Wait until transitions (Bootstrap's fades and slides) are over: contrast is measured."""
    # A function, not an expression: Playwright evals expressions, which the CSP refuses.
    page.wait_for_function(
        "() => document.getAnimations().every((a) => a.playState !== 'running')"
        " && !document.querySelector('.collapsing, .offcanvas.showing, .modal-backdrop:not(.show)')"
    )


def open_move_dialog(page):
    page.locator(".board-list > li > button").first.click()  # Move
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("#move-stage")).to_be_focused()


def move_dialog_with_error(page):
    open_move_dialog(page)
    dialog = page.get_by_role("dialog")
    dialog.locator("#move-position").fill("0")
    dialog.locator("button[type=submit]").click()
    expect(dialog.locator("#move-position-error")).to_be_visible()


def open_card_panel(page):
    page.locator(".board-list > li h3 a").first.click()
    expect(page.locator("#card-panel.show .card-detail")).to_be_visible()


def open_filters(page):
    page.locator(".board-filters-toggle").click()
    expect(page.locator("#board-filters")).to_be_visible()


def progress_with_error(page):
    opener = page.locator("details.progress-edit:not([open]) > summary").first
    if opener.count():  # "My innovations": the form opens on demand
        opener.click()
    form = page.locator(".progress-form").first
    form.locator("input[type=number]").fill("150")
    form.locator("[type=submit]").click()
    expect(page.locator(".progress-form .invalid-feedback").first).to_be_visible()


def feedback_with_error(page):
    thread = page.locator(".feedback-thread").first
    thread.locator("[type=submit]").last.click()
    expect(thread.locator(".invalid-feedback")).to_be_visible()


def innovation_form_with_errors(page):
    page.locator("main form [type=submit]").last.click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()


@dataclass(frozen=True)
class Case:
    page: str  # a key of PAGES
    role: str
    lang: str
    size: str = "laptop"
    state: object = None  # a function that brings the page into an htmx state

    @property
    def id(self) -> str:
        state = f" [{self.state.__name__}]" if self.state else ""
        return f"{self.page}{state}-{self.role}-{self.lang}-{self.size}"


STATES = [
    ("board.board", C, open_move_dialog, ("laptop", "phone")),
    ("board.board", C, move_dialog_with_error, ("laptop",)),
    ("board.board", INN, open_card_panel, ("laptop", "phone")),
    ("board.board", C, open_filters, ("phone",)),
    ("innovations.mine", INN, progress_with_error, ("laptop", "phone")),
    ("mentoring.feedback_page", M, feedback_with_error, ("laptop",)),
    ("innovations.create", C, innovation_form_with_errors, ("laptop",)),
]


def build_cases() -> list[Case]:
    cases = []
    for lang in LANGS:  # one language at a time: fewer switches of the saved choice
        for page in PAGES:
            for role in page.roles:
                cases.append(Case(page.key, role, lang))
                if page.endpoint in DAILY and page.key == page.endpoint:
                    cases.append(Case(page.key, role, lang, "phone"))
        for key, role, state, sizes in STATES:
            cases.extend(Case(key, role, lang, size, state) for size in sizes)
    return cases


CASES = build_cases()
BY_KEY = {page.key: page for page in PAGES}


@pytest.mark.e2e
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_no_wcag_violation(screens, case):
    page = screens.tab(case.role, case.lang, case.size)
    entry = BY_KEY[case.page]
    response = page.goto(screens.url(entry))
    assert response.status == entry.status
    # The page says its language (issue 16, point 3).
    assert page.evaluate("document.documentElement.lang") == case.lang
    if case.state:
        case.state(page)
    settle(page)
    found = violations(page, EXCEPTIONS)
    assert not found, f"{case.id}:\n{describe(found)}"


@pytest.mark.e2e
@pytest.mark.csp_violation_expected  # it proves a <script> tag is refused
def test_axe_is_injected_under_a_strict_content_security_policy(browser, shared_server):
    """No <script> tag: a page whose policy allows only its own files still gets checked."""
    context = browser.new_context(base_url=shared_server.url)
    page = context.new_page()
    blocked = []
    page.on(
        "console", lambda msg: blocked.append(msg.text) if "Content Security" in msg.text else None
    )

    def strict(route):
        response = route.fetch()
        headers = {
            **response.headers,
            "content-security-policy": "script-src 'self'; object-src 'none'",
        }
        route.fulfill(response=response, headers=headers)

    # The app's own policy is at least this strict; the route makes the proof independent.
    page.route("**/login*", strict)
    try:
        page.goto("/login")
        page.evaluate("document.body.setAttribute('data-probe', '1')")
        # A script tag, which is how a tool without CDP would inject, is refused here.
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.inlineRan = true'; document.head.append(s); }"
        )
        assert page.evaluate("window.inlineRan === true") is False
        inject(page)
        assert page.evaluate("typeof window.axe.run") == "function"
        assert violations(page) == []
    finally:
        context.close()


def test_every_page_of_the_list_is_in_the_pass():
    seen = {(case.page, case.role) for case in CASES if case.state is None}
    expected = {(page.key, role) for page in PAGES for role in page.roles}
    assert seen == expected
    assert all(role in (C, INN, M, ANON) for _, role in seen)

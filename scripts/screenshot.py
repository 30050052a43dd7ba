"""Take the README screenshot: log in as the demo coordinator and capture the board.

Usage: .venv/bin/python scripts/screenshot.py [BASE_URL] [OUT.png]   (with `make run` serving)
"""

import sys

from playwright.sync_api import sync_playwright

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
out = sys.argv[2] if len(sys.argv) > 2 else "docs/screenshot.png"

with sync_playwright() as p:
    browser = p.chromium.launch(
        executable_path="/usr/bin/chromium",
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="en-US")
    page.goto(f"{base}/login?lang=en")
    page.get_by_label("Email").fill("coordinator@example.org")
    page.get_by_label("Password").fill("incubator-demo")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=out)
    browser.close()
print(f"wrote {out}")

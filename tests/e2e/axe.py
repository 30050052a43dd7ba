"""axe-core in the browser tests: injected through the DevTools protocol, never a <script>.

axe-core is a pinned devDependency in package.json; `npm ci` (run by `make test`)
installs it into node_modules/. Evaluating its source with CDP's Runtime.evaluate
is not subject to the page's Content-Security-Policy, so the check keeps working
under a strict `script-src` (tests/e2e/test_a11y_pages.py proves it).
"""

import os
from functools import cache
from pathlib import Path

import pytest

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe's tags; wcag22aa holds target-size).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "), html: n.html, summary: n.failureSummary,
    })),
  }));
}"""


@cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        message = f"{AXE_PATH} is missing: run `npm ci` (make test does)"
        if os.environ.get("REQUIRE_E2E") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return AXE_PATH.read_text(encoding="utf-8")


def inject(page) -> None:
    """Put axe into the current document (once per document) through CDP."""
    if page.evaluate("typeof window.axe") != "undefined":
        return
    session = page.context.new_cdp_session(page)
    try:
        answer = session.send("Runtime.evaluate", {"expression": axe_source()})
    finally:
        session.detach()
    if "exceptionDetails" in answer:
        raise AssertionError(f"axe-core did not load: {answer['exceptionDetails']}")


def violations(page, exceptions: dict | None = None) -> list[dict]:
    """WCAG A/AA violations on the page now, minus the documented exceptions.

    `exceptions` maps (rule id, CSS selector axe reports) to the written reason.
    """
    inject(page)
    found = page.evaluate(RUN, WCAG_TAGS)
    exceptions = exceptions or {}
    kept = []
    for violation in found:
        nodes = [n for n in violation["nodes"] if (violation["id"], n["target"]) not in exceptions]
        if nodes:
            kept.append({**violation, "nodes": nodes})
    return kept


def describe(found: list[dict]) -> str:
    """One line per element: the rule id, its impact, the selector and what to fix."""
    lines = []
    for violation in found:
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())[:300]
            lines.append(
                f"{violation['id']} ({violation['impact']}) at {node['target']}: "
                f"{violation['help']}. {summary} | {node['html'][:160]}"
            )
    return "\n".join(lines)

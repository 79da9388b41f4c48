"""axe-core in the browser tests: the vendored copy (tests/e2e/vendor/axe.min.js, MPL-2.0, see
axe-core-LICENSE.txt beside it) is injected into the page under test, never fetched.

The page's Content-Security-Policy forbids injected scripts, so contexts that run axe are
opened with bypass_csp=True (the policy is still sent and still tested elsewhere).
"""

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")

_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
    count: v.nodes.length,
  }));
}"""


def axe_violations(page, *, impacts=BLOCKING) -> list[dict]:
    """The violations axe-core finds on the page as it is now, of the given impacts."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(_RUN) if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    return "; ".join(
        f"{v['id']} ({v['impact']}, {v['count']}x: {', '.join(v['targets'])})" for v in violations
    )

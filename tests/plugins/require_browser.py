"""Skipped tests are a local convenience, never a green CI run.

- A test marked `@pytest.mark.browser` (or one that asks for Playwright's `page`, `context`,
  `new_context` or `browser` fixture, which is marked for it) is skipped when Debian's Chromium
  is not installed, so `make test` still works on a bare laptop.
- REQUIRE_BROWSER=1: a skipped browser test fails the run, and so does a run that collected
  browser tests but deselected them all (`-m "not browser"`): the pages that matter must have
  been driven.
- CI=true: any skipped test at all fails the run. A skip in CI hides a missing dependency or a
  forgotten `skip` just as well as it hides a missing browser.

The run's exit status is changed at session finish rather than turning skips into errors, so the
report still says exactly which tests were skipped and why.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
_PLAYWRIGHT_FIXTURES = {"page", "context", "new_context", "browser"}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes", "on"}


class RequireBrowser:
    def __init__(self, *, require_browser: bool, in_ci: bool):
        self.require_browser = require_browser
        self.in_ci = in_ci
        self.browser_nodeids: set[str] = set()
        self.browser_ran: set[str] = set()
        self.skipped: list[tuple[str, str, bool]] = []  # (nodeid, reason, is_browser)

    # First, so that `-m "not browser"` also deselects the tests marked here.
    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, config, items):
        chromium_missing = not CHROMIUM.exists()
        for item in items:
            uses_playwright = _PLAYWRIGHT_FIXTURES & set(getattr(item, "fixturenames", ()))
            if uses_playwright and not item.get_closest_marker("browser"):
                item.add_marker(pytest.mark.browser)
            if item.get_closest_marker("browser"):
                self.browser_nodeids.add(item.nodeid)
                if chromium_missing:
                    item.add_marker(
                        pytest.mark.skip(
                            reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
                        )
                    )

    def pytest_collectreport(self, report):
        # A module-level skip (pytest.importorskip, allow_module_level=True) never makes items.
        if report.skipped:
            self.skipped.append((report.nodeid, _reason(report), False))

    def pytest_runtest_logreport(self, report):
        is_browser = report.nodeid in self.browser_nodeids
        if report.skipped and not hasattr(report, "wasxfail"):
            self.skipped.append((report.nodeid, _reason(report), is_browser))
        elif is_browser and report.when == "call":
            self.browser_ran.add(report.nodeid)

    def problems(self) -> list[str]:
        out = []
        if self.require_browser:
            out += [
                f"REQUIRE_BROWSER=1 but browser test skipped: {nodeid} — {reason}"
                for nodeid, reason, is_browser in self.skipped
                if is_browser
            ]
            # Browser tests were collected but none ran: deselected, e.g. `-m "not browser"`.
            # A run that never collected one (a single file, a nested pytest) is left alone.
            if self.browser_nodeids and not self.browser_ran:
                out.append("REQUIRE_BROWSER=1 but the browser tests were deselected")
        if self.in_ci:
            out += [
                f"CI=true and a test was skipped: {nodeid} — {reason}"
                for nodeid, reason, is_browser in self.skipped
                if not (is_browser and self.require_browser)  # already listed above
            ]
        return out

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        # Only turn a green run red; keep the status of runs that already failed or errored.
        if session.config.option.collectonly:
            return
        if self.problems() and exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter, config):
        problems = [] if config.option.collectonly else self.problems()
        if problems:
            terminalreporter.section("skipped tests are not allowed here", sep="=", red=True)
            for line in problems:
                terminalreporter.line(line, red=True)


def _reason(report) -> str:
    if isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return str(report.longrepr)


def pytest_configure(config):
    config.pluginmanager.register(
        RequireBrowser(require_browser=_flag("REQUIRE_BROWSER"), in_ci=_flag("CI")),
        "dianjiao-require-browser",
    )

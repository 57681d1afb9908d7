"""What browser tests do over and over: log in through the real form, take a screenshot."""

from pathlib import Path

from playwright.sync_api import Page, expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def login_via_form(page: Page, live_server, username: str, password: str) -> None:
    """Log in as a person would: the Chinese form at /accounts/login/, then the home page.

    Uses live_server's http://localhost URL: the session and CSRF cookies are Secure (DEBUG is
    off in tests, as in production) and Chromium keeps Secure cookies only on https or localhost.
    """
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("form[action$='/accounts/logout/']")).to_be_attached()


def shot(page: Page, name: str) -> Path:
    """A full-page PNG in test-artifacts/screenshots/<name>.png, for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def horizontal_overflow(page: Page) -> int:
    """How many CSS px the document is wider than the device's viewport (0 when nothing sticks
    out). Measured against the emulated viewport, not window.innerWidth: a mobile browser zooms
    out to fit a page that is too wide, and then the window grows with the page."""
    return page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]

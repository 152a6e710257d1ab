"""Browser fixtures shared by every browser test (imported by tests/conftest.py): Debian's chromium,
driven by Playwright's sync API.

Use with pytest-django's `live_server` and `@pytest.mark.django_db(transaction=True)`. `browser` is shared by
the tests of one module (module scope, so a module that starts Playwright itself never meets a second running
instance); `page` is a fresh, isolated browser context per test.
"""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable from the tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_driver):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is not installed at /usr/bin/chromium (apt-get install -y chromium).")
    launched = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield launched
    launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()

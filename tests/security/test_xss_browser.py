"""The hostile corpus in a real browser: every page it reaches loads, scripts of our own run, and no
payload does. Chromium runs with the Content-Security-Policy bypassed, so what is proven here is the
escaping and sanitising itself; CSP stays a second net in production.

A payload that ran would trip at least one canary: it changes document.title, logs XSS-CANARY, opens a
dialog, or leaves an event-handler attribute or a script URL in the live DOM (checked after parsing, so
mutation-XSS that only a browser's parser produces is caught too).
"""

import html
import re
import time

import pytest

from tests.security import hostile_site
from tests.security.conftest import WEBHOOK_SECRET

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL | re.IGNORECASE)
DOM_CANARY = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (attr.name.startsWith('on')) found.push(el.tagName + '[' + attr.name + ']');
      if (/^(javascript|vbscript|data):/.test(value) && ['href', 'src', 'action', 'formaction',
          'xlink:href', 'data', 'srcdoc'].includes(attr.name)) found.push(el.tagName + '[' + attr.name + ']');
    }
    if (['IFRAME', 'OBJECT', 'EMBED', 'FRAME', 'BASE'].includes(el.tagName)) found.push(el.tagName);
    if (el.tagName === 'SCRIPT' && !el.src && el.type !== 'application/ld+json') found.push('inline SCRIPT');
  }
  return found;
}"""


def normal(text: str) -> str:
    return " ".join(text.split())


class Canary:
    """Listens to one tab and says whether anything a payload would do has happened on it."""

    def __init__(self, tab):
        self.tab = tab
        self.tripped: list[str] = []
        tab.on("console", self._console)
        tab.on("dialog", self._dialog)

    def _console(self, message):
        if "XSS-CANARY" in message.text or "pwned" in message.text:
            self.tripped.append(f"console: {message.text}")

    def _dialog(self, dialog):
        self.tripped.append(f"dialog: {dialog.type} {dialog.message}")
        dialog.dismiss()

    def visit(self, url: str) -> None:
        response = self.tab.goto(url, wait_until="load")
        assert response is not None and response.status == 200, (url, response and response.status)
        served = TITLE.search(response.text())
        expected_title = normal(html.unescape(served.group(1))) if served else ""
        # Give timers, SMIL animations and autofocus a moment, and wave the mouse over the page.
        for y in (100, 300, 500, 700):
            self.tab.mouse.move(640, y)
        self.tab.keyboard.press("Tab")
        self.tab.wait_for_timeout(30)
        if normal(self.tab.title()) != expected_title:
            self.tripped.append(f"title changed to {self.tab.title()!r} on {url}")
        for part in self.tab.evaluate(DOM_CANARY):
            self.tripped.append(f"{part} in the live DOM of {url}")


def test_the_canary_trips_when_a_script_does_run(browser):
    """Control: the same detectors, on a page that really does run hostile HTML."""
    context = browser.new_context(bypass_csp=True)
    tab = context.new_page()
    canary = Canary(tab)
    tab.set_content("<title>Calm</title><img src=x onerror=\"document.title='pwned'\">")
    tab.wait_for_function("document.title === 'pwned'")
    tab.evaluate("console.log('XSS-CANARY')")
    assert any("XSS-CANARY" in hit for hit in canary.tripped)
    assert "IMG[onerror]" in tab.evaluate(DOM_CANARY)
    context.close()


def test_no_payload_runs_on_any_page_it_reaches(browser, live_server, settings, corpus):
    settings.BYLINE_COMMENT_RATE_PER_MINUTE = 0
    settings.BYLINE_COMMENT_RATE_PER_DAY = 0
    settings.BYLINE_COMMENTS_PER_PAGE = 1000
    settings.BYLINE_COMMENT_DUPLICATE_SECONDS = 0
    settings.BYLINE_COMMENT_POLICY = "byline.comments.policy.approve_all"
    settings.BYLINE_STRIPE_SECRET_KEY = "sk_test_security"
    settings.BYLINE_STRIPE_PUBLISHABLE_KEY = "pk_test_security"
    settings.BYLINE_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.BYLINE_CURRENCY = "CAD"
    site = hostile_site.build_hostile_site(corpus, per_page=20, webhook_secret=WEBHOOK_SECRET)
    urls = [*site.listing_urls, *site.article_urls, *site.journalist_urls, site.comments_url, site.names_url,
            *site.profile_urls[:10], *site.support_urls, *site.search_urls[::6], *site.search_urls[-4:]]

    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    canary = Canary(tab)
    started = time.monotonic()
    for url in urls:
        canary.visit(live_server.url + url)
    context.close()

    assert canary.tripped == [], canary.tripped[:20]
    assert len(urls) > 100
    assert time.monotonic() - started < 120

"""The article page around its parts, rendered once per version and kept in each worker process.

A signed-in reader's article page is stitched from cached pieces: the story's parts (`fragments.py`) and
the COMMENTS section (`byline.comments.rendering`). What is left — the page's head, header, navigation and
footer around them — is the same for every reader of the same version of the article, but rendering it
through the template engine still cost about 40 % of such a page's CPU. So it is rendered once with
marks where the reader's own parts go, and each request joins the pieces around those parts:

- the account menu (their name, their profile link, the sign-out form with their CSRF token), rendered
  from accounts/_nav.html for each request;
- their pending flash messages (web/_messages.html), if any;
- their COMMENTS section, as `cached_section` stitched it for them.

Exactness: a shell is kept under `ArticleParts.shell_key`, which names the parts it was made around (their
version tokens and when they were rendered) and the navigation's version token; those were read for this
request, so a shell is used only while everything it shows is current. The site's name and tagline, the
URL prefix and configuration, and the templates themselves are in the key too.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest
from django.template.loader import get_template, render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe

from byline.comments.rendering import CSRF_MARK
from byline.comments.worker_cache import WorkerCache, templates_version
from byline.core.conf import byline_setting
from byline.core.csrf import form_token
from byline.core.urls import cached_reverse
from byline.web.context_processors import site_links

TEMPLATES = ("base.html", "web/article.html", "accounts/_nav.html", "web/_messages.html")
# Cut marks (NUL never reaches a page from stored text: the sanitiser drops it); the token's is the one the
# comment list is cut at.
MARKS = {name: f"\x00{name}\x00" for name in ("account_nav", "messages", "comments")} | {"csrf": CSRF_MARK}
_CUT = re.compile("|".join(f"({re.escape(mark)})" for mark in MARKS.values()))
_NAMES = {mark: name for name, mark in MARKS.items()}
# Kept for a page whose shell cannot be cut (a form of its own in it): it is rendered whole, without
# rendering the shell first on every request. A cut shell always has pieces.
_UNCUTTABLE: tuple[str, ...] = ()

_SHELLS = WorkerCache(budget_bytes=4 * 2**20)
_NAVS = WorkerCache(budget_bytes=2**20)


def article_page(request: HttpRequest, *, parts, comments_html: str) -> str | None:
    """The whole article page for this reader, or None when it has no kept shell and cannot get one
    (the parts came from a cache miss: no `shell_key`)."""
    if not parts.shell_key:
        return None
    prefix, urlconf = get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    # What every kept piece depends on besides the reader: the templates and the URLs.
    base = f"{templates_version(*TEMPLATES)}:{prefix}:{urlconf}"
    site = f"{byline_setting('BYLINE_SITE_NAME')}:{byline_setting('BYLINE_SITE_TAGLINE')}"
    key = f"{base}:{site}:{parts.shell_key}"
    pieces = _SHELLS.get(key, True)
    if pieces is None:
        pieces = _render_shell(request, parts)
        _SHELLS.put(key, True, pieces, size=64 + 2 * sum(len(piece) for piece in pieces))
    if not pieces:
        return None
    links = site_links(prefix, urlconf)
    fill = {
        "account_nav": _account_nav(request, links, base),
        "messages": _messages(request),
        "comments": comments_html,
    }
    page = list(pieces)  # text, mark name, text, mark name, ..., text
    for index in range(1, len(page), 2):
        page[index] = fill[page[index]]
    return "".join(page)


def _render_shell(request: HttpRequest, parts) -> tuple[str, ...]:
    marks = {name: mark_safe(mark) for name, mark in MARKS.items()}  # noqa: S308  # nosec B308 B703 (cut marks)
    context = {
        "article": parts.article,
        "preview": False,
        "fragments": parts,
        "comments": {"rendered": marks["comments"]},
        "shell": marks,
        "csrf_token": marks["csrf"],
    }
    html = render_to_string("web/article.html", context, request)
    # The pieces alternate text and mark names; a form outside the reader's parts (a token in the shell)
    # would need the reader's token: such a page is rendered whole.
    split = [piece for piece in _CUT.split(html) if piece is not None]
    pieces = tuple(_NAMES.get(piece, piece) if index % 2 else piece for index, piece in enumerate(split))
    if sorted(pieces[1::2]) != ["account_nav", "comments", "messages"]:
        return _UNCUTTABLE
    return pieces


def _account_nav(request: HttpRequest, links: dict, base: str) -> str:
    """The account menu: a signed-in reader's is kept in this worker by what it shows (their name and
    id), cut where their CSRF token goes; a signed-out reader's links carry the page's address."""
    user = request.user
    if not user.is_authenticated:
        return get_template("accounts/_nav.html").render(
            {"user": user, "request": request, "site_links": links}
        )
    key = f"{base}:{user.pk}:{user.public_name}"
    pieces = _NAVS.get(key, True)
    if pieces is None:
        context = {
            "user": user,
            "site_links": links,
            "profile_link": cached_reverse("comments:profile", user.pk),
            "csrf_token": MARKS["csrf"],
        }
        pieces = tuple(get_template("accounts/_nav.html").render(context).split(MARKS["csrf"]))
        _NAVS.put(key, True, pieces, size=2 * sum(len(piece) for piece in pieces))
    return form_token(request).join(pieces) if len(pieces) > 1 else pieces[0]


def _messages(request: HttpRequest) -> str:
    messages = get_messages(request)
    return get_template("web/_messages.html").render({"messages": messages}) if messages else ""

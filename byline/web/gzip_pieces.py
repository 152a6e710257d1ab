"""Gzip a signed-in reader's page, compressing only what changed since this worker last sent it.

A signed-in reader's article page is stitched from kept pieces (`page_shell.py`), so from one request to
the next it differs only by its CSRF token, and from one reader to the next also by the account menu.
Compressing the whole 75 KB page on every request (nginx did, at level 1) cost about a fifth of such a
page's CPU. Instead the page is cut at the token; each stretch between tokens is compressed once per
worker, as a raw deflate stream that ends on a byte boundary (a sync flush), and kept; the token goes in
between as a stored (uncompressed) block. Independently started deflate streams, each ending byte-aligned
and none final, can follow one another (RFC 1951: no back-reference reaches before a stream's start),
so the answer is a gzip header, the kept streams and stored tokens in page order, an empty final block,
and the CRC-32 and length of the whole page (RFC 1952).

The token is never compressed together with the page's other text (it is sent as it is, in its own block),
so its compressed size tells nothing about what the reader's page contains (BREACH needs a secret
compressed next to text an attacker chooses; nginx's whole-page gzip did compress them together).
"""

from __future__ import annotations

import struct
import zlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from byline.comments.worker_cache import WorkerCache
from byline.web.caching import ACCEPTS_GZIP

LEVEL = 6  # once per stretch and worker: compress well (nginx, paying per request, used level 1)
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip, deflate, no name, no time, unknown OS
_FINAL = b"\x03\x00"  # an empty final block with fixed codes
_STORED_MAX = 0xFFFF
# stretch (the text itself, so a hit is exact) -> (its UTF-8 bytes, their deflate stream)
_STRETCHES = WorkerCache(budget_bytes=16 * 2**20)


def gzip_response(request: HttpRequest, html: str, *, varying: str) -> HttpResponse:
    """`HttpResponse(html)`, gzipped when the reader's browser accepts it. `varying` is the one string
    that differs between requests for the same page (the CSRF token): the page is cut there.

    A page without one (an anonymous reader's) is sent plain: the page cache stores it and keeps its own
    gzipped copy, and a body this module had gzipped would be stored as if it were the page."""
    if not varying or not ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(html)
    else:
        response = HttpResponse(gzip_around(html, varying))
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def gzip_around(text: str, varying: str) -> bytes:
    """`text` in gzip format, each stretch between occurrences of `varying` (not empty) compressed once
    per process."""
    stretches = text.split(varying)
    between = varying.encode()
    stored = _stored(between)
    out = [_HEADER]
    crc = size = 0
    for index, stretch in enumerate(stretches):
        if index:
            out.append(stored)
            crc = zlib.crc32(between, crc)
            size += len(between)
        raw, deflated = _deflated(stretch)
        out.append(deflated)
        crc = zlib.crc32(raw, crc)
        size += len(raw)
    out.append(_FINAL)
    out.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(out)


def _deflated(stretch: str) -> tuple[bytes, bytes]:
    kept = _STRETCHES.get(stretch, True)
    if kept is not None:
        return kept
    raw = stretch.encode()
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    kept = raw, compressor.compress(raw) + compressor.flush(zlib.Z_SYNC_FLUSH)
    _STRETCHES.put(stretch, True, kept, size=len(stretch) + len(raw) + len(kept[1]) + 100)
    return kept


def _stored(data: bytes) -> bytes:
    """`data` as non-final stored blocks (RFC 1951 3.2.4), starting on a byte boundary."""
    blocks = []
    for start in range(0, len(data), _STORED_MAX):
        chunk = data[start : start + _STORED_MAX]
        blocks.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)

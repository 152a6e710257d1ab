"""A streaming XML reader that refuses what an export file has no business containing.

Exports come from elsewhere and may be hostile. The reader is expat (through defusedxml's parser) fed in
chunks, so memory stays bounded whatever the file's size, and:

- entity declarations are refused (billion laughs, external entities), as are external DTD references;
- every failure is an `ImportFailed` that says what is wrong and where (line, column, element), in words an
  operator understands, before anything is written (the importers run in one transaction).

Tags are reported as `prefix:name` with the prefixes exports use (`wp:`, `content:`, `excerpt:`, `dc:`,
`dsq:`), whatever namespace URI version the file declares.
"""

from __future__ import annotations

import contextlib
import os
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser
from defusedxml.ElementTree import ParseError as DefusedParseError

from byline.core.errors import InvalidInput

CHUNK_SIZE = 256 * 1024

_NAMESPACE_PREFIXES: list[tuple[Callable[[str], bool], str]] = [
    (
        lambda uri: uri.startswith("http://wordpress.org/export/") and uri.rstrip("/").endswith("excerpt"),
        "excerpt",
    ),
    (lambda uri: uri.startswith("http://wordpress.org/export/"), "wp"),
    (lambda uri: uri.startswith("http://purl.org/rss/1.0/modules/content"), "content"),
    (lambda uri: uri.startswith("http://purl.org/dc/elements/"), "dc"),
    (lambda uri: uri.startswith("http://wellformedweb.org/"), "wfw"),
    (lambda uri: uri == "http://disqus.com/disqus-internals", "dsq"),
    (lambda uri: uri == "http://disqus.com", ""),
]


class ImportFailed(InvalidInput):
    """The file cannot be imported. Nothing was written."""

    code = "import_failed"


@dataclass
class Event:
    """One `start` or `end` of an element. `path` is the list of enclosing tags, outermost first."""

    kind: str
    tag: str
    element: ET.Element
    path: list[str]
    line: int
    parent: ET.Element | None = None

    def release(self) -> None:
        """Free the element once handled: clear it and drop it from its parent, so memory stays flat."""
        self.element.clear()
        if self.parent is not None:
            with contextlib.suppress(ValueError):
                self.parent.remove(self.element)


@lru_cache(maxsize=4096)
def short_tag(tag: str) -> str:
    """`{http://wordpress.org/export/1.2/}post_id` → `wp:post_id`."""
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    for matches, prefix in _NAMESPACE_PREFIXES:
        if matches(uri):
            return f"{prefix}:{local}" if prefix else local
    return local


def short_attribute(name: str) -> str:
    return short_tag(name)


def child_text(element: ET.Element, tag: str, default: str = "") -> str:
    """Text of the first direct child whose short tag is `tag` (e.g. `wp:post_id`)."""
    for child in element:
        if short_tag(child.tag) == tag:
            return child.text or ""
    return default


def children(element: ET.Element, tag: str) -> Iterator[ET.Element]:
    for child in element:
        if short_tag(child.tag) == tag:
            yield child


class SafeXMLStream:
    """Iterate over the start/end events of a file, refusing entities and reporting progress in bytes.

    `display_name` names the file in messages. `bytes_read` and `size` let a progress display show how far
    along the file the reader is.
    """

    def __init__(self, path: str | Path, *, display_name: str | None = None):
        self.path = Path(path)
        self.display_name = display_name or self.path.name
        try:
            self.size = os.path.getsize(self.path)
        except OSError as exc:
            raise ImportFailed(f"Cannot read {self.display_name}: {exc.strerror or exc}.") from exc
        self.bytes_read = 0
        self._stack: list[str] = []
        self._elements: list[ET.Element] = []
        self._seen_root = False
        self._max_depth = self._starts_up_to = 1_000_000
        self._pending_lines: deque[int] = deque()
        self._lines: list[int] = []
        self._parser: DefusedXMLParser | None = None

    @property
    def line(self) -> int:
        expat = getattr(self._parser, "parser", None)
        return getattr(expat, "CurrentLineNumber", 0) if expat is not None else 0

    def where(self) -> str:
        element = f", inside <{self._stack[-1]}>" if self._stack else ""
        return f"line {self.line}{element}"

    def events(self, *, max_depth: int = 1_000_000, starts_up_to: int = 1_000_000) -> Iterator[Event]:
        """Start and end events of elements at most `max_depth` deep (the root is 1), and start events only
        up to `starts_up_to`: deeper elements are still parsed and kept inside their parents, but skipping
        the events nobody reads saves most of the work on a large file."""
        self._max_depth, self._starts_up_to = max_depth, starts_up_to
        if self.size == 0:
            raise ImportFailed(f"{self.display_name} is empty: there is nothing to import.")
        self._parser = DefusedXMLParser(
            target=ET.TreeBuilder(), forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
        pull = ET.XMLPullParser(events=("start", "end"), _parser=self._parser)
        self._record_start_lines(pull)
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise ImportFailed(f"Cannot read {self.display_name}: {exc.strerror or exc}.") from exc
        with handle:
            while True:
                chunk = handle.read(CHUNK_SIZE)
                try:
                    if chunk:
                        pull.feed(chunk)
                    else:
                        pull.close()
                except (EntitiesForbidden, ExternalReferenceForbidden, DTDForbidden) as exc:
                    self._catch_up(pull)
                    raise self._refused(exc) from None
                except (ET.ParseError, DefusedParseError) as exc:
                    self._catch_up(pull)
                    raise self._malformed(exc, at_end=not chunk) from None
                self.bytes_read += len(chunk)
                try:
                    yield from self._drain(pull)
                except (ET.ParseError, DefusedParseError) as exc:
                    # XMLPullParser hands syntax errors over as events.
                    raise self._malformed(exc, at_end=not chunk) from None
                if not chunk:
                    return

    def _record_start_lines(self, pull: ET.XMLPullParser) -> None:
        """Remember the line each element starts on: events are read after a whole chunk is parsed, when
        the parser's own position is already further on."""
        expat = self._parser.parser
        queued_start = expat.StartElementHandler

        def start(*args):
            self._pending_lines.append(expat.CurrentLineNumber)
            return queued_start(*args)

        expat.StartElementHandler = start

    def _drain(self, pull: ET.XMLPullParser) -> Iterator[Event]:
        for kind, element in pull.read_events():
            tag = short_tag(element.tag)
            if kind == "start":
                self._seen_root = True
                parent = self._elements[-1] if self._elements else None
                line = self._pending_lines.popleft() if self._pending_lines else self.line
                self._stack.append(tag)
                self._elements.append(element)
                self._lines.append(line)
                if len(self._stack) <= self._starts_up_to:
                    yield Event(kind, tag, element, self._stack, line, parent)
            else:
                if len(self._stack) <= self._max_depth:
                    parent = self._elements[-2] if len(self._elements) > 1 else None
                    yield Event(kind, tag, element, self._stack, self._lines[-1], parent)
                self._stack.pop()
                self._elements.pop()
                self._lines.pop()

    def _catch_up(self, pull: ET.XMLPullParser) -> None:
        """After an error, account for the events parsed before it, so messages name the right element."""
        for _ in self._drain(pull):
            pass

    def _refused(self, exc: Exception) -> ImportFailed:
        if isinstance(exc, EntitiesForbidden):
            what = "declares an XML entity"
            name = f" “{exc.name}”" if getattr(exc, "name", None) else ""
            detail = (
                f"{what}{name} ({self.where()}). Entity declarations are how “billion laughs” and "
                "external-entity attacks work, and real exports never need them, so the file was refused."
            )
        elif isinstance(exc, ExternalReferenceForbidden):
            detail = (
                f"refers to an external resource ({self.where()}). Reading files or addresses named by an "
                "import file would be unsafe, so the file was refused."
            )
        else:
            detail = f"contains a document type declaration that was refused ({self.where()})."
        return ImportFailed(f"{self.display_name} {detail} Nothing was imported.", code="xml_refused")

    def _malformed(self, exc: Exception, *, at_end: bool) -> ImportFailed:
        line, column = getattr(exc, "position", (self.line, 0))
        reason = str(exc).split(":")[0]
        open_tags = "".join(f"<{tag}>" for tag in self._stack[-3:])
        if at_end and self._stack:
            message = (
                f"{self.display_name} ends before the export does: it stops at line {line} with {open_tags} "
                "still open. The file is probably truncated (an interrupted download or copy); export it "
                "again. Nothing was imported."
            )
            return ImportFailed(message, code="xml_truncated")
        if not self._seen_root:
            message = (
                f"{self.display_name} is not XML ({reason} at line {line}, column {column}). An export is "
                "the XML file WordPress or Disqus gives you. Nothing was imported."
            )
            return ImportFailed(message, code="not_xml")
        inside = f", inside {open_tags}" if open_tags else ""
        message = (
            f"{self.display_name} is not well-formed XML: {reason} at line {line}, column {column}{inside}. "
            "Nothing was imported."
        )
        return ImportFailed(message, code="xml_malformed")

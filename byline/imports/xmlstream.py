"""A streaming XML reader that refuses what an export file has no business containing.

Exports come from elsewhere and may be hostile. The reader is expat fed in chunks, building elements with
ElementTree's C tree builder, so memory stays bounded whatever the file's size, and:

- entity declarations are refused (billion laughs, external entities), as are external DTD references
  (the same rules as defusedxml's `forbid_entities` and `forbid_external`, checked by the same expat
  handlers; parameter entities are never parsed);
- every failure is an `ImportFailed` that says what is wrong and where (line, column, element), in words an
  operator understands, before anything is written (the importers run in one transaction).

Tags are reported as `prefix:name` with the prefixes exports use (`wp:`, `content:`, `excerpt:`, `dc:`,
`dsq:`), whatever namespace URI version the file declares.
"""

from __future__ import annotations

import contextlib
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.parsers import expat

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


class _Refused(Exception):
    def __init__(self, what: str, name: str = ""):
        self.what, self.name = what, name


class ImportFailed(InvalidInput):
    """The file cannot be imported. Nothing was written."""

    code = "import_failed"


@dataclass
class Event:
    """One `start` or `end` of an element. `path` is the list of enclosing tags, outermost first."""

    kind: str
    tag: str
    element: ET.Element
    path: tuple[str, ...]
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
    """`{http://wordpress.org/export/1.2/}post_id` (or expat's `uri}post_id`) → `wp:post_id`."""
    if "}" not in tag:
        return tag
    uri, _, local = tag.lstrip("{").partition("}")
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
    along the file the reader is. Elements carry short tags (`wp:post_id`, attributes like `dsq:id`).
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
        self._lines: list[int] = []
        self._queue: list[Event] = []
        self._seen_root = False
        self._parser = None

    @property
    def line(self) -> int:
        return self._parser.CurrentLineNumber if self._parser is not None else 0

    def where(self) -> str:
        element = f", inside <{self._stack[-1]}>" if self._stack else ""
        return f"line {self.line}{element}"

    def events(self, *, max_depth: int = 1_000_000, starts_up_to: int = 1_000_000) -> Iterator[Event]:
        """Start and end events of elements at most `max_depth` deep (the root is 1), and start events only
        up to `starts_up_to`: deeper elements are still parsed and kept inside their parents, but skipping
        the events nobody reads saves most of the work on a large file."""
        if self.size == 0:
            raise ImportFailed(f"{self.display_name} is empty: there is nothing to import.")
        parser = self._parser = self._make_parser(max_depth=max_depth, starts_up_to=starts_up_to)
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise ImportFailed(f"Cannot read {self.display_name}: {exc.strerror or exc}.") from exc
        with handle:
            while True:
                chunk = handle.read(CHUNK_SIZE)
                try:
                    parser.Parse(chunk, not chunk)
                except _Refused as exc:
                    raise self._refused(exc) from None
                except expat.ExpatError as exc:
                    raise self._malformed(exc, at_end=not chunk) from None
                self.bytes_read += len(chunk)
                queue, self._queue = self._queue, []
                yield from queue
                if not chunk:
                    return

    def _make_parser(self, *, max_depth: int, starts_up_to: int):
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        builder = ET.TreeBuilder()
        stack, elements, lines = self._stack, self._elements, self._lines

        def start(name: str, attributes: dict) -> None:
            tag = short_tag(name)
            if attributes:
                attributes = {short_tag(key): value for key, value in attributes.items()}
            element = builder.start(tag, attributes)
            line = parser.CurrentLineNumber
            parent = elements[-1] if elements else None
            stack.append(tag)
            elements.append(element)
            lines.append(line)
            self._seen_root = True
            if len(stack) <= starts_up_to:
                self._queue.append(Event("start", tag, element, tuple(stack), line, parent))

        def end(name: str) -> None:
            element = builder.end(stack[-1])
            if len(stack) <= max_depth:
                parent = elements[-2] if len(elements) > 1 else None
                self._queue.append(Event("end", stack[-1], element, tuple(stack), lines[-1], parent))
            stack.pop()
            elements.pop()
            lines.pop()

        def entity_declaration(name, is_parameter, value, base, system_id, public_id, notation):
            raise _Refused("entity", name)

        def external_reference(context, base, system_id, public_id):
            raise _Refused("external")

        def doctype(name, system_id, public_id, has_internal_subset):
            if system_id or public_id:
                raise _Refused("external")

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = builder.data
        parser.EntityDeclHandler = entity_declaration
        parser.UnparsedEntityDeclHandler = lambda *args: entity_declaration(args[0], *([None] * 6))
        parser.ExternalEntityRefHandler = external_reference
        parser.StartDoctypeDeclHandler = doctype
        return parser

    def _refused(self, exc: _Refused) -> ImportFailed:
        if exc.what == "entity":
            name = f" “{exc.name}”" if exc.name else ""
            detail = (
                f"declares an XML entity{name} ({self.where()}). Entity declarations are how "
                "“billion laughs” and external-entity attacks work, and real exports never need them, so "
                "the file was refused."
            )
        else:
            detail = (
                f"refers to an external resource ({self.where()}). Reading files or addresses named by an "
                "import file would be unsafe, so the file was refused."
            )
        return ImportFailed(f"{self.display_name} {detail} Nothing was imported.", code="xml_refused")

    def _malformed(self, exc: expat.ExpatError, *, at_end: bool) -> ImportFailed:
        line, column = exc.lineno, exc.offset
        reason = expat.ErrorString(exc.code)
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

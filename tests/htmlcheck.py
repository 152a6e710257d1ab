"""What in a piece of HTML could run in a browser: the test oracle for hostile-input tests."""

from html.parser import HTMLParser

DANGEROUS_TAGS = {
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "svg",
    "math",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "srcset",
    "poster",
    "background",
}
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


class _Collector(HTMLParser):
    def __init__(self, allowed_tags: set[str]):
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS and tag not in self.allowed_tags:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name == "style":
                self.found.append(f"{tag}[style]")
            if name in URL_ATTRIBUTES and value:
                compact = "".join(value.split()).lower()
                if compact.startswith(DANGEROUS_SCHEMES):
                    self.found.append(f"{tag}[{name}={value[:30]}]")

    handle_startendtag = handle_starttag


def executable_parts(html: str, *, allowed_tags: set[str] | None = None) -> list[str]:
    """Tags, event handlers, inline styles and script URLs in `html`; escaped text does not count."""
    collector = _Collector(allowed_tags or set())
    collector.feed(html)
    collector.close()
    return collector.found

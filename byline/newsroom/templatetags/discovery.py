import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The same escapes as django.utils.html.json_script: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(data) -> SafeString:
    """Render a dict (or list of dicts) as a `<script type="application/ld+json">` data block."""
    if not data:
        return mark_safe("")  # noqa: S308 — empty
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def machine_time(moment) -> str:
    """A `datetime` attribute value: ISO 8601 to the second (HTML allows at most three fraction digits)."""
    return moment.isoformat(timespec="seconds") if moment else ""

"""Smaller copies of an article's hero image, so a phone downloads a 480-pixel picture, not a 2,000-pixel one.

Made once, when the hero image is set or replaced (`Article.save`), with Pillow, beside the original in the
media storage (`ferry.jpg` → `ferry-480w.jpg`, …); each width narrower than the original gets one. The page
offers them with `srcset` and `sizes`, and the browser picks. An image Pillow cannot read gets no copies
(logged); the page then shows the original alone, as before.
"""

import io
import logging
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile

logger = logging.getLogger("byline.newsroom.images")

WIDTHS = (480, 800, 1200)
# How wide the hero is shown: the full viewport on narrow screens, the article column (46rem) otherwise.
SIZES = "(max-width: 48rem) 100vw, 46rem"
JPEG_QUALITY = 82


def rendition_name(name: str, width: int) -> str:
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{width}w{path.suffix or '.jpg'}"))


def make_renditions(image: FieldFile) -> dict:
    """Write the smaller copies of `image` and describe them: {"source": name, "sizes": [{width, height,
    name}, …]} (narrowest first). Empty sizes when the image is too small or unreadable."""
    from PIL import Image, UnidentifiedImageError

    described: dict = {"source": image.name, "sizes": []}
    try:
        with image.open("rb") as handle, Image.open(handle) as original:
            original.load()
            for width in WIDTHS:
                if width >= original.width:
                    break
                height = round(original.height * width / original.width)
                copy = original.resize((width, height), Image.Resampling.LANCZOS)
                buffer = io.BytesIO()
                image_format = original.format if original.format in {"JPEG", "PNG", "WEBP"} else "JPEG"
                if image_format == "JPEG" and copy.mode not in ("RGB", "L"):
                    copy = copy.convert("RGB")
                copy.save(buffer, format=image_format, quality=JPEG_QUALITY, optimize=True)
                stored = image.storage.save(rendition_name(image.name, width), ContentFile(buffer.getvalue()))
                described["sizes"].append({"width": width, "height": height, "name": stored})
    except (OSError, UnidentifiedImageError, ValueError):
        logger.warning("Could not make smaller copies of %s; the page shows the original only.", image.name)
        delete_renditions(image.storage, described)
        described["sizes"] = []
    return described


def delete_renditions(storage, described: dict | None) -> None:
    for size in (described or {}).get("sizes", []):
        try:
            storage.delete(size["name"])
        except OSError:
            logger.warning("Could not delete the old image copy %s.", size["name"])


def srcset(image: FieldFile, described: dict | None, original_width: int | None) -> str:
    """The `srcset` value: every copy plus the original, or "" when there are no copies of this image."""
    if not described or described.get("source") != image.name or not described.get("sizes"):
        return ""
    storage = image.storage
    candidates = [f"{storage.url(size['name'])} {size['width']}w" for size in described["sizes"]]
    if original_width:
        candidates.append(f"{image.url} {original_width}w")
    return ", ".join(candidates)

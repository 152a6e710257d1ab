import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SITE_URL = "https://news.example.org"


@pytest.fixture(autouse=True)
def _public_site_url(settings):
    settings.BYLINE_SITE_URL = SITE_URL


@pytest.fixture
def jpeg_upload():
    def make(name: str = "hero.jpg") -> SimpleUploadedFile:
        buffer = io.BytesIO()
        Image.new("RGB", (120, 80), (40, 90, 160)).save(buffer, format="JPEG")
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")

    return make

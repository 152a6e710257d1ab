import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import jpeg

SITE_URL = "https://news.example.org"


@pytest.fixture(autouse=True)
def _public_site_url(settings):
    settings.BYLINE_SITE_URL = SITE_URL


@pytest.fixture
def jpeg_upload():
    def make(name: str = "hero.jpg") -> SimpleUploadedFile:
        return jpeg(120, 80, name, colour=(40, 90, 160))

    return make

import io

import pytest

from byline.imports.disqus import DisqusImporter
from byline.imports.wordpress import WordPressImporter
from tests.imports.wxr import FIXTURES


@pytest.fixture
def import_wordpress(db):
    def run(path=FIXTURES / "wordpress-1.2.xml", **options):
        options.setdefault("show_progress", False)
        return WordPressImporter(path=path, progress_stream=io.StringIO(), **options).run()

    return run


@pytest.fixture
def import_disqus(db):
    def run(path=FIXTURES / "disqus.xml", **options):
        options.setdefault("show_progress", False)
        return DisqusImporter(path=path, progress_stream=io.StringIO(), **options).run()

    return run

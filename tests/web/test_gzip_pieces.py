"""A signed-in reader's article page is sent gzipped from stretches compressed once per worker
(byline.web.gzip_pieces): what a browser unpacks must be exactly the page, and the reader's CSRF token
must never be compressed together with the page's text."""

import gzip
import re
import zlib

import pytest
from django.test import Client

from byline.web import gzip_pieces
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, SectionFactory, UserFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture(autouse=True)
def empty_kept_stretches():
    gzip_pieces._STRETCHES.clear()
    yield
    gzip_pieces._STRETCHES.clear()


@pytest.fixture
def compressions(monkeypatch) -> list:
    """One entry per deflate stream gzip_pieces starts from here on."""
    made = []
    original = zlib.compressobj
    monkeypatch.setattr(gzip_pieces.zlib, "compressobj", lambda *a: made.append(1) or original(*a))
    return made


def unpack_strictly(data: bytes) -> bytes:
    """Decompress as a browser would, refusing trailing garbage, a bad CRC or a wrong length."""
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    text = unpacker.decompress(data) + unpacker.flush()
    assert unpacker.eof and not unpacker.unused_data
    return text


@pytest.mark.parametrize(
    "page",
    [
        "<p>a page with no token at all</p>",
        "TOKEN<p>a token first and last</p>TOKEN",
        "<p>one TOKEN</p><form>TOKEN</form><p>Café, naïve, 🐟 and “quotes”</p>TOKENTOKEN",
        "",
        "TOKEN",
    ],
)
def test_the_gzip_unpacks_to_the_page(page):
    for token in ("0123456789abcdef" * 4, "another-token-of-another-length"):
        text = page.replace("TOKEN", token)
        packed = gzip_pieces.gzip_around(text, token)
        assert unpack_strictly(packed) == text.encode()
        assert gzip.decompress(packed) == text.encode()


def test_a_varying_part_longer_than_one_stored_block_is_split():
    token = "x" * 70_000
    text = f"<p>before</p>{token}<p>after</p>"
    assert unpack_strictly(gzip_pieces.gzip_around(text, token)) == text.encode()


def test_each_stretch_is_compressed_once_per_worker(compressions):
    page = "<main>" + "<p>The ferry timetable changes on Monday.</p>" * 400 + "</main>"
    first = gzip_pieces.gzip_around(f"{page}<form>TOKEN-ONE</form>{page}", "TOKEN-ONE")
    assert len(compressions) == 2  # the stretch before the token and the one after
    second = gzip_pieces.gzip_around(f"{page}<form>TOKEN-TWO</form>{page}", "TOKEN-TWO")
    assert len(compressions) == 2, "the next request's page compressed its unchanged stretches again"
    assert unpack_strictly(second).decode() == f"{page}<form>TOKEN-TWO</form>{page}"
    assert len(first) < len(page) / 10


def test_the_token_is_sent_as_it_is_in_its_own_block():
    token = "Q7pW2mZx" * 8
    packed = gzip_pieces.gzip_around(f"<p>{token} and the reader's text</p>", token)
    stored = b"\x00" + len(token).to_bytes(2, "little") + (len(token) ^ 0xFFFF).to_bytes(2, "little")
    assert stored + token.encode() in packed


@pytest.mark.django_db
class TestTheArticlePage:
    @pytest.fixture
    def reader_and_article(self):
        story = ArticleFactory(section=SectionFactory(slug="harbour"), headline="Tide tables move")
        CommentFactory(article=story, body_source="Useful for the early boats.")
        client = Client()
        client.force_login(UserFactory(display_name="Pat Reader"))
        client.get(story.get_absolute_url())  # the first view renders the shell it keeps
        return client, story

    def test_a_browser_that_accepts_gzip_gets_the_same_page_gzipped(self, reader_and_article):
        client, story = reader_and_article
        plain = client.get(story.get_absolute_url())
        packed = client.get(story.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert packed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
        assert not plain.has_header("Content-Encoding")
        html = unpack_strictly(packed.content).decode()
        assert "Pat Reader" in html and "Useful for the early boats." in html
        assert len(packed.content) < len(plain.content) / 2
        assert TOKEN.sub("", html) == TOKEN.sub("", plain.content.decode())
        # One token for the whole page, and a fresh one on every request, as without gzip.
        assert len(set(TOKEN.findall(html))) == 1
        assert set(TOKEN.findall(html)).isdisjoint(TOKEN.findall(plain.content.decode()))

    def test_another_reader_compresses_only_their_own_menu(self, reader_and_article, request):
        client, story = reader_and_article
        client.get(story.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")  # the first reader's stretches
        other = Client()
        other.force_login(UserFactory(display_name="Sam Other"))
        other.get(story.get_absolute_url())
        made = request.getfixturevalue("compressions")  # counted from here on
        response = other.get(story.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
        assert "Sam Other" in unpack_strictly(response.content).decode()
        assert len(made) == 1, "a second reader's page compressed more than the stretch with their name"

    def test_a_new_comment_shows_on_the_next_gzipped_page(self, reader_and_article):
        client, story = reader_and_article
        assert client.get(story.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"
        CommentFactory(article=story, body_source="The second boat was late too.")
        # The first view after the change renders the page anew (plain: nginx compresses such a page);
        # the next is joined and gzipped from stretches that include the new comment.
        for _ in range(2):
            response = client.get(story.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
            gzipped = response.get("Content-Encoding") == "gzip"
            html = (unpack_strictly(response.content) if gzipped else response.content).decode()
            assert "The second boat was late too." in html
        assert gzipped


@pytest.mark.django_db
def test_an_anonymous_readers_page_is_left_to_the_page_cache(settings):
    """Anonymous pages carry no token: they reach the page cache plain, which keeps one plain and one
    gzipped copy (an app-gzipped body stored as the page was served gzipped twice, or as bytes to a
    reader who had not asked for gzip)."""
    settings.BYLINE_COMMENTS_PER_PAGE = 1
    story = ArticleFactory(section=SectionFactory(slug="harbour"), headline="Tide tables move")
    CommentFactory(article=story, body_source="The first remark on the tides.")
    CommentFactory(article=story, body_source="A second remark on the tides.")
    reader = Client()
    reader.get(story.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")  # page one: the shell is made
    second_page = f"{story.get_absolute_url()}?sort=newest&cpage=2"
    for encoding in ("gzip", "identity", "gzip"):  # rendered from the kept shell, then from the cache
        response = reader.get(second_page, HTTP_ACCEPT_ENCODING=encoding)
        gzipped = response.get("Content-Encoding") == "gzip"
        assert gzipped == (encoding == "gzip")
        html = (unpack_strictly(response.content) if gzipped else response.content).decode()
        assert "The first remark on the tides." in html and "Tide tables move" in html
    assert response["X-Byline-Cache"] == "HIT"

"""Every bad file gets a clear message naming the problem and where, and the database is left as it was."""

import pytest

from byline.comments.models import Comment
from byline.imports.models import ImportedIdentity, ImportRun
from byline.imports.xmlstream import ImportFailed
from byline.journalists.models import Journalist
from byline.newsroom.models import Article, Section
from tests.imports.wxr import FIXTURES, write, wxr, wxr_comment, wxr_item

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss><channel><title>&lol9;</title></channel></rss>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rss><channel><title>&secret;</title></channel></rss>
"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">
<rss><channel><title>&remote;</title></channel></rss>
"""

RSS_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>A feed</title><link>https://blog.example.net</link>
<item><title>Hello</title><link>https://blog.example.net/hello/</link><description>Hi</description></item>
</channel></rss>
"""

UNRELATED_XML = """<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>
"""


def nothing_written() -> bool:
    return not any(
        model.objects.exists()
        for model in (Article, Comment, Journalist, Section, ImportedIdentity, ImportRun)
    )


def failure(run, path) -> str:
    with pytest.raises(ImportFailed) as caught:
        run(path)
    assert nothing_written()
    return caught.value.message


def test_billion_laughs_is_refused_before_any_expansion(tmp_path, import_wordpress):
    message = failure(import_wordpress, write(tmp_path, BILLION_LAUGHS))
    assert "declares an XML entity “lol”" in message
    assert "line 3" in message
    assert "billion laughs" in message
    assert "Nothing was imported" in message


def test_external_entities_are_refused_and_never_read(tmp_path, import_wordpress):
    message = failure(import_wordpress, write(tmp_path, EXTERNAL_ENTITY))
    assert "declares an XML entity “secret”" in message and "line 2" in message
    assert "root:" not in message


def test_an_external_dtd_is_refused(tmp_path, import_wordpress):
    message = failure(import_wordpress, write(tmp_path, EXTERNAL_DTD))
    assert "refers to an external resource" in message or "undefined entity" in message


def test_entity_attacks_are_refused_by_the_disqus_importer_too(tmp_path, import_disqus):
    message = failure(import_disqus, write(tmp_path, BILLION_LAUGHS.replace("rss", "disqus")))
    assert "declares an XML entity" in message


def test_a_file_that_is_not_xml_says_so(tmp_path, import_wordpress):
    message = failure(import_wordpress, write(tmp_path, "id,title\n1,Hello\n", "export.csv"))
    assert message.startswith("export.csv is not XML (syntax error at line 1, column 0)")


def test_an_empty_file_says_so(tmp_path, import_wordpress):
    assert "is empty" in failure(import_wordpress, write(tmp_path, ""))


def test_a_missing_file_says_so(tmp_path, import_wordpress):
    with pytest.raises(ImportFailed, match="Cannot read nowhere.xml"):
        import_wordpress(tmp_path / "nowhere.xml")


def test_a_truncated_file_says_where_it_stops_and_writes_nothing(tmp_path, import_wordpress):
    whole = (FIXTURES / "wordpress-1.2.xml").read_text()
    cut = whole[: whole.index("<title>A guest column</title>") + 10]
    message = failure(import_wordpress, write(tmp_path, cut))
    assert "ends before the export does" in message
    assert "probably truncated" in message
    assert "<channel><item><title>" in message
    assert f"line {cut.count(chr(10)) + 1}" in message


def test_a_file_broken_in_the_middle_names_the_line_and_element(tmp_path, import_wordpress):
    broken = wxr(wxr_item(1), "<item><title>Bad & worse</title></item>\n", wxr_item(2))
    message = failure(import_wordpress, write(tmp_path, broken))
    assert "is not well-formed XML: not well-formed (invalid token) at line" in message
    assert "inside <channel><item><title>" in message


def test_an_rss_feed_is_not_mistaken_for_an_export(tmp_path, import_wordpress):
    message = failure(import_wordpress, write(tmp_path, RSS_FEED))
    assert "is an RSS feed, not a WordPress export" in message
    assert "first <item> (line 3)" in message
    assert "Tools → Export" in message


def test_unrelated_xml_names_its_root_element(tmp_path, import_wordpress, import_disqus):
    message = failure(import_wordpress, write(tmp_path, UNRELATED_XML))
    assert "is not a WordPress export: it starts with <svg> (line 2)" in message
    message = failure(import_disqus, write(tmp_path, UNRELATED_XML))
    assert "is not a Disqus export: it starts with <svg> (line 2)" in message


def test_each_export_fed_to_the_other_importer_points_to_the_right_command(import_wordpress, import_disqus):
    assert "use `byline import-disqus`" in failure(import_wordpress, FIXTURES / "disqus.xml")
    assert "use `byline import-wordpress`" in failure(import_disqus, FIXTURES / "wordpress-1.2.xml")


def test_an_unknown_wxr_version_is_refused(tmp_path, import_wordpress):
    message = failure(import_wordpress, write(tmp_path, wxr(wxr_item(1), version="9.9")))
    assert "version '9.9'" in message and "1.0 to 1.2" in message


def test_a_failure_after_many_posts_leaves_the_database_as_it_was(tmp_path, import_wordpress):
    items = "".join(wxr_item(n, comments=wxr_comment(1000 + n)) for n in range(1, 40))
    text = wxr(items)
    truncated = text[: len(text) - 40]  # the last item and the closing tags are lost
    failure(import_wordpress, write(tmp_path, truncated))
    import_wordpress(write(tmp_path, text))
    assert Article.objects.count() == 39 and Comment.objects.count() == 39

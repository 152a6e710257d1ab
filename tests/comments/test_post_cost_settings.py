"""`byline_setting` remembers what Django's settings say of each name (a comment POST asks 22 times): a
setting changed by override_settings, by the `settings` fixture or in the environment must still be read at
the next call."""

from django.test import override_settings

from byline.core.conf import byline_setting


def test_a_django_setting_is_read_again_once_it_is_overridden(settings):
    before = byline_setting("BYLINE_COMMENT_MAX_LENGTH")
    with override_settings(BYLINE_COMMENT_MAX_LENGTH=12):
        assert byline_setting("BYLINE_COMMENT_MAX_LENGTH") == 12
        with override_settings(BYLINE_COMMENT_MAX_LENGTH=7):
            assert byline_setting("BYLINE_COMMENT_MAX_LENGTH") == 7
        assert byline_setting("BYLINE_COMMENT_MAX_LENGTH") == 12
    assert byline_setting("BYLINE_COMMENT_MAX_LENGTH") == before
    settings.BYLINE_COMMENT_MAX_LENGTH = 40
    assert byline_setting("BYLINE_COMMENT_MAX_LENGTH") == 40
    del settings.BYLINE_COMMENT_MAX_LENGTH
    assert byline_setting("BYLINE_COMMENT_MAX_LENGTH") == before


def test_a_setting_removed_from_django_falls_back_to_the_environment(settings, monkeypatch):
    settings.BYLINE_COMMENT_EDIT_MINUTES = 3
    monkeypatch.setenv("BYLINE_COMMENT_EDIT_MINUTES", "9")
    assert byline_setting("BYLINE_COMMENT_EDIT_MINUTES") == 3
    del settings.BYLINE_COMMENT_EDIT_MINUTES
    assert byline_setting("BYLINE_COMMENT_EDIT_MINUTES") == 9


def test_the_environment_is_read_at_every_call(monkeypatch):
    monkeypatch.delenv("BYLINE_COMMENT_EDIT_MINUTES", raising=False)
    default = byline_setting("BYLINE_COMMENT_EDIT_MINUTES")
    monkeypatch.setenv("BYLINE_COMMENT_EDIT_MINUTES", "21")
    assert byline_setting("BYLINE_COMMENT_EDIT_MINUTES") == 21
    monkeypatch.delenv("BYLINE_COMMENT_EDIT_MINUTES")
    assert byline_setting("BYLINE_COMMENT_EDIT_MINUTES") == default

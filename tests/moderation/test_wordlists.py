import pytest

from byline.moderation import wordlists
from byline.moderation.wordlists import Entry, Matcher, default_matcher


def terms(text: str) -> list[str]:
    return [m.term for m in default_matcher().find(text)]


def lists(text: str) -> set[str]:
    return {m.list_name for m in default_matcher().find(text)}


@pytest.mark.parametrize(
    "text",
    [
        "This country will become a shithole",
        "That is bullshit",
        "sh*t reporting",
        "s h i t government",
        "s.h.i.t",
        "$h1t",
        "Shiiiiit",
        "F**K this",
        "fuuuuuck you",
        "Fück off",
        "you're a m0r0n",
        "what an @sshole",
    ],
)
def test_profanity_is_seen_through_obfuscation(text):
    assert lists(text) == {"suspect"}


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe United won on Saturday",
        "The assassin was never caught",
        "A class action was filed",
        "My therapist agrees",
        "Reading Dickens over a cocktail",
        "The cockpit recorder was found",
        "Shiitake mushrooms at the market",
        "Middlesex and Essex councils",
        "Fukushima's clean-up continues",
        "As I said before, I passed the assessment",
        "Kill the bill!",
        "This bill should die in committee",
        "Beat them at the ballot box",
        "Vermin control in the subway needs funding",
        "People and animals were evacuated",
        "Parasites in the water supply sickened forty people",
        "this stupid bill",
    ],
)
def test_innocent_words_that_contain_a_listed_one_are_not_flagged(text):
    assert terms(text) == []


def test_dehumanising_words_count_when_aimed_at_people():
    assert terms("they are vermin") == ["~vermin"]
    assert "~animals" in terms("these people are animals")
    assert "freeloaders" in terms("Immigrants are parasites and freeloaders")
    assert "~parasites" in terms("Immigrants are parasites and freeloaders")


def test_slurs_and_threats_are_banned_and_banned_comes_first():
    found = default_matcher().find("kill yourself you f*cking idiot")
    assert found[0].list_name == "banned"
    assert found[0].term == "kill yourself"
    assert lists("k y s") == {"banned"}


def test_a_violent_wish_aimed_at_people_is_suspect():
    assert "<violent wish>" in terms("Shoot the protesters.")
    assert "<violent wish>" in terms("Someone should hang him")
    assert "<violent wish>" not in terms("He tried to kill her, the court heard.")


def test_a_moderators_list_is_matched_the_same_way():
    matcher = Matcher([Entry("grundle*", "banned", "other"), Entry("grundleton", "allowed", "allowed")])
    assert [m.term for m in matcher.find("what a GRÜNDLEHEAD")] == ["grundle*"]
    assert matcher.find("Grundleton village fair") == []


@pytest.mark.django_db
def test_live_lists_are_the_seeded_defaults_and_follow_edits(moderator):
    from byline.moderation import configuration

    assert [m.term for m in wordlists.current_matcher().find("they are vermin")] == ["~vermin"]
    assert wordlists.current_matcher().find("what a flibbertigibbet") == []
    configuration.wordlist_entry_add(
        term="Flibbertigibbet", list_name="suspect", category="insult", moderator=moderator
    )
    wordlists.wordlists_changed()  # on_commit does not run inside the test transaction
    assert [m.term for m in wordlists.current_matcher().find("what a flibbertigibbet")] == ["flibbertigibbet"]

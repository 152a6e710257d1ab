"""Banned and suspect words: the lists, and matching that sees through obfuscation without Scunthorpe.

The defaults live in `data/{banned,suspect,allowed}.txt` (written by us; see the header of banned.txt for
the format). The live lists are `WordListEntry` rows, seeded from those files by a migration and edited by
moderators; `current_matcher()` compiles them once per change (a version key in the cache says when).

Matching rules, each one a defence against a false positive:
- whole words only: "Dickens" is not "dick", "cocktail" is not "cock";
- a trailing `*` (a stem) matches longer words only where the stem has no innocent continuation;
- repeated letters are squeezed on both sides, but a token shorter than the term never matches
  ("as" is not "ass", "asssss" is);
- words in allowed.txt are never flagged, however they are spelled;
- `~term` counts only when aimed at people: "they are vermin" but not "vermin control in the subway".
"""

from __future__ import annotations

import contextvars
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from byline.moderation.normalise import MASK_CHARS, Token, fold, squeeze, tokenise

logger = logging.getLogger("byline.moderation")

DATA_DIR = Path(__file__).resolve().parent / "data"
BANNED = "banned"
SUSPECT = "suspect"
ALLOWED = "allowed"
VERSION_KEY = "moderation:wordlists:version"

TARGET_WINDOW = 4


def _context_words() -> dict[str, frozenset[str]]:
    """Read data/context_words.txt: who a `~word` must be aimed at, the words that may sit in between, and
    the violent verbs and wishes that make a threat ("Shoot the protesters", "someone should hang him")."""
    lists: dict[str, list[str]] = {}
    current = ""
    for line in (DATA_DIR / "context_words.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace():
            current, _, line = line.partition(":")
        lists.setdefault(current.strip(), []).extend(line.split())
    return {name: frozenset(words) for name, words in lists.items()}


_CONTEXT = _context_words()
TARGETS = _CONTEXT["targets"]
FILLERS = _CONTEXT["fillers"]
VIOLENT_VERBS = _CONTEXT["violent_verbs"]
WISHES = _CONTEXT["wishes"]


@dataclass(frozen=True)
class Entry:
    term: str  # folded; "stem*" for a stem, spaces for a phrase, "~" prefix when it must be aimed at people
    list_name: str
    category: str

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.term.lstrip("~").rstrip("*").split())

    @property
    def is_stem(self) -> bool:
        return self.term.endswith("*")

    @property
    def needs_target(self) -> bool:
        return self.term.startswith("~")


@dataclass(frozen=True)
class Match:
    term: str
    list_name: str
    category: str
    word: str  # what the comment actually had


def parse_list_file(path: Path, list_name: str) -> list[Entry]:
    entries: list[Entry] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if list_name == ALLOWED:
            entries.append(Entry(fold(line), ALLOWED, "allowed"))
            continue
        category, _, term = line.partition(":")
        entries.append(Entry(normalise_term(term), list_name, category.strip()))
    return entries


def normalise_term(term: str) -> str:
    """Fold a term as typed by a moderator: lower case, no accents or apostrophes, single spaces."""
    folded = fold(term).replace("'", "").replace("’", "")
    return " ".join(folded.split())


@lru_cache(maxsize=1)
def default_entries() -> tuple[Entry, ...]:
    """The lists we ship, as written in data/*.txt."""
    return tuple(
        parse_list_file(DATA_DIR / "banned.txt", BANNED)
        + parse_list_file(DATA_DIR / "suspect.txt", SUSPECT)
        + parse_list_file(DATA_DIR / "allowed.txt", ALLOWED)
    )


def _mask_matches(masked: str, word: str, *, stem: bool) -> bool:
    if stem:
        if len(masked) < len(word):
            return False
        masked = masked[: len(word)]
    elif len(masked) != len(word):
        return False
    return all(m == w or m in MASK_CHARS for m, w in zip(masked, word, strict=True))


class Matcher:
    """Compiled lists. `find(text)` returns every match, banned first."""

    def __init__(self, entries: list[Entry] | tuple[Entry, ...]):
        self.allowed = frozenset(e.term for e in entries if e.list_name == ALLOWED)
        listed = [e for e in entries if e.list_name in (BANNED, SUSPECT)]
        # Banned first, so a word in both lists rejects.
        listed.sort(key=lambda e: e.list_name != BANNED)
        self.words: dict[str, list[Entry]] = {}
        self.stems: dict[str, list[Entry]] = {}
        self.phrases: dict[str, list[Entry]] = {}
        self.single_entries: list[Entry] = []
        for entry in listed:
            words = entry.words
            if not words:
                continue
            if len(words) > 1:
                self.phrases.setdefault(squeeze(words[0]), []).append(entry)
                continue
            self.single_entries.append(entry)
            key = squeeze(words[0])
            if entry.is_stem:
                self.stems.setdefault(key[:3], []).append(entry)
            else:
                self.words.setdefault(key, []).append(entry)

    # -- single words -------------------------------------------------------------------------------
    def _word_entries(self, form: str) -> list[Entry]:
        if form in self.allowed:
            return []
        found: list[Entry] = []
        squeezed = squeeze(form)
        for entry in self.words.get(squeezed, ()):
            word = entry.words[0]
            if form == word or len(form) >= len(word):
                found.append(entry)
        for entry in self.stems.get(squeezed[:3], ()):
            stem = entry.words[0]
            if squeezed.startswith(squeeze(stem)) and len(form) >= len(stem):
                found.append(entry)
        return found

    def _masked_entries(self, form: str) -> list[Entry]:
        if sum(ch.isalpha() for ch in form) < 1 or not form[0].isalpha():
            return []
        return [e for e in self.single_entries if _mask_matches(form, e.words[0], stem=e.is_stem)]

    def _token_entries(self, token: Token) -> list[Entry]:
        found: list[Entry] = []
        for form in token.forms:
            if token.masked and any(ch in MASK_CHARS for ch in form):
                found.extend(self._masked_entries(form))
            else:
                found.extend(self._word_entries(form))
        return found

    def _is_word(self, token: Token, word: str) -> bool:
        return any(
            form == word or (squeeze(form) == squeeze(word) and len(form) >= len(word))
            for form in token.forms
        )

    # -- targets and phrases ------------------------------------------------------------------------
    def _aimed_at_people(self, words: list[Token], start: int, end: int) -> bool:
        for step, origin in ((-1, start - 1), (1, end + 1)):
            position = origin
            for _ in range(TARGET_WINDOW):
                if not 0 <= position < len(words):
                    break
                forms = words[position].forms
                if any(f in TARGETS for f in forms):
                    return True
                if not any(f in FILLERS for f in forms):
                    break
                position += step
        return False

    def _violent_wish(self, words: list[Token]) -> str:
        """A violent verb starting a sentence or after a wish ("should", "someone"), aimed at people."""
        for position, token in enumerate(words):
            if not any(f in VIOLENT_VERBS for f in token.forms):
                continue
            before = words[position - 1].forms if position else ()
            commanded = position == 0 or token.extra.get("sentence_start") or any(f in WISHES for f in before)
            if commanded and self._aimed_at_people(words, position + 1, position):
                return " ".join(w.text for w in words[max(0, position - 1) : position + 3])
        return ""

    def _phrase_matches(self, words: list[Token]) -> list[tuple[Entry, int, int]]:
        hits: list[tuple[Entry, int, int]] = []
        for position, token in enumerate(words):
            for form in {squeeze(f) for f in token.forms}:
                for entry in self.phrases.get(form, ()):
                    parts = entry.words
                    end = position + len(parts) - 1
                    if end < len(words) and all(
                        self._is_word(words[position + i], part) for i, part in enumerate(parts)
                    ):
                        hits.append((entry, position, end))
        return hits

    def find(self, text: str) -> list[Match]:
        tokens = tokenise(text)
        words = [t for t in tokens if not t.virtual]
        matches: dict[str, Match] = {}
        for token in tokens:
            for entry in self._token_entries(token):
                if entry.needs_target and (
                    token.virtual or not self._aimed_at_people(words, token.index, token.index)
                ):
                    continue
                matches.setdefault(entry.term, Match(entry.term, entry.list_name, entry.category, token.text))
        threat = self._violent_wish(words)
        if threat:
            matches.setdefault("<violent wish>", Match("<violent wish>", SUSPECT, "threat", threat))
        for entry, start, end in self._phrase_matches(words):
            if entry.needs_target and not self._aimed_at_people(words, start, end):
                continue
            said = " ".join(w.text for w in words[start : end + 1])
            matches.setdefault(entry.term, Match(entry.term, entry.list_name, entry.category, said))
        return sorted(matches.values(), key=lambda m: m.list_name != BANNED)


@lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    return Matcher(default_entries())


_compiled: dict[str, Matcher] = {}
_override: contextvars.ContextVar[Matcher | None] = contextvars.ContextVar("wordlist_override", default=None)


@contextmanager
def using(matcher: Matcher) -> Iterator[None]:
    """Use `matcher` instead of the live lists (the evaluation bench measures the shipped defaults)."""
    token = _override.set(matcher)
    try:
        yield
    finally:
        _override.reset(token)


def current_matcher() -> Matcher:
    """The moderators' live lists, compiled once per change. Falls back to the defaults if the table is
    empty or unreachable (a logged decision: better the shipped lists than none)."""
    from django.core.cache import cache

    override = _override.get()
    if override is not None:
        return override

    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, None)
    matcher = _compiled.get(version)
    if matcher is not None:
        return matcher
    try:
        from byline.moderation.models import WordListEntry

        rows = list(WordListEntry.objects.filter(is_active=True).values_list("term", "list_name", "category"))
    except Exception:  # noqa: BLE001 - the table may not exist yet (before migrate)
        logger.warning("Word lists unavailable in the database; using the shipped defaults.", exc_info=True)
        rows = []
    matcher = Matcher([Entry(*row) for row in rows]) if rows else default_matcher()
    _compiled.clear()
    _compiled[version] = matcher
    return matcher


def wordlists_changed() -> None:
    """Call after editing WordListEntry rows: the next comment compiles the new lists."""
    from django.core.cache import cache

    cache.set(VERSION_KEY, uuid.uuid4().hex, None)

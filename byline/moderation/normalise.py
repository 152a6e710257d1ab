"""Text folding for word-list matching: what a comment "really says" once obfuscation is peeled off.

A comment becomes a list of `Token`s. Each token carries the forms it might stand for: the folded word
("Fück" → "fuck"), its leetspeak reading ("$h1t" → "shit"), and whether it contains mask characters
("sh*t"). Letters spelled out one by one ("s h i t", "s.h.i.t") are joined into extra tokens. Repeated
letters are handled at comparison time by `squeeze` (see `byline.moderation.wordlists`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
        "+": "t",
        "€": "e",
        "£": "l",
    }
)
MASK_CHARS = frozenset("*#%")
_APOSTROPHES = re.compile(r"['’‘`´]")
_SEPARATORS = re.compile(r"[-_./\\~]+")
_EDGE_LEAD = re.compile(r"^[^\w$@]+")
_EDGE_TRAIL = re.compile(r"[^\w*#]+$")
_SQUEEZE = re.compile(r"(.)\1+")
_LETTERS = re.compile(r"[a-z]")


@dataclass
class Token:
    """One word of a comment. `forms` are the readings to compare with the lists (letters only, or with
    mask characters when `masked`)."""

    text: str
    forms: tuple[str, ...]
    masked: bool = False
    virtual: bool = False  # made by joining spelled-out letters; not part of the word sequence
    index: int = 0
    extra: dict = field(default_factory=dict)


def fold(text: str) -> str:
    """Case- and accent-insensitive form: NFKD, combining marks dropped, casefolded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def squeeze(word: str) -> str:
    """Collapse every run of a repeated character to one ("fuuuuck" → "fuck", "class" → "clas")."""
    return _SQUEEZE.sub(r"\1", word)


def _readings(piece: str) -> tuple[tuple[str, ...], bool]:
    forms: list[str] = []
    if len(piece) == 1 and not piece.isalpha():
        letter = piece.translate(LEET)
        return ((letter,), False) if letter.isalpha() else ((), False)
    if piece.isalpha():
        forms.append(piece)
    elif _LETTERS.search(piece):
        # Leetspeak only inside words that have letters: "2024" and "100%" stay numbers.
        deleet = piece.translate(LEET)
        cleaned = "".join(ch for ch in deleet if ch.isalpha() or ch in MASK_CHARS)
        if cleaned:
            forms.append(cleaned)
        plain = "".join(ch for ch in piece if ch.isalpha())
        if plain and plain not in forms:
            forms.append(plain)
    masked = any(ch in MASK_CHARS for form in forms for ch in form)
    return tuple(dict.fromkeys(forms)), masked


def tokenise(text: str) -> list[Token]:
    """Split folded text into tokens with their possible readings, plus joined spelled-out letters."""
    folded = _APOSTROPHES.sub("", fold(text))
    tokens: list[Token] = []
    position = 0
    sentence_start = True
    for chunk in folded.split():
        ends_sentence = chunk[-1] in ".!?;:"
        chunk = _EDGE_TRAIL.sub("", _EDGE_LEAD.sub("", chunk))
        if not chunk:
            continue
        pieces = [chunk]
        if _SEPARATORS.search(chunk):
            parts = [p for p in _SEPARATORS.split(chunk) if p]
            joined = "".join(parts)
            if parts and all(len(p) == 1 for p in parts):
                pieces = [joined]  # "s.h.i.t" is one word spelled out
            else:
                pieces = parts
                if len(parts) > 1:
                    tokens_joined, masked = _readings(joined)
                    if tokens_joined:
                        tokens.append(Token(joined, tokens_joined, masked, virtual=True, index=position))
        for piece in pieces:
            forms, masked = _readings(piece)
            if forms:
                tokens.append(
                    Token(piece, forms, masked, index=position, extra={"sentence_start": sentence_start})
                )
                sentence_start = False
                position += 1
        sentence_start = sentence_start or ends_sentence
    words = [t for t in tokens if not t.virtual]
    return tokens + _spelled_out(words)


def _spelled_out(words: list[Token]) -> list[Token]:
    """Join runs of three or more one-letter tokens: "s h i t" → "shit"."""
    joined: list[Token] = []
    run: list[Token] = []
    for token in [*words, None]:
        if token is not None and len(token.text) == 1:
            run.append(token)
            continue
        if len(run) >= 3:
            letters = "".join(t.forms[0] for t in run)
            joined.append(
                Token(letters, (letters,), any(t.masked for t in run), virtual=True, index=run[0].index)
            )
        run = []
    return joined

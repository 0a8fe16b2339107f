"""Small helpers that word a finding: re-casing a suggestion, choosing "a"/"an", ratios."""

from __future__ import annotations

_VOWEL_CONS = ("uni", "use", "usu", "ute", "uti", "eu", "one", "once", "ewe")
_VOWEL_VOW = ("hour", "honest", "honor", "honour", "heir")


def recase(suggestion: str, original: str, per_word: bool = True) -> str:
    """Give ``suggestion`` the capitalisation of ``original``: all capitals, a capital first
    letter, or (``per_word``, for phrases of the same number of words) the capital of each
    word."""
    if original.isupper() and len(original) > 1:
        return suggestion.upper()
    if per_word:
        words = original.split()
        sw = suggestion.split(" ")
        if len(words) == len(sw) and len(words) > 1:
            return " ".join(
                s[:1].upper() + s[1:] if w[:1].isupper() else s for w, s in zip(words, sw)
            )
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def article_for(word: str) -> str:
    """'a' or 'an' before ``word`` (by spelling, with the usual exceptions)."""
    w = word.lower()
    if w.startswith(_VOWEL_VOW):
        return "an"
    if w.startswith(_VOWEL_CONS):
        return "a"
    return "an" if w[:1] in "aeiou" else "a"


def times(delta: float) -> str:
    """A likelihood ratio 10**delta in words."""
    r = 10 ** min(delta, 9)
    if r >= 1e6:
        return f"{r / 1e6:,.0f} million×"
    if r >= 100:
        return f"{round(r, -1 if r < 1000 else -2):,.0f}×"
    return f"{r:,.0f}×" if r >= 10 else f"{r:.1f}×"

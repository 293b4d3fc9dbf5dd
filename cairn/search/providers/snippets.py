"""A short piece of a description, with the words a search matched marked.

The parts are plain text and a flag: the template marks them up, so the description is escaped
like any other text and cannot bring markup of its own (see search/_snippet.html)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cairn.search.providers.analysis import Word, words

SNIPPET_LENGTH = 200  # characters, about two lines of the results list
LEAD_IN = 60  # characters shown before the first matched word
ELLIPSIS = "…"


@dataclass(frozen=True)
class SnippetPart:
    text: str
    marked: bool = False


def snippet(
    description: str, terms: Iterable[str], length: int = SNIPPET_LENGTH
) -> tuple[SnippetPart, ...]:
    """The part of `description` around its first matched word (its start when none matched),
    cut at word boundaries, each word whose index term is in `terms` a marked part."""
    text = " ".join(description.split())
    if not text:
        return ()
    wanted = frozenset(terms)
    found = list(words(text))
    matched = [w for w in found if w.term in wanted]
    start = 0
    if matched and matched[0].end > length - LEAD_IN:
        start = _word_start(found, matched[0].start - LEAD_IN)
    end = len(text) if len(text) - start <= length else _word_end(found, start + length)
    parts: list[SnippetPart] = [SnippetPart(ELLIPSIS)] if start > 0 else []
    at = start
    for word in matched:
        if word.start < start or word.end > end:
            continue
        if word.start > at:
            parts.append(SnippetPart(text[at : word.start]))
        parts.append(SnippetPart(text[word.start : word.end], marked=True))
        at = word.end
    if end > at:
        parts.append(SnippetPart(text[at:end]))
    if end < len(text):
        parts.append(SnippetPart(ELLIPSIS))
    return tuple(parts)


def _word_start(found: list[Word], near: int) -> int:
    """The start of the first word at or after `near`."""
    return next((w.start for w in found if w.start >= near), max(near, 0))


def _word_end(found: list[Word], near: int) -> int:
    """The end of the last word that ends by `near` (at least one word is kept)."""
    ends = [w.end for w in found if w.end <= near]
    return ends[-1] if ends else near

"""Words of a search and the snippets that show why a result matched.

The databases do the real matching (PostgreSQL's English configuration, SQLite's FTS5 Porter
stemmer). Here only what they cannot give us the same way on both: a light stem, so that the plain
SQLite match of the forums and the highlighting agree with the stemmed index ("welcome" marks
"welcoming"), and a snippet built safely, every piece of text escaped before <mark> goes round it."""

import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

WORD = re.compile(r"\w+")
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|pre|div|td|th)>|<br\s*/?>", re.IGNORECASE)
# Longest first; a stem keeps at least three letters ("uses" stays "use").
SUFFIXES = ("ingly", "edly", "ings", "ing", "ied", "ies", "ers", "ed", "es", "er", "ly", "s", "e", "y")
MAX_WORDS = 8
SNIPPET_CHARS = 180


def words(query: str) -> list[str]:
    """The query's words, without the punctuation a full-text syntax would choke on."""
    return WORD.findall(query)[:MAX_WORDS]


def stem(word: str) -> str:
    word = word.lower()
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def stems(query: str) -> list[str]:
    return list(dict.fromkeys(stem(word) for word in words(query)))


def plain_text(markup: str) -> str:
    """Text of sanitised HTML, entities decoded (they are escaped again when shown); a block ends
    in a space, so that a heading does not run into its paragraph."""
    return " ".join(html.unescape(strip_tags(BLOCK_END.sub(" ", markup))).split())


def _pattern(query_stems: list[str]) -> re.Pattern | None:
    if not query_stems:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(query_stems, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def snippet(text: str, query_stems: list[str], *, length: int = SNIPPET_CHARS) -> SafeString:
    """About `length` characters of `text` around its first match, each match in <mark>; the
    beginning of the text when nothing matches (a title-only match)."""
    text = " ".join(text.split())
    pattern = _pattern(query_stems)
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > length // 3:
        start = text.rfind(" ", 0, first.start() - length // 3) + 1
    end = len(text)
    if end - start > length:
        end = text.rfind(" ", start, start + length)
        end = end if end > start else start + length
    window = text[start:end]
    pieces, done = [], 0
    for match in pattern.finditer(window) if pattern else ():
        pieces += [escape(window[done : match.start()]), "<mark>", escape(match.group()), "</mark>"]
        done = match.end()
    pieces.append(escape(window[done:]))
    return mark_safe(("…" if start else "") + "".join(pieces) + ("…" if end < len(text) else ""))  # every piece escaped above

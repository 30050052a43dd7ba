"""Counting words the way a competition form counts them, on Markdown text.

The rule (the same in static/js/word-count.js, and described in the README):
Markdown markers are not words: a list number ("1."), bullets, "#", ">", emphasis
marks, and a link's address ("[text](address)" counts its text only). What is left
is split on white space; a piece counts as one word when it holds at least one letter
or digit. So "anak-anak" and "dan/atau" are one word each, "2023" is a word, and a
lone dash or bullet is none.
"""

import re

# [text](address) and ![alt](address): keep the text.
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# An ordered-list number at the start of a line: "1." or "1)".
_ORDERED = re.compile(r"^[ \t]*\d+[.)](?=\s)", re.MULTILINE)
_WORD = re.compile(r"[^\W_]", re.UNICODE)


def count_words(text: str | None) -> int:
    """The number of words in `text` (Markdown), by the rule above."""
    if not text:
        return 0
    text = _LINK.sub(r" \1 ", text)
    text = _ORDERED.sub(" ", text)
    return sum(1 for piece in text.split() if _WORD.search(piece))

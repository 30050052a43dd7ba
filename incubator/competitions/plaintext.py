"""A section's Markdown as plain text for pasting into SINOVIK's form, and as blocks for DOCX.

SINOVIK takes plain text: emphasis and links' markup are dropped (a link keeps its text
and, when different, its address in brackets), a list item becomes a line starting with
"- " (numbered items keep their number), nested items are indented two spaces a level,
and every line break the writer typed is kept. Paragraphs are separated by a blank line.
Nothing is added or cut: the words are exactly what was written.
"""

from dataclasses import dataclass

from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("image")


@dataclass(frozen=True)
class Block:
    """One paragraph of the export: its text (line breaks as "\\n"), and for a list item
    its marker ("- " or "3. ") and depth (0 for the outer list)."""

    text: str
    marker: str = ""
    depth: int = 0
    group: int = 0  # which outermost list the item belongs to

    @property
    def line(self) -> str:
        """The block as plain text: a list item's marker in front, continuation lines
        indented under it."""
        if not self.marker:
            return self.text
        indent = "  " * self.depth
        lines = self.text.split("\n")
        pad = indent + " " * len(self.marker)
        return "\n".join([indent + self.marker + lines[0], *(pad + line for line in lines[1:])])


def blocks(source: str | None) -> list[Block]:
    """The paragraphs, headings, list items, quotes and code of `source`, in order."""
    if not source or not source.strip():
        return []
    found: list[Block] = []
    lists: list[list] = []  # for each open list: [ordered, next number]
    marker = ""
    group = 0
    for token in _parser.parse(source):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open") and not lists:
            group += 1
        if kind == "bullet_list_open":
            lists.append([False, 0])
        elif kind == "ordered_list_open":
            lists.append([True, int(token.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            ordered, number = lists[-1]
            marker = f"{number}. " if ordered else "- "
            if ordered:
                lists[-1][1] = number + 1
        elif kind == "inline":
            text = _inline_text(token.children or [])
            if marker:
                found.append(Block(text, marker, len(lists) - 1, group))
                marker = ""
            elif lists and found and found[-1].marker:
                # A second paragraph of the same item: a line of its own under it.
                last = found[-1]
                found[-1] = Block(f"{last.text}\n{text}", last.marker, last.depth, last.group)
            else:
                found.append(Block(text))
        elif kind in ("fence", "code_block"):
            found.append(Block(token.content.rstrip("\n")))
        elif kind == "hr":
            continue
    return found


def _inline_text(children) -> str:
    parts: list[str] = []
    href = None
    link_text: list[str] = []
    for child in children:
        kind = child.type
        target = link_text if href is not None else parts
        if kind in ("text", "code_inline", "html_inline"):
            target.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            target.append("\n")
        elif kind == "link_open":
            href = child.attrGet("href") or ""
            link_text = []
        elif kind == "link_close":
            text = "".join(link_text)
            parts.append(
                text if not href or href in (text, f"mailto:{text}") else f"{text} ({href})"
            )
            href = None
        # em, strong, s: the markup goes, the words stay.
    return "".join(parts)


def plain_text(source: str | None) -> str:
    """The section as SINOVIK takes it: blocks separated by a blank line, except list items
    of one list, which follow each other line by line."""
    out: list[str] = []
    previous: Block | None = None
    for block in blocks(source):
        if out:
            out.append(
                "\n" if (block.marker and previous and previous.group == block.group) else "\n\n"
            )
        out.append(block.line)
        previous = block
    return "".join(out)

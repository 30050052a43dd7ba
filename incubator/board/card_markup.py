"""The board's card list as HTML: the compact cards (DESIGN 4a) written by one function.

The board draws up to 150 cards a page and they are most of its markup, so they are not
a Jinja template: there every value of every card went through Jinja's attribute lookup,
its undefined checks and a separate escape call (about 3,700 of each a page), which was
a third of the board's time. Here each card is one f-string over values escaped as
markupsafe would (`escape`); the rest of the board stays in templates (`board/_cell.html`
calls `card_list`). tests/integration/board/test_card_markup.py holds the markup: what a
screen reader hears, the escaping of titles and names, the Move control.

What a card shows: title, agency and region, owner and mentor initials, next milestone
and its date, overdue badge, done/total as a thin bar, days in stage, and the
keyboard-reachable Move control. Details open in the side panel (board.js sends the
title link there). Each card is kept small (about 0.6 KB; test_budget.py holds the page
to 120 KB): no per-card gettext (`words` are translated once a page), no url_for
(`links` are built once a page: Move and drag build their URLs in board.js from the
list's data-cards and data-query), dates from one formatter a page (the year only when
it is not this one), no needless whitespace, and no classes: app.css styles a card by
position (`.board-list > li`): the drag handle is its first <i>, the owner its <abbr>
(mentors are <span>s), the bar the status line's <i> (drawn from --p; the days in stage
are that line's plain text), Move its <button>, and a <b> is visually hidden (words a
screen reader needs: "Next:", what done/total counts). Move is named "Move <title>" by
aria-labelledby: the page's one hidden #mv word (_body.html) and the title's id, rather
than repeating the title.
"""

from markupsafe import Markup

from ..dates import date_formatter


def escape(text: str) -> str:
    """`text` safe inside an element or a quoted attribute, as markupsafe writes it, but
    as a plain str: markupsafe's escape wraps every value in a Markup object, which was
    most of its cost over the board's 1,500 values."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def card_list(cards, words, links, can_move: bool, *, oob: bool = False) -> Markup:
    """The <li> of each card, in order, as one piece of markup."""
    day = date_formatter(year_if_other=True)
    owner_word, mentor_word = escape(words.owner), escape(words.mentor)
    done_word = f"<b> {escape(words.done)}</b></i> "
    days_word = f" {escape(words.days)}</p>"
    overdue = f"<mark>{escape(words.overdue)}</mark>"
    next_word = f" <b>{escape(words.next)}:</b>"
    href = escape(links.cards)
    handle = "<i></i>" if can_move else ""
    move = f">{escape(words.move)}</button></li>" if can_move else None
    swap = ' hx-swap-oob="true"' if oob else ""
    parts = []
    add = parts.append
    for card in cards:
        i = card.innovation
        card_id = i.id
        add(
            f'<li id="card-{card_id}" data-version="{i.version}"{swap}>{handle}'
            f'<h3><a id="t{card_id}" href="{href}{card_id}">{escape(i.title)}</a></h3><p>'
        )
        if i.agency_name:
            add(escape(i.agency_name))
            if i.region_name:
                add(f" · {escape(i.region_name)}")
        add("</p><p>")
        if i.owner_name:
            add(
                f'<abbr title="{owner_word}: {escape(i.owner_name)}">'
                f"{escape(i.owner_initials)}</abbr>"
            )
        for mentor in card.mentors:
            name, letters = escape(mentor.name), escape(mentor.initials)
            add(f'<span title="{mentor_word}: {name}">{letters}</span>')
        milestone = card.next_milestone
        if milestone:
            add(f"{next_word}{escape(milestone.title)}")
            if milestone.due_date:
                due = milestone.due_date
                add(f' · <time datetime="{due.isoformat()}">{escape(day(due))}</time>')
        add("</p><p>")
        if card.overdue:
            add(overdue)
        percent = card.percent
        bar = f' style="--p:{percent}%"' if percent else ""
        add(f"<i{bar}>{card.done}/{card.total}{done_word}{card.days_in_stage}{days_word}")
        add(f'<button aria-labelledby="mv t{card_id}"{move}' if move else "</li>")
    # Every value above went through escape(); the rest is this function's own markup.
    return Markup("".join(parts))  # noqa: S704

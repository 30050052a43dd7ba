"""How strong a new password is: zxcvbn, a list of common Indonesian passwords,
and the words of the person and their programmes. accounts.check_password_rules
calls this; each refusal says why, in the reader's language."""

from functools import cache
from pathlib import Path

from zxcvbn import zxcvbn

from ..translating import lazy_gettext as _l

COMMON_LIST = Path(__file__).with_name("common_passwords_id.txt")
# zxcvbn's scale: 3 is "safely unguessable" for an online attacker and slow hashes.
MIN_SCORE = 3
# The product's own name is the first word anyone tries.
PRODUCT_WORDS = ("incubator", "inkubator")
_LOOK_ALIKE = str.maketrans("013457@$", "oieastas")
_ZXCVBN_MAX = 100  # zxcvbn is slow on long input; a longer password is long enough


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


def _cores(password: str) -> set[str]:
    """The words a password is made of: "Sayang123!" -> "sayang", "s4y4ng" -> "sayang"."""
    lower = password.lower()
    return {core for core in (_letters(lower), _letters(lower.translate(_LOOK_ALIKE))) if core}


def _is_repeat_of(core: str, words: frozenset[str]) -> bool:
    """One of `words`, once or repeated ("sayangsayang")."""
    return any(
        len(core) % size == 0 and core[:size] in words and core == core[:size] * (len(core) // size)
        for size in range(1, len(core) + 1)
    )


def is_common(password: str) -> bool:
    return any(_is_repeat_of(core, common_passwords()) for core in _cores(password))


def is_personal(password: str, avoid: list[str]) -> bool:
    """Made of the person's or programme's words, with little else ("AnaNdolu2026")."""
    rest = password.lower()
    for word in sorted(avoid, key=len, reverse=True):
        if len(word) >= 3:
            rest = rest.replace(word, "")
    return rest != password.lower() and len(_letters(rest)) < 4


def personal_words(name: str, email: str, programme_names=()) -> list[str]:
    """What zxcvbn should treat as known to an attacker: the name, the address, the
    programmes' names, each whole and word by word."""
    local, _, domain = (email or "").lower().partition("@")
    words = [name, local, domain.split(".")[0], *programme_names, *PRODUCT_WORDS]
    parts = []
    for word in words:
        word = (word or "").lower()
        parts.append(word)
        parts.extend(p for p in "".join(c if c.isalnum() else " " for c in word).split())
    return [w for w in dict.fromkeys(parts) if len(w) >= 3]


def weakness(password: str, avoid: list[str]):
    """Why the password is too easy to guess (a message), or None when it is strong enough."""
    if is_common(password):
        return _l("This is one of the most common passwords in Indonesia. Choose another.")
    result = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=avoid)
    names = {m.get("dictionary_name") for m in result["sequence"]}
    if is_personal(password, avoid) or (result["score"] < MIN_SCORE and "user_inputs" in names):
        return _l(
            "Do not build your password from your name, your email address or the "
            "programme's name: those are the first words anyone tries."
        )
    if result["score"] >= MIN_SCORE:
        return None
    patterns = {m["pattern"] for m in result["sequence"]}
    if "passwords" in names:
        return _l("This is close to a commonly used password. Add another uncommon word.")
    for pattern, message in _PATTERN_MESSAGES:
        if pattern in patterns:
            return message
    return _l("This password is easy to guess. Add another word or two; uncommon words are best.")


_PATTERN_MESSAGES = (
    ("repeat", _l("Repeated characters such as “aaa” or “abcabc” are easy to guess.")),
    ("sequence", _l("Sequences such as “abcd” or “6543” are easy to guess.")),
    ("spatial", _l("Keyboard patterns such as “qwerty” are easy to guess.")),
    ("date", _l("Dates and years are easy to guess.")),
    ("regex", _l("Dates and years are easy to guess.")),
)

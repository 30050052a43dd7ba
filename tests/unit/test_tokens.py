"""Signed, expiring, single-purpose tokens: what they accept and what they refuse."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from incubator.pipeline import tokens
from incubator.pipeline.tokens import Purpose, TokenError

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


@pytest.fixture(autouse=True)
def app_context():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "unit-test-key"
    with app.app_context():
        yield app


def issue(purpose=Purpose.PASSWORD_RESET, subject=7, bound="hash-1"):
    return tokens.issue(purpose, subject, expires_at=LATER, bound_to=bound)


def check(token, purpose=Purpose.PASSWORD_RESET, bound="hash-1", now=NOW):
    return tokens.check(purpose, token, lambda subject_id: bound, now=now)


def reason(token, **kwargs) -> str:
    with pytest.raises(TokenError) as caught:
        check(token, **kwargs)
    return caught.value.reason


def test_a_fresh_token_names_its_subject_and_expiry():
    claim = check(issue())
    assert (claim.subject_id, claim.expires_at) == (7, LATER)


def test_the_same_inputs_give_the_same_token():
    assert issue() == issue()
    assert issue(bound="hash-2") != issue()


def test_expired_is_refused():
    assert reason(issue(), now=LATER) == "expired"
    assert check(issue(), now=LATER - timedelta(seconds=1)).subject_id == 7


def test_once_the_bound_value_changes_the_token_is_used():
    assert reason(issue(), bound="hash-2") == "used"


def test_a_token_for_one_purpose_is_refused_for_another():
    assert reason(issue(Purpose.INVITATION), purpose=Purpose.PASSWORD_RESET) == "invalid"
    assert reason(issue(Purpose.PASSWORD_RESET), purpose=Purpose.INVITATION) == "invalid"


def test_a_gone_subject_is_refused():
    token = issue()
    with pytest.raises(TokenError) as caught:
        tokens.check(Purpose.PASSWORD_RESET, token, lambda subject_id: None, now=NOW)
    assert caught.value.reason == "invalid"


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature altered
        lambda t: ("A" if t[0] != "A" else "B") + t[1:],  # payload altered
        lambda t: t[: len(t) // 2],  # cut off
        lambda t: "",
        lambda t: "x" * 600,
        lambda t: t + "." + t,
    ],
)
def test_tampered_tokens_are_refused(change):
    assert reason(change(issue())) == "invalid"


def test_another_key_is_refused(app_context):
    token = issue()
    app_context.config["SECRET_KEY"] = "another-key"
    assert reason(token) == "invalid"


def test_payloads_we_never_sign_are_refused():
    from itsdangerous import URLSafeSerializer

    serializer = URLSafeSerializer("unit-test-key", salt="incubator.token.password_reset")
    fingerprint = tokens._fingerprint(Purpose.PASSWORD_RESET, "hash-1")
    for payload in (
        [True, int(LATER.timestamp()), fingerprint],
        [2**70, int(LATER.timestamp()), fingerprint],
        [7, "tomorrow", fingerprint],
        [7, int(LATER.timestamp())],
        {"id": 7},
    ):
        assert reason(serializer.dumps(payload)) == "invalid", payload

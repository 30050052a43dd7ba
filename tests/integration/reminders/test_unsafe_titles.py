"""A title saved before the single-line rule (CR/LF inside) does not stop its emails."""

from incubator.extensions import db

from .conftest import run_deliver, run_enqueue


def test_emails_about_an_innovation_with_a_line_break_in_its_title_still_send(
    monday, app, world, smtp
):
    # Written past the forms, as an old row would be: the forms now refuse it.
    world.innovation.title = "Antrian\r\nBcc: someone@example.org"
    world.mentor.name = "Ana\nNdolu"
    db.session.commit()
    run_enqueue()
    result = run_deliver()
    assert result.failed == 0 and result.retrying == 0
    subjects = [str(m["Subject"]).strip() for m in smtp.messages]
    about = [s for s in subjects if "Antrian" in s]
    assert about, subjects
    assert all("Antrian Bcc: someone@example.org" in s for s in about)
    assert not any(m["Bcc"] for m in smtp.messages)

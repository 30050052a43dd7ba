"""Reminders: rules, the outbox, enqueue and deliver, the scheduler, and their pages.

DESIGN section 3: enqueue writes due reminders into the outbox under a unique
dedupe key (idempotent), deliver claims and sends them through Flask-Mailman.
"""

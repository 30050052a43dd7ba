"""The domain: business rules and one plain function per business action.

Operations change data, write the activity entry and flush. They never read
`flask.request` and never commit: the caller (a view or a CLI command) commits once.
"""


class DomainError(Exception):
    """A business rule refused the action; the message is meant for the user."""

    status_code = 422

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message  # may be a lazy string: translated when shown
        self.field = field


class NotAllowed(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409

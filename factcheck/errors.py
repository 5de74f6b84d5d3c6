"""The one error type of the services: a refusal with the message the user reads and the
HTTP status a view answers with (docs/architecture.md, "Errors").

``Refused`` is a Django ``ValidationError``, so a service's refusal and a form's error read
the same way (``error.messages``), and ``str(error)`` is the message itself. Views turn it
into a response with its ``status``; nothing was written when it is raised.
"""

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """The change was refused and nothing was written."""

    status = 422

    def __init__(self, message: str):
        super().__init__(message)

    def __str__(self) -> str:
        return " ".join(self.messages)


class NotAllowed(Refused):
    """The user may not make this change (role, four eyes, or the object's state)."""

    status = 403


class Stale(Refused):
    """Someone else changed the object since the form was loaded."""

    status = 409


def status_of(error: ValidationError) -> int:
    """The HTTP status for a refusal: a plain ValidationError is a 422 too."""
    return getattr(error, "status", 422)

"""Exceptions that carry the message a person reads when a rule is broken.

Services raise one subclass per rule. Views turn ``RuleError`` into a form
error or a 400/409 response, and ``RoleRequired`` into a 403.
"""

from django.core.exceptions import PermissionDenied


class RuleError(Exception):
    """A request that breaks one of the product's rules; ``str(error)`` is for people."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message


class ConflictError(RuleError):
    """The request was based on a state that has changed since the page was loaded."""

    status = 409


class RoleRequired(PermissionDenied):
    """The acting user's role in the team does not allow the action."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message

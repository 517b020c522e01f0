"""One exception per notification rule, each carrying the message a person reads."""

from partnerboard.errors import ConflictError, RuleError


class UndoWindowClosed(ConflictError):
    """The email is no longer waiting (sent, sending, cancelled) or its undo delay has passed."""


class NotRetryable(ConflictError):
    """Only a failed notification can be sent again."""


class InvalidSentence(RuleError):
    pass

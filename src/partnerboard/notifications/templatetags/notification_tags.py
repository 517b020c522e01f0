from django import template

from partnerboard.notifications import queries
from partnerboard.notifications.services import seconds_left

register = template.Library()


@register.simple_tag(takes_context=True)
def undoable_emails(context, project):
    """Return the emails this session queued on the project that are still inside their undo window."""
    return queries.undoable_for(context["request"], project)


@register.filter
def undo_seconds(notification) -> int:
    return seconds_left(notification)

"""Template helpers of the board page."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

SELECTED = mark_safe(" selected")


@register.simple_tag
def stage_options(stages):
    """Build the <option> list of the per-card "Move to" select once per stage, with that stage selected.

    A board renders up to BOARD_COLUMN_PAGE_SIZE cards per column and one
    select per card. Looping over every stage inside every card made this
    select most of the page's rendering time, so each card looks up one of
    these prebuilt lists by its stage id instead.
    """
    return {
        current.pk: format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((stage.public_id, SELECTED if stage.pk == current.pk else "", stage.name) for stage in stages),
        )
        for current in stages
    }


@register.filter
def options_for(options_by_stage, card):
    """Return the prebuilt options of `stage_options` with the card's own stage selected."""
    return options_by_stage[card.stage_id]

"""Template helpers of the board page."""

from django import template
from django.template.defaultfilters import urlencode
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext

from partnerboard.accounts.models import Kind

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


# The card id in the URL templates of `card_urls`. A card's version 4 UUID is never all zeros.
CARD_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


@register.simple_tag
def card_urls(team, project, name_filter=""):
    """Reverse the card page, move and return URLs of a board once, with a placeholder for the card id.

    Reversing three URLs for each of the hundreds of cards on a board took a
    quarter of its rendering time, so `with_card` fills in each card's id instead.
    """
    board_url = reverse("projects:board", args=[team.slug, project.public_id])
    if name_filter:
        board_url += "?q=" + urlencode(name_filter)
    return {
        "detail": reverse("projects:card", args=[team.slug, project.public_id, CARD_PLACEHOLDER]),
        "move": reverse("projects:move", args=[team.slug, project.public_id, CARD_PLACEHOLDER]),
        "next": f"{board_url}#card-{CARD_PLACEHOLDER}",
    }


@register.filter
def with_card(url_template, card):
    """Return a URL of `card_urls` for this card."""
    return url_template.replace(CARD_PLACEHOLDER, str(card.public_id))


# The two filters below produce the same text, from the same translation strings, as
# {% blocktranslate %} would, at a fraction of the cost per card.


@register.filter
def time_in_stage(card):
    """Return how long the card has been in its stage, such as "3 days in stage"."""
    return gettext("%(age)s in stage") % {"age": timesince(card.stage_entered_at)}


@register.filter
def move_label(card):
    """Return the accessible label of the card's "Move to" select."""
    return gettext("Move %(name)s to") % {"name": card.partner.name}


KIND_LABELS = dict(Kind.choices)


@register.filter
def kind_label(partner):
    """Return the partner's kind as people read it, like get_kind_display() without its per-call lookup."""
    return KIND_LABELS.get(partner.kind, partner.kind)

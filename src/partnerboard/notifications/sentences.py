"""The partner-facing sentence of each stage email, written from the partner's side.

A sentence may contain {team}, {partner} and {project}; ``fill_sentence``
replaces those three words and nothing else, so a sentence a member typed can
never reach other values.
"""

from django.utils.translation import gettext_lazy as _

# One sentence per stage name that notifies in at least one built-in template.
DEFAULT_SENTENCES = {
    "Request sent": _("{team} would like to work with {partner} and has started a {project} project with you."),
    # Co-marketing
    "Campaign idea formalized / approved": _("The campaign idea for {partner} and {team} is approved and written down."),
    "Campaign is live": _("The joint campaign of {team} and {partner} is live."),
    # Co-selling
    "Invited to map accounts": _("{team} invites {partner} to map your accounts against theirs."),
    "Scheduled a call to review": _("{team} has scheduled a call with {partner} to review the mapped accounts."),
    "Began intros to overlapping audiences": _("{team} has begun introductions to the customers you share."),
    "Create a piece of content together": _("{team} would like to create a piece of content with {partner}."),
    "Share one-pager with their sales team": _("{team} asks {partner} to share its one-pager with your sales team."),
    # Integrations and Strategic Alliances
    "Meetings scheduled": _("{team} has scheduled the first meetings with {partner}."),
    "Development committed": _("{team} has committed to building the integration with {partner}."),
    "QA": _("The integration between {team} and {partner} is being tested."),
    "Pre-launch planning call": _("{team} would like a call with {partner} to plan the launch."),
    "Launch": _("The integration between {team} and {partner} is launching."),
    "Co-marketing committed": _("{team} has committed to co-marketing with {partner}."),
    "Account mapping invites": _("{team} invites {partner} to map accounts together."),
    "Warm intros": _("{team} is starting warm introductions between your customers and theirs."),
    "Campaigns live": _("The joint campaigns of {team} and {partner} are live."),
    # Agency onboarding
    "Intro call scheduled": _("{team} has scheduled an intro call with {partner}."),
    "Partner agreement signed": _("The partner agreement between {partner} and {team} is signed."),
    "Onboarding and training": _("{partner} is starting onboarding and training with {team}."),
    "Certified": _("{partner} is now certified as a {team} partner."),
    "Listed in partner directory": _("{partner} is now listed in the partner directory of {team}."),
}

FALLBACK_SENTENCE = _("{partner} has moved to “{stage}” in the {project} project of {team}.")


def default_sentence(stage_name: str) -> str:
    return str(DEFAULT_SENTENCES.get(stage_name, FALLBACK_SENTENCE))


def fill_sentence(sentence: str, *, team: str, partner: str, project: str, stage: str) -> str:
    values = {"{team}": team, "{partner}": partner, "{project}": project, "{stage}": stage}
    # Replace left to right in one pass, so a name that itself contains "{team}" stays as typed.
    result = []
    position = 0
    while position < len(sentence):
        for placeholder, value in values.items():
            if sentence.startswith(placeholder, position):
                result.append(value)
                position += len(placeholder)
                break
        else:
            result.append(sentence[position])
            position += 1
    return "".join(result)


def stage_sentence(stage, **names) -> str:
    """Return the stage's own sentence, or the default for its name, with the names filled in."""
    template = stage.email_sentence.strip() or default_sentence(stage.name)
    return fill_sentence(template, stage=stage.name, **names)

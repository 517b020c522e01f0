"""The five built-in templates: the recommended stages of each kind of partnership.

A stage name ending in "*" notifies the partner when a card enters it. Every
template starts with Request sent and has Not a fit and Stale, which never
notify.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from partnerboard.accounts.models import Kind

REQUEST_SENT = "Request sent"
NOT_A_FIT = "Not a fit"
STALE = "Stale"
SILENT_STAGES = {NOT_A_FIT, STALE}


@dataclass(frozen=True)
class StageSpec:
    name: str
    notifies: bool


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    purpose: str
    visibility: str
    partner_kinds: tuple[str, ...]
    stages: tuple[StageSpec, ...]

    @property
    def is_shared(self) -> bool:
        return self.visibility == "shared"

    def accepts(self, kind: str) -> bool:
        return kind in self.partner_kinds

    @property
    def partner_kinds_label(self) -> str:
        return str(_(" and ")).join(str(KIND_PLURALS[kind]) for kind in self.partner_kinds)


def stages(*names: str) -> tuple[StageSpec, ...]:
    return tuple(StageSpec(name.rstrip("*"), name.endswith("*")) for name in names)


KIND_PLURALS = {Kind.SAAS.value: _("SaaS companies"), Kind.AGENCY.value: _("agencies")}
KIND_WITH_ARTICLE = {Kind.SAAS.value: _("a SaaS company"), Kind.AGENCY.value: _("an agency")}

BOTH_KINDS = (Kind.SAAS.value, Kind.AGENCY.value)

TEMPLATES: tuple[Template, ...] = (
    Template(
        key="co-marketing",
        title=_("Co-marketing"),
        purpose=_("Promote one another's product or service."),
        visibility="internal",
        partner_kinds=BOTH_KINDS,
        stages=stages(
            "Request sent*",
            "Not a fit",
            "Reached out with an idea",
            "Campaign idea formalized / approved*",
            "Pitched account mapping",
            "Mapped accounts",
            "Campaign is live*",
            "Everyone has shared on social",
            "Booked follow-up",
            "Into a co-selling motion",
            "Stale",
        ),
    ),
    Template(
        key="co-selling",
        title=_("Co-selling"),
        purpose=_("Sell each other's product or services."),
        visibility="internal",
        partner_kinds=BOTH_KINDS,
        stages=stages(
            "Request sent*",
            "Not a fit",
            "Invited to map accounts*",
            "Scheduled a call to review*",
            "Began intros to overlapping audiences*",
            "Create a piece of content together*",
            "Share one-pager with their sales team*",
            "Partners on repeating co-selling calls",
            "Stale",
        ),
    ),
    Template(
        key="integrations",
        title=_("Integrations"),
        purpose=_("Build an integration together."),
        visibility="shared",
        partner_kinds=(Kind.SAAS.value,),
        stages=stages(
            "Request sent*",
            "Not a fit",
            "Meetings scheduled*",
            "Specifications",
            "Development committed*",
            "QA*",
            "Pre-launch planning call*",
            "Launch*",
            "Post-launch activities",
            "Stale",
        ),
    ),
    Template(
        key="strategic-alliances",
        title=_("Strategic Alliances"),
        purpose=_("A strategic alliance."),
        visibility="shared",
        partner_kinds=BOTH_KINDS,
        stages=stages(
            "Request sent",
            "Not a fit",
            "Meetings scheduled*",
            "Plan created",
            "Co-marketing committed*",
            "Account mapping invites*",
            "Warm intros*",
            "Pre-launch meeting",
            "Campaigns live*",
            "Post-launch activities",
            "Stale",
        ),
    ),
    Template(
        key="agency-onboarding",
        title=_("Agency onboarding"),
        purpose=_("Bring an agency into the partner programme."),
        visibility="shared",
        partner_kinds=(Kind.AGENCY.value,),
        stages=stages(
            "Request sent*",
            "Not a fit",
            "Intro call scheduled*",
            "Partner agreement signed*",
            "Onboarding and training*",
            "Certified*",
            "Listed in partner directory*",
            "First client referred",
            "Active partner",
            "Stale",
        ),
    ),
)

TEMPLATES_BY_KEY = {template.key: template for template in TEMPLATES}

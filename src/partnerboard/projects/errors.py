"""One exception per board rule, each carrying a message that names the partner, project and stage."""

from partnerboard.errors import ConflictError, RuleError


class PartnerNotInTeam(RuleError):
    """Only partners from the team's own list can be added."""


class PartnerArchived(RuleError):
    pass


class AlreadyOnProject(ConflictError):
    """A partner is at most once on a project; a unique constraint backs this."""


class WrongPartnerKind(RuleError):
    """Integrations takes SaaS companies, Agency onboarding takes agencies."""


class StageNotInProject(RuleError):
    """A card moves only between the stages of its own project."""


class AfterCardNotInStage(RuleError):
    pass


class CardMovedMeanwhile(ConflictError):
    """Another member moved the card after the page that sent this move was loaded."""


class ProjectArchived(RuleError):
    pass


class InvalidProjectName(RuleError):
    pass


class UnknownTemplate(RuleError):
    pass

"""One exception per board rule, each carrying a message that names the partner, project and stage."""

from partnerboard.errors import ConflictError, RuleError


class PartnerNotInTeam(RuleError):
    """Rule 1: only partners from the team's own list can be added."""


class PartnerArchived(RuleError):
    pass


class AlreadyOnProject(ConflictError):
    """Rule 2: a partner is at most once on a project."""


class WrongPartnerKind(RuleError):
    """Rule 3: Integrations takes SaaS companies, Agency onboarding takes agencies."""


class StageNotInProject(RuleError):
    """Rule 4: a card moves only between the stages of its own project."""


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

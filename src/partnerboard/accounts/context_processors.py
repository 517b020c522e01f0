def current_team(request):
    """Expose the membership the current page was looked up through, and the user's other teams."""
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    memberships = []
    if user is not None and user.is_authenticated:
        memberships = list(user.memberships.select_related("team").order_by("team__name"))
    return {
        "membership": membership,
        "team": membership.team if membership else None,
        "my_memberships": memberships,
    }

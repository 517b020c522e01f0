from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from partnerboard.accounts.models import Membership


def home(request):
    """Send a signed-in user to the projects of their first team, others to sign in."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    membership = Membership.objects.filter(user=request.user).select_related("team").order_by("created_at").first()
    if membership is None:
        return render(request, "accounts/no_team.html")
    return redirect("projects:list", team_slug=membership.team.slug)


@login_required
def teams(request):
    return render(request, "accounts/teams.html")

from django.urls import include, path

from partnerboard.accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("t/<slug:team_slug>/partners/", include("partnerboard.partners.urls")),
    path("t/<slug:team_slug>/projects/", include("partnerboard.projects.urls")),
    path("t/<slug:team_slug>/notifications/", include("partnerboard.notifications.urls")),
    path("", include("partnerboard.accounts.urls")),
    path("", include("partnerboard.network.urls")),
]

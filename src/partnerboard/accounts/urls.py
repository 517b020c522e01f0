from django.urls import path

from partnerboard.accounts import views

urlpatterns = [
    path("teams/", views.teams, name="teams"),
]

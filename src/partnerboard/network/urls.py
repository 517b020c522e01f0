from django.urls import path

from partnerboard.network import views

app_name = "network"

urlpatterns = [
    path("connect/<uuid:connection_id>/<str:token>/", views.accept, name="accept"),
    path("t/<slug:team_slug>/connections/", views.connections, name="connections"),
    path("t/<slug:team_slug>/connections/request/<uuid:partner_id>/", views.request_connection, name="request"),
    path("t/<slug:team_slug>/connections/<uuid:connection_id>/revoke/", views.revoke_request, name="revoke"),
    path("t/<slug:team_slug>/connections/disconnect/<uuid:partner_id>/", views.disconnect, name="disconnect"),
    path("t/<slug:team_slug>/shared/<uuid:card_id>/", views.shared_detail, name="shared"),
]

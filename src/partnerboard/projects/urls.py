from django.urls import path

from partnerboard.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.new_project, name="new"),
    path("<uuid:project_id>/", views.board, name="board"),
    path("<uuid:project_id>/settings/", views.project_settings, name="settings"),
    path("<uuid:project_id>/archive/", views.archive, name="archive"),
    path("<uuid:project_id>/restore/", views.restore, name="restore"),
    path("<uuid:project_id>/add/", views.add_partner, name="add"),
    path("<uuid:project_id>/stages/<uuid:stage_id>/cards/", views.column_cards, name="column"),
    path("<uuid:project_id>/cards/<uuid:card_id>/", views.card_detail, name="card"),
    path("<uuid:project_id>/cards/<uuid:card_id>/move/", views.move, name="move"),
]

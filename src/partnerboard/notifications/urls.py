from django.urls import path

from partnerboard.notifications import views

app_name = "notifications"

urlpatterns = [
    path("<uuid:notification_id>/", views.detail, name="detail"),
    path("<uuid:notification_id>/undo/", views.undo, name="undo"),
    path("<uuid:notification_id>/retry/", views.retry, name="retry"),
    path("projects/<uuid:project_id>/", views.project_log, name="project_log"),
    path("projects/<uuid:project_id>/emails/", views.stage_emails, name="stage_emails"),
    path("partners/<uuid:partner_id>/", views.partner_log, name="partner_log"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

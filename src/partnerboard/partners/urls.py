from django.urls import path

from partnerboard.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="list"),
    path("new/", views.partner_new, name="new"),
    path("<uuid:partner_id>/", views.partner_detail, name="detail"),
    path("<uuid:partner_id>/edit/", views.partner_edit, name="edit"),
    path("<uuid:partner_id>/archive/", views.partner_archive, name="archive"),
    path("<uuid:partner_id>/restore/", views.partner_restore, name="restore"),
]

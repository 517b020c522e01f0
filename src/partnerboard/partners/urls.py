from django.urls import path

from partnerboard.partners import import_views, views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="list"),
    path("new/", views.partner_new, name="new"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/<uuid:import_id>/", import_views.import_preview, name="import_preview"),
    path("import/<uuid:import_id>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<uuid:import_id>/cancel/", import_views.import_cancel, name="import_cancel"),
    path("export.csv", import_views.export_csv, name="export"),
    path("<uuid:partner_id>/", views.partner_detail, name="detail"),
    path("<uuid:partner_id>/edit/", views.partner_edit, name="edit"),
    path("<uuid:partner_id>/archive/", views.partner_archive, name="archive"),
    path("<uuid:partner_id>/restore/", views.partner_restore, name="restore"),
]

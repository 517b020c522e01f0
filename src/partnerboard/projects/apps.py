from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "partnerboard.projects"
    label = "projects"

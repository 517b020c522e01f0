from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partnerboard.partners"
    label = "partners"

from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "partnerboard.network"
    verbose_name = "Partner network"
    default_auto_field = "django.db.models.BigAutoField"

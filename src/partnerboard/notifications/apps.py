from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "partnerboard.notifications"
    label = "notifications"

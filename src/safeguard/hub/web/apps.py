from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "safeguard.hub.web"
    label = "web"
    verbose_name = "Web: the practitioners' pages"

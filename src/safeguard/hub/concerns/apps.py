from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "safeguard.hub.concerns"
    label = "concerns"
    verbose_name = "The public's concerns"

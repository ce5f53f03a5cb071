from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "safeguard.hub.alerts"
    label = "alerts"
    verbose_name = "Alerts to named owners"

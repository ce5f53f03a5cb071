from django.apps import AppConfig


class DeliveriesConfig(AppConfig):
    name = "safeguard.hub.deliveries"
    label = "deliveries"
    verbose_name = "Agency deliveries and source records"

from django.apps import AppConfig


class CarehomesConfig(AppConfig):
    name = "safeguard.hub.carehomes"
    label = "carehomes"
    verbose_name = "Children's homes at work: register, SPOC coverage, visits, notifications"

    def ready(self) -> None:
        from safeguard.hub.carehomes import services  # noqa: F401 - registers its watch

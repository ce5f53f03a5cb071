from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "safeguard.hub.intelligence"
    label = "intelligence"
    verbose_name = "Intelligence: screenings, network findings and missing-episode alerts"

    def ready(self) -> None:
        from safeguard.hub.intelligence import services  # noqa: F401 - registers its stage reactions

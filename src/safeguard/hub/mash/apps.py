from django.apps import AppConfig


class MashConfig(AppConfig):
    name = "safeguard.hub.mash"
    label = "mash"
    verbose_name = "MASH front door: contacts, ratings, agency checks and decisions"

    def ready(self) -> None:
        from safeguard.hub.mash import services  # noqa: F401 - registers its stage reactions

from django.apps import AppConfig


class HomesConfig(AppConfig):
    name = "safeguard.hub.homes"
    label = "homes"
    verbose_name = "Children's homes and their police single points of contact"

    def ready(self) -> None:
        from safeguard.hub.homes import services  # noqa: F401 - registers its stage reactions

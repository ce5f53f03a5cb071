from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "safeguard.hub.missing"
    label = "missing"
    verbose_name = "Missing children: episodes, return home interviews, Philomena Protocol"

    def ready(self) -> None:
        from safeguard.hub.missing import services  # noqa: F401 - registers its reactions

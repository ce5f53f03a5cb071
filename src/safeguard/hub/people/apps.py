from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safeguard.hub.people"
    label = "people"
    verbose_name = "People: linked identities, link decisions and their history"

    def ready(self) -> None:
        from safeguard.hub.people import services  # noqa: F401 - registers its stage reactions

from django.apps import AppConfig


class MaceConfig(AppConfig):
    name = "safeguard.hub.mace"
    label = "mace"
    verbose_name = "MACE meetings: agendas, decisions, actions and disruption"

    def ready(self) -> None:
        from safeguard.hub.mace import services  # noqa: F401 - registers its watch

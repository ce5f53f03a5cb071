from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "safeguard.hub.governance"
    label = "governance"
    verbose_name = (
        "Governance: the review of inquiry recommendations, action plans and the Ofsted register"
    )

    def ready(self) -> None:
        from safeguard.hub.governance import services  # noqa: F401 - registers its watch

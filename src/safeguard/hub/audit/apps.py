from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safeguard.hub.audit"
    label = "audit"
    verbose_name = "Audit: every view, search, decision and refusal"

    def ready(self) -> None:
        from safeguard.hub.audit import watch  # noqa: F401 - registers the daily anchor

from django.apps import AppConfig


class SafeguardWebConfig(AppConfig):
    name = "safeguard.web.app"
    label = "safeguard_web"
    verbose_name = "safeguard case store"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguard.web.app import signals  # noqa: F401 - connects the audit receivers

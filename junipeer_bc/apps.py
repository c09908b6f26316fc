from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project itself, installed only for its system checks (no models)."""

    name = "junipeer_bc"
    verbose_name = "Junipeer BC"

    def ready(self) -> None:
        from junipeer_bc import checks  # noqa: F401 - registers the checks

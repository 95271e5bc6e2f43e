from django.apps import AppConfig


class DangqunConfig(AppConfig):
    """The shell app: base templates, static files and the `dangqun` commands."""

    name = "dangqun"
    verbose_name = "dangqun"

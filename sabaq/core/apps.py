from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sabaq.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Each app declares its access rules in `permissions.py`; importing
        # them here fills the one rule book that middleware and API consult.
        autodiscover_modules("permissions", "navigation")

from django.utils.translation import gettext_lazy as _

from sabaq.core.menu import menu

menu.register("core:audit_log", _("Audit log"), order=90)

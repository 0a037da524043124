from django.utils.translation import gettext_lazy as _

from sabaq.core.menu import menu

menu.register("accounts:person_list", _("People"), order=20)

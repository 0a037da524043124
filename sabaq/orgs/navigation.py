from django.utils.translation import gettext_lazy as _

from sabaq.core.menu import menu

menu.register("orgs:organisation_list", _("Organisations"), order=10)

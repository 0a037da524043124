from django.utils.translation import gettext_lazy as _

from sabaq.core.menu import menu

menu.register("schools:overview", _("School structure"), order=30)
menu.register("schools:class_list", _("Classes"), order=31)

from django.utils.translation import gettext_lazy as _

from sabaq.core.menu import menu

menu.register("people:student_list", _("Students"), order=21)
menu.register("people:staff_list", _("Staff"), order=22)

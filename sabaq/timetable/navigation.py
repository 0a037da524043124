from django.utils.translation import gettext_lazy as _

from sabaq.core.menu import menu

menu.register("timetable:my_week", _("My timetable"), order=40)
menu.register("timetable:overview", _("Timetable"), order=41)
menu.register("timetable:browse", _("School timetable"), order=42)
menu.register("timetable:absence_list", _("Substitutions"), order=43)

"""The home page of each role: what that role does first in Sabaq."""

from django.shortcuts import render

from sabaq.accounts import selectors
from sabaq.accounts.models import SCHOOL_ADMIN_ROLES, Membership, Role


def render_home(request, membership: Membership):
    role = membership.role
    if role in SCHOOL_ADMIN_ROLES:
        from sabaq.people.selectors import attestations_due

        context = {
            "counts": selectors.school_role_counts(actor=membership),
            "attestations_due": attestations_due(actor=membership),
        }
        template = "accounts/home_school_admin.html"
    elif role == Role.TEACHER:
        context = {}
        template = "accounts/home_teacher.html"
    elif role == Role.STUDENT:
        context = {}
        template = "accounts/home_student.html"
    elif role == Role.PARENT:
        from sabaq.people.selectors import children_in_school

        context = {"children": children_in_school(actor=membership)}
        template = "accounts/home_parent.html"
    elif role in (Role.DISTRICT_OFFICER, Role.REGION_OFFICER):
        from sabaq.orgs.selectors import schools_overview

        context = {"schools": schools_overview(actor=membership)}
        template = "accounts/home_authority.html"
    else:
        from sabaq.orgs.selectors import platform_overview

        context = {"overview": platform_overview(actor=membership)}
        template = "accounts/home_platform_admin.html"

    return render(request, template, context)

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from sabaq.accounts import services as account_services
from sabaq.accounts.forms import FIRST_ADMIN_ROLE_CHOICES, PersonCreateForm
from sabaq.core.forms import form_add_service_errors
from sabaq.orgs import selectors, services
from sabaq.orgs.forms import OrganisationForm
from sabaq.orgs.models import OrganisationKind

_KIND_TITLES = {
    OrganisationKind.REGION: _("New region"),
    OrganisationKind.DISTRICT: _("New district"),
    OrganisationKind.SCHOOL: _("New school"),
}
_PARENT_KIND = {
    OrganisationKind.DISTRICT: OrganisationKind.REGION,
    OrganisationKind.SCHOOL: OrganisationKind.DISTRICT,
}


def organisation_list(request):
    return render(
        request, "orgs/organisation_list.html", {"tree": selectors.organisation_tree()}
    )


def organisation_create(request, kind, parent_id=None):
    parent = None
    if kind != OrganisationKind.REGION:
        parent = selectors.organisation_get(
            organisation_id=parent_id, kind=_PARENT_KIND[OrganisationKind(kind)]
        )

    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.membership, kind=kind, parent=parent, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            if organisation.kind == OrganisationKind.SCHOOL:
                return redirect("orgs:school_detail", school_id=organisation.pk)
            return redirect("orgs:organisation_list")

    return render(
        request,
        "orgs/organisation_create.html",
        {"form": form, "parent": parent, "title": _KIND_TITLES[OrganisationKind(kind)]},
    )


def school_detail(request, school_id):
    """A school seen by the platform admin: its director and deputy heads."""
    school = selectors.organisation_get(
        organisation_id=school_id, kind=OrganisationKind.SCHOOL
    )
    form = PersonCreateForm(request.POST or None, role_choices=FIRST_ADMIN_ROLE_CHOICES)
    if request.method == "POST" and form.is_valid():
        try:
            created = account_services.person_create(
                actor=request.membership, organisation=school, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return render(
                request,
                "accounts/person_created.html",
                {
                    "person": created.person,
                    "password": created.password,
                    "school": school,
                },
            )

    return render(
        request,
        "orgs/school_detail.html",
        {
            "school": school,
            "admins": selectors.school_admins(school=school),
            "form": form,
        },
    )

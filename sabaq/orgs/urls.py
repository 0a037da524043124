from django.urls import path

from sabaq.orgs import views
from sabaq.orgs.models import OrganisationKind

app_name = "orgs"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path(
        "regions/new/",
        views.organisation_create,
        {"kind": OrganisationKind.REGION},
        name="region_create",
    ),
    path(
        "regions/<int:parent_id>/new-district/",
        views.organisation_create,
        {"kind": OrganisationKind.DISTRICT},
        name="district_create",
    ),
    path(
        "districts/<int:parent_id>/new-school/",
        views.organisation_create,
        {"kind": OrganisationKind.SCHOOL},
        name="school_create",
    ),
    path("schools/<int:school_id>/", views.school_detail, name="school_detail"),
]

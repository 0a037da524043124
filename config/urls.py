from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from sabaq.accounts.api import api_urlpatterns as accounts_api
from sabaq.orgs.api import api_urlpatterns as orgs_api
from sabaq.people.api import api_urlpatterns as people_api
from sabaq.schools.api import api_urlpatterns as schools_api
from sabaq.timetable.api import api_urlpatterns as timetable_api

api_v1 = [
    *accounts_api,
    *orgs_api,
    *people_api,
    *schools_api,
    *timetable_api,
]

urlpatterns = [
    path("", include("sabaq.accounts.urls")),
    path("school/", include("sabaq.core.urls")),
    path("organisations/", include("sabaq.orgs.urls")),
    path("school/structure/", include("sabaq.schools.urls")),
    path("school/people/", include("sabaq.people.urls")),
    path("school/timetable/", include("sabaq.timetable.urls")),
    path(
        "api/",
        include(
            (
                [
                    path("v1/", include(api_v1)),
                    path("schema/", SpectacularAPIView.as_view(), name="schema"),
                    path(
                        "docs/",
                        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
                        name="docs",
                    ),
                ],
                "api",
            )
        ),
    ),
]

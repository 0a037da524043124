"""API for organisations: the regions, districts and schools a person may see."""

from django.urls import path
from rest_framework import generics, serializers

from sabaq.orgs.models import Organisation
from sabaq.orgs.selectors import organisations_visible_to


class OrganisationSerializer(serializers.ModelSerializer):
    name = serializers.CharField()

    class Meta:
        model = Organisation
        fields = ["id", "kind", "parent", "name", "name_kk", "name_ru", "name_en"]


class OrganisationListView(generics.ListAPIView):
    """Organisations the caller belongs to, and those under them."""

    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return organisations_visible_to(self.request.user)


api_urlpatterns = [
    path("organisations/", OrganisationListView.as_view(), name="organisations"),
]

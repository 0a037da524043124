"""API for the current person: who they are, their roles, an API token."""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from sabaq.accounts import selectors, services
from sabaq.accounts.models import Membership, User


class OrganisationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer(allow_null=True)
    role_display = serializers.CharField(source="get_role_display")

    class Meta:
        model = Membership
        fields = ["id", "role", "role_display", "organisation"]


class MeSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField()
    phone = serializers.CharField(source="phone_display")
    active_membership = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "login",
            "surname",
            "name",
            "patronymic",
            "full_name",
            "phone",
            "email",
            "language",
            "must_change_password",
            "active_membership",
        ]

    @extend_schema(responses=MembershipSerializer(allow_null=True))
    def get_active_membership(self, user) -> dict | None:
        membership = self.context["request"].membership
        return MembershipSerializer(membership).data if membership else None


class MeView(generics.RetrieveAPIView):
    """The person making the request."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class MembershipListView(generics.ListAPIView):
    """The roles of the person making the request; send one's id as the
    `X-Sabaq-Membership` header to act in that role."""

    serializer_class = MembershipSerializer

    def get_queryset(self):
        return selectors.memberships_of(self.request.user)


class TokenRequestSerializer(serializers.Serializer):
    login = serializers.CharField(help_text="Login name or IIN.")
    password = serializers.CharField(style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(APIView):
    """Trade a login (or IIN) and password for an API token.

    The same lockout as the login page applies.
    """

    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer)
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = services.login_verify(
                identifier=data.validated_data["login"],
                password=data.validated_data["password"],
            )
        except services.LoginError as error:
            return Response(
                {"message": error.message, "details": {}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if user.must_change_password:
            return Response(
                {
                    "message": _(
                        "Change your first password on the website before "
                        "using the API."
                    ),
                    "details": {},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _created = Token.objects.get_or_create(user=user)

        return Response({"token": token.key})


api_urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    path("memberships/", MembershipListView.as_view(), name="memberships"),
]

"""API plumbing: one error shape, the rule book for API views, schema and docs."""

import json
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from rest_framework import exceptions

from sabaq.core.api import RulePermission, exception_handler
from sabaq.core.errors import ApplicationError

SCHEMA = reverse("api:schema")
DOCS = reverse("api:docs")


# One error shape


def test_field_errors_from_a_service_answer_400_with_details_by_field():
    error = DjangoValidationError({"iin": ["Wrong IIN."], "phone": ["Wrong phone."]})

    response = exception_handler(error, {})

    assert response.status_code == 400
    assert response.data == {
        "message": "Wrong IIN. Wrong phone.",
        "details": {"iin": ["Wrong IIN."], "phone": ["Wrong phone."]},
    }


def test_error_without_a_field_from_a_service_answers_400_without_details():
    response = exception_handler(DjangoValidationError("Not now."), {})

    assert response.status_code == 400
    assert response.data == {"message": "Not now.", "details": {}}


def test_application_error_answers_400_with_its_message_and_details():
    error = ApplicationError("The quarter is closed.", details={"quarter": 2})

    response = exception_handler(error, {})

    assert response.status_code == 400
    assert response.data == {
        "message": "The quarter is closed.",
        "details": {"quarter": 2},
    }


def test_missing_object_answers_404_in_the_same_shape():
    response = exception_handler(Http404(), {})

    assert response.status_code == 404
    assert set(response.data) == {"message", "details"}
    assert response.data["details"] == {}


def test_drf_error_with_a_detail_keeps_its_status_and_gives_the_detail_as_message():
    response = exception_handler(exceptions.NotAuthenticated(), {})

    assert response.status_code in (401, 403)
    assert response.data == {
        "message": str(exceptions.NotAuthenticated.default_detail),
        "details": {},
    }


def test_drf_field_errors_keep_the_fields_as_details():
    error = exceptions.ValidationError({"login": ["This field is required."]})

    response = exception_handler(error, {})

    assert response.status_code == 400
    assert set(response.data) == {"message", "details"}
    assert response.data["details"] == {"login": ["This field is required."]}


def test_drf_error_given_as_a_list_becomes_one_message():
    response = exception_handler(exceptions.ValidationError(["One.", "Two."]), {})

    assert response.data == {"message": "One. Two.", "details": {}}


def test_error_that_is_not_an_api_error_is_left_to_django():
    assert exception_handler(ZeroDivisionError(), {}) is None


# The rule book for API views


def _api_request(view_name: str):
    return SimpleNamespace(
        resolver_match=SimpleNamespace(view_name=view_name),
        user=SimpleNamespace(is_authenticated=False),
    )


def test_api_view_without_a_rule_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="api:nowhere"):
        RulePermission().has_permission(_api_request("api:nowhere"), view=None)


def test_public_api_view_is_granted_to_anonymous_callers():
    request = _api_request("api:token")

    assert RulePermission().has_permission(request, view=None)
    assert request.membership is None


def test_signed_in_api_view_is_refused_to_anonymous_callers():
    assert not RulePermission().has_permission(_api_request("api:me"), view=None)


# Schema and docs


def test_schema_is_a_valid_openapi_document_listing_the_api(client):
    response = client.get(SCHEMA)

    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    validate_schema(document)
    assert document["openapi"].startswith("3.")
    assert {
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/memberships/",
        "/api/v1/organisations/",
    } <= set(document["paths"])


def test_schema_is_also_served_as_json(client):
    response = client.get(SCHEMA, {"format": "json"})

    assert response.status_code == 200
    assert "/api/v1/me/" in json.loads(response.content)["paths"]


def test_schema_says_the_token_endpoint_takes_a_login_and_a_password(client):
    document = yaml.safe_load(client.get(SCHEMA).content)

    operation = document["paths"]["/api/v1/auth/token/"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(component["required"]) == {"login", "password"}


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.styles = 0
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self._open = {"src": attributes.get("src"), "body": ""}
            self.scripts.append(self._open)
        if tag == "style" or "style" in attributes:
            self.styles += 1

    def handle_data(self, data):
        if self._open is not None:
            self._open["body"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def test_api_docs_load_every_script_from_a_file_so_the_csp_holds(client):
    response = client.get(DOCS)

    assert response.status_code == 200
    page = _Scripts()
    page.feed(response.content.decode())
    assert page.scripts, "the docs page loads Swagger UI"
    assert all(script["src"] for script in page.scripts)
    assert all(not script["body"].strip() for script in page.scripts)
    assert page.styles == 0
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_api_docs_load_swagger_ui_from_this_site_not_a_cdn(client):
    page = _Scripts()
    page.feed(client.get(DOCS).content.decode())

    for script in page.scripts:
        assert script["src"].startswith("/"), script["src"]
        assert not script["src"].startswith("//"), script["src"]
        assert client.get(script["src"]).status_code == 200, script["src"]


def test_api_docs_start_script_points_swagger_ui_at_the_schema(client):
    page = _Scripts()
    page.feed(client.get(DOCS).content.decode())
    start_script = next(s["src"] for s in page.scripts if "?script" in s["src"])

    response = client.get(start_script)

    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    assert SCHEMA in response.content.decode()

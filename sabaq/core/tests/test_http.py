"""Where a form may send someone back to after it is done."""

import pytest

from sabaq.core.http import safe_next_url


@pytest.mark.parametrize("candidate", ["/people/", "/school/audit/?page=2"])
def test_address_on_this_site_is_followed(rf, candidate):
    assert safe_next_url(rf.get("/"), candidate, "/") == candidate


@pytest.mark.parametrize(
    "candidate",
    ["https://evil.example/", "//evil.example/people/", "javascript:alert(1)"],
)
def test_address_on_another_site_falls_back(rf, candidate):
    assert safe_next_url(rf.get("/"), candidate, "/home/") == "/home/"


@pytest.mark.parametrize("candidate", [None, ""])
def test_missing_address_falls_back(rf, candidate):
    assert safe_next_url(rf.get("/"), candidate, "/home/") == "/home/"

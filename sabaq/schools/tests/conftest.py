"""Fixtures of the school-structure tests.

The frame is built in a school of its own (`new_school`), so the demo
district's data cannot change what the tests count; the demo's personas
stay the teachers, students, parents and other schools that are refused.
"""

import pytest

from sabaq.schools.tests.factories import NewSchool, SchoolFrame, new_school


@pytest.fixture
def school(demo) -> NewSchool:
    return new_school(demo.organisations["district"])


@pytest.fixture
def deputy(school):
    return school.deputy


@pytest.fixture
def teacher(school):
    """A teacher of the deputy's school."""
    return school.teacher


@pytest.fixture
def frame(deputy) -> SchoolFrame:
    return SchoolFrame.build(deputy)

"""Demo step: parents linked to their children."""

from sabaq.core.demo import DemoWorld
from sabaq.people.models import Relation
from sabaq.people.services import guardian_link

LINKS = [
    ("teacher_parent", "student_alikhan", Relation.FATHER, "director"),
    ("parent_both", "student_aruzhan", Relation.MOTHER, "director"),
    ("parent_both", "student_aisha", Relation.MOTHER, "rural_director"),
    ("parent_ru", "student_maksim", Relation.MOTHER, "director"),
]


def build(world: DemoWorld) -> None:
    for guardian_key, child_key, relation, actor_key in LINKS:
        guardian_link(
            actor=world.memberships[actor_key],
            guardian=world.people[guardian_key],
            child=world.people[child_key],
            relation=relation,
        )

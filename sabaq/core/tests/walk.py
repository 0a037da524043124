"""Machinery for the permission walk: every URL, every persona, both schools.

Apps join the walk by declaring, in `sabaq/<app>/tests/samples.py`, how to
fill their URL arguments with objects of a given school:

    URL_KWARGS = {
        "person_id": lambda demo, school: demo.people["student_aruzhan"].pk,
        "orgs:school_create": {"parent_id": lambda demo, school: ...},
    }

A key naming a URL wins over a key naming the argument.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str
    arguments: tuple[str, ...]
    defaults: dict


def routes() -> Iterator[Route]:
    def walk(patterns, namespace: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = (
                    f"{namespace}:{entry.namespace}" if entry.namespace else namespace
                )
                yield from walk(entry.url_patterns, inner.strip(":"))
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                arguments = tuple(getattr(entry.pattern, "converters", {}).keys())
                yield Route(name=name, arguments=arguments, defaults=entry.default_args)

    # Arguments of enclosing resolvers are not used in Sabaq's URL tree.
    yield from walk(get_resolver().url_patterns, "")


def sample_makers() -> dict[str, Callable | dict]:
    makers: dict[str, Callable | dict] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("sabaq."):
            continue
        try:
            module = import_module(f"{config.name}.tests.samples")
        except ModuleNotFoundError:
            continue
        makers.update(module.URL_KWARGS)
    return makers


def sample_kwargs(route: Route, demo, school: str, makers) -> dict:
    by_route = makers.get(route.name, {})
    kwargs = {}
    for argument in route.arguments:
        maker = by_route.get(argument) if isinstance(by_route, dict) else None
        maker = maker or makers.get(argument)
        if maker is None or isinstance(maker, dict):
            raise LookupError(
                f"No sample for the argument {argument!r} of {route.name!r}; add one "
                "to URL_KWARGS in the app's tests/samples.py."
            )
        kwargs[argument] = maker(demo, school)
    return kwargs

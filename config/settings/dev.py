"""Settings for `make run`: the demo on one machine."""

from .base import *  # noqa: F403 (settings modules extend the base namespace)

DEBUG = True

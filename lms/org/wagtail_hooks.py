"""Wagtail admin for the organisation: units, people, positions, roles (owned by the admin work)."""

from . import wagtail_hooks_imports  # noqa: F401  (import screens register their own hooks)

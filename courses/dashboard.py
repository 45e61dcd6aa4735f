"""Sections that higher apps add to “Học tập của tôi” without courses importing them.

Training (obligations, in-person sessions) and certificates sit above courses in the layers, so
they register a provider here from their AppConfig.ready(); the dashboard renders what they give.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DashboardSection:
    key: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[..., DashboardSection | None]
_providers: dict[str, tuple[int, Provider]] = {}


def dashboard_section_register(*, key: str, provider: Provider, order: int = 100) -> None:
    """Register (or replace) a provider called as provider(person=..., request=...)."""
    _providers[key] = (order, provider)


def dashboard_sections_for(*, person, request) -> list[DashboardSection]:
    sections = []
    for _order, provider in sorted(_providers.values(), key=lambda item: item[0]):
        section = provider(person=person, request=request)
        if section is not None:
            sections.append(section)
    return sections

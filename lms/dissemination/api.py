"""What other apps may use from the dissemination activity log (Measure 2)."""

from .models import DisseminationActivity
from .selectors import (
    CoverageRow,
    activities_visible,
    activity_totals,
    coverage_for,
    coverage_total,
)

__all__ = [
    "CoverageRow",
    "DisseminationActivity",
    "activities_visible",
    "activity_totals",
    "coverage_for",
    "coverage_total",
]

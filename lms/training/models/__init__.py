"""Yearly training plans, obligations per person, in-person sessions, notifications, audit."""

from .audit import AuditEntry
from .notifications import Notification
from .plans import Assignment, Requirement, TrainingPlan
from .sessions import Attendance, AttendanceEvidence, Session

__all__ = [
    "Assignment",
    "Attendance",
    "AttendanceEvidence",
    "AuditEntry",
    "Notification",
    "Requirement",
    "Session",
    "TrainingPlan",
]

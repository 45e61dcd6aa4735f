"""Facts the courses app announces. Receivers live in the apps that react (training, certificates).

`course_completed` is sent exactly once per enrolment, after the transaction that completed it
commits, with keyword arguments `person_id`, `course_id` and `completed_at`.
"""

from django.dispatch import Signal

course_completed = Signal()

"""What other apps may use from certificates (the learner dashboard, reports, training)."""

from .models import Certificate
from .rendering import FONT_DIR
from .selectors import certificates_for_person
from .services import certificate_issue

__all__ = [
    "FONT_DIR",  # vendored Liberation Serif 2 (every Vietnamese letter), for any PDF the product draws
    "Certificate",
    "certificate_issue",
    "certificates_for_person",
]

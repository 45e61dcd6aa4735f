"""What other apps may use from certificates (the learner dashboard, reports, training)."""

from .models import Certificate, CertificateTemplate
from .rendering import BOLD as PDF_FONT_BOLD
from .rendering import FONT_DIR, register_fonts
from .rendering import REGULAR as PDF_FONT_REGULAR
from .selectors import certificates_for_person
from .services import (
    Completion,
    award_certificate_render,
    certificate_issue,
    certificates_issue_batch,
)

__all__ = [
    "FONT_DIR",  # vendored Liberation Serif 2 (every Vietnamese letter), for any PDF the product draws
    # ReportLab keys TrueType fonts by face: every PDF of the product draws Liberation Serif
    # through certificates' registration (register_fonts) and these names, never its own TTFont.
    "PDF_FONT_BOLD",
    "PDF_FONT_REGULAR",
    "register_fonts",
    "Certificate",
    "CertificateTemplate",
    "Completion",
    "award_certificate_render",
    "certificate_issue",
    "certificates_issue_batch",  # many completions of one course: constant queries per batch
    "certificates_for_person",
]

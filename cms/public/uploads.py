"""Limits on documents uploaded through the Wagtail admin (leaflets, audio, video, drafts).

Wagtail checks the extension (WAGTAILDOCS_EXTENSIONS) but not the size: every document form
(single and multiple upload) is built on `LimitedDocumentForm`, which applies
`lms.core.uploads.validate_upload` with a size limit per format.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm

from lms.core.uploads import upload_extension, validate_upload

MB = 1024 * 1024
# Bytes allowed per extension; anything not listed here gets DEFAULT_MAX_BYTES.
MAX_BYTES = {
    "mp4": 100 * MB,
    "mp3": 30 * MB,
    "m4a": 30 * MB,
    "ogg": 30 * MB,
    "wav": 30 * MB,
    "pdf": 20 * MB,
}
DEFAULT_MAX_BYTES = 10 * MB


def document_max_bytes(extension: str) -> int:
    return MAX_BYTES.get(extension, DEFAULT_MAX_BYTES)


def validate_document_file(file) -> None:
    extension = upload_extension(getattr(file, "name", ""))
    validate_upload(
        file=file,
        allowed=set(settings.WAGTAILDOCS_EXTENSIONS),
        max_bytes=document_max_bytes(extension),
    )


class LimitedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        # On edit without a new upload the stored file comes back unchanged: nothing to check.
        if file is not None and hasattr(file, "content_type"):
            try:
                validate_document_file(file)
            except ValidationError as error:
                raise ValidationError(error.messages) from error
        return file

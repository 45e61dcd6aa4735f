"""Validation shared by every upload in the product: extension, size and content sniffing.

Checks are cheap and run before any parsing: the extension must be allowed, the size must be
within the limit, and the first bytes must look like the format the extension claims
(an .xlsx/.docx is a ZIP container, a .pdf starts with %PDF, a .csv is text without NUL bytes).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

MSG_UPLOAD_MISSING = gettext_noop("Chưa chọn tệp để tải lên.")
MSG_UPLOAD_EMPTY = gettext_noop("Tệp tải lên không có nội dung.")
MSG_UPLOAD_EXTENSION = gettext_noop(
    "Định dạng tệp “{extension}” không được hỗ trợ. Chỉ nhận tệp: {allowed}."
)
MSG_UPLOAD_TOO_LARGE = gettext_noop("Tệp quá lớn ({size}). Dung lượng tối đa là {limit}.")
MSG_UPLOAD_CONTENT_MISMATCH = gettext_noop(
    "Nội dung tệp không đúng định dạng {extension}. Có thể tệp đã bị đổi đuôi hoặc bị hỏng; "
    "hãy mở bằng Excel và lưu lại đúng định dạng."
)

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_SNIFF_BYTES = 4096


@dataclass(frozen=True)
class _Sniffer:
    prefixes: tuple[bytes, ...] = ()
    text: bool = False

    def matches(self, head: bytes) -> bool:
        if self.text:
            return b"\x00" not in head
        return head.startswith(self.prefixes)


# Known formats. An allowed extension that is not listed here is only checked for size.
SNIFFERS: dict[str, _Sniffer] = {
    "xlsx": _Sniffer(prefixes=_ZIP_MAGIC),
    "docx": _Sniffer(prefixes=_ZIP_MAGIC),
    "zip": _Sniffer(prefixes=_ZIP_MAGIC),
    "pdf": _Sniffer(prefixes=(b"%PDF-",)),
    "png": _Sniffer(prefixes=(b"\x89PNG\r\n\x1a\n",)),
    "jpg": _Sniffer(prefixes=(b"\xff\xd8\xff",)),
    "jpeg": _Sniffer(prefixes=(b"\xff\xd8\xff",)),
    "csv": _Sniffer(text=True),
    "txt": _Sniffer(text=True),
    "json": _Sniffer(text=True),
}


def upload_extension(name: str | None) -> str:
    """Lower-case extension without the dot: "Danh sách.XLSX" -> "xlsx"."""
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def file_size(file) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return int(size)
    position = file.tell()
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(position)
    return size


def validate_upload(*, file, allowed: set[str], max_bytes: int) -> str:
    """Check an uploaded file; return its extension or raise ValidationError (Vietnamese message).

    `file` is any file-like object with a `name` (Django UploadedFile, File, open file).
    The file position is left at the start.
    """
    if file is None:
        raise ValidationError(_(MSG_UPLOAD_MISSING), code="missing")
    extension = upload_extension(getattr(file, "name", ""))
    allowed = {ext.lower().lstrip(".") for ext in allowed}
    if extension not in allowed:
        raise ValidationError(
            _(MSG_UPLOAD_EXTENSION).format(
                extension=f".{extension}" if extension else "—",
                allowed=", ".join(f".{ext}" for ext in sorted(allowed)),
            ),
            code="extension",
        )
    size = file_size(file)
    if size == 0:
        raise ValidationError(_(MSG_UPLOAD_EMPTY), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _(MSG_UPLOAD_TOO_LARGE).format(
                size=filesizeformat(size), limit=filesizeformat(max_bytes)
            ),
            code="too_large",
        )
    file.seek(0)
    head = file.read(_SNIFF_BYTES)
    file.seek(0)
    if isinstance(head, str):
        head = head.encode("utf-8", "surrogatepass")
    sniffer = SNIFFERS.get(extension)
    if sniffer is not None and not sniffer.matches(head):
        raise ValidationError(
            _(MSG_UPLOAD_CONTENT_MISMATCH).format(extension=f".{extension}"), code="content"
        )
    return extension

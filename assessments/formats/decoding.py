"""Turn uploaded text files into str: UTF-8 (with or without BOM), UTF-16, or a legacy code page."""

from __future__ import annotations

import codecs
import unicodedata

from charset_normalizer import from_bytes


def decode_text(data: bytes) -> str:
    """Decode and NFC-normalise; files saved by Windows Notepad or old Vietnamese tools work too."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            best = from_bytes(data).best()
            text = str(best) if best is not None else data.decode("utf-8", errors="replace")
    return unicodedata.normalize("NFC", text)

"""Draw a certificate as a one-page PDF with ReportLab, in the Decree 30/2020 layout.

Fonts are the vendored Liberation Serif 2.x TTFs (metric-compatible with Times New Roman, complete
Vietnamese coverage), embedded as subsets. Parsed fonts and template images are cached per process
(keyed by template id + updated_at) because a bulk run renders thousands of pages.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

import segno
from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont, makeToUnicodeCMap
from reportlab.pdfgen.canvas import Canvas

from .formatting import fill_placeholders, vn_long_date, vn_short_date

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {
    "CertSerif": "LiberationSerif-Regular.ttf",
    "CertSerif-Bold": "LiberationSerif-Bold.ttf",
    "CertSerif-Italic": "LiberationSerif-Italic.ttf",
    "CertSerif-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}
REGULAR, BOLD, ITALIC, BOLD_ITALIC = FONT_FILES

# Flate alone: the extra ASCII85 layer only makes streams bigger and costs time.
rl_config.useA85 = 0

_lock = threading.Lock()
_fonts: dict[str, CertificateFont] = {}  # our parsed faces, kept across re-registrations
_image_cache: dict[tuple, ImageReader | None] = {}
_IMAGE_MAX_PX = {"background": 1600, "signature": 500, "seal": 500}


def _vietnamese_letters() -> str:
    letters = []
    for base in "aăâeêioôơuưy":
        for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"):
            letter = unicodedata.normalize("NFC", base + tone)
            if not letter.isascii():
                letters.append(letter)
    letters.append("đ")
    return "".join(letters) + "".join(ch.upper() for ch in letters) + "“”‘’–—…"


# Every document assigns these characters first, in this order, so the font subsets of most
# certificates are identical and can be built and compressed once per process.
PRIMED_CHARACTERS = _vietnamese_letters()
PRIMED_FONTS = (REGULAR, BOLD, ITALIC)  # the faces a certificate draws with


class _SubsetCache:
    """Replaces TTFontFace.addSubsetObjects: same PDF objects, subset bytes built once."""

    def __init__(self, face):
        self.face = face
        self.make_subset = face.makeSubset
        self.entries: dict[tuple, tuple[bytes, int]] = {}

    def __call__(self, doc, fontname, subset):
        key = tuple(subset)
        entry = self.entries.get(key)
        if entry is None:
            raw = self.make_subset(subset)
            entry = (zlib.compress(raw), len(raw))
            if len(self.entries) >= 64:
                self.entries.pop(next(iter(self.entries)))
            self.entries[key] = entry
        compressed, length1 = entry
        font_file = pdfdoc.PDFStream(content=compressed)
        font_file.dictionary["Length1"] = length1
        font_file.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        ref = doc.Reference(font_file, f"fontFile:{self.face.filename}({fontname})")
        face = self.face
        flags = (face.flags & ~32) | 4  # symbolic, as ReportLab declares its subsets
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": face.ascent,
                "CapHeight": face.capHeight,
                "Descent": face.descent,
                "Flags": flags,
                "FontBBox": pdfdoc.PDFArray(face.bbox),
                "FontName": pdfdoc.PDFName(fontname),
                "ItalicAngle": face.italicAngle,
                "StemV": face.stemV,
                "FontFile2": ref,
                "MissingWidth": face.defaultWidth,
            }
        )
        return doc.Reference(descriptor, "fontDescriptor:" + fontname)


class _Preformatted(pdfdoc.PDFObject):
    """A PDF value whose bytes were formatted once (ReportLab calls `format(doc)` on values)."""

    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = data

    def format(self, document) -> bytes:
        return self.data


class CertificateFont(TTFont):
    """A TTFont whose per-document PDF objects are built once per distinct subset.

    Every certificate assigns the same characters first (`prime`), so the subsets — and the
    Widths array, ToUnicode CMap and embedded font program derived from them — repeat from one
    document to the next. ReportLab would rebuild and reformat them (about a thousand numbers)
    for every page; here they are formatted and compressed once and copied as bytes.
    """

    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        self.face.addSubsetObjects = _SubsetCache(self.face)
        self._objects: dict[tuple, tuple[bytes, bytes, int]] = {}
        self._primed: TTFont.State | None = None

    def prime(self, doc) -> None:
        """Give the document the primed character assignments (a copy of one prepared state)."""
        if self._primed is None:
            scratch = pdfdoc.PDFDocument()
            self.splitString(PRIMED_CHARACTERS, scratch)
            self._primed = self.state.pop(scratch)
        primed = self._primed
        state = self.State(self._asciiReadable, self)
        state.assignments = dict(primed.assignments)
        state.subsets = [list(subset) for subset in primed.subsets]
        state.nextCode = primed.nextCode
        self.state[doc] = state

    def _subset_objects(self, base_font_name: str, subset: list) -> tuple[bytes, bytes, int]:
        key = (base_font_name, tuple(subset))
        entry = self._objects.get(key)
        if entry is None:
            widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset))).format(None)
            cmap = makeToUnicodeCMap(base_font_name, subset).encode("latin-1")
            entry = (widths, zlib.compress(cmap), len(cmap))
            if len(self._objects) >= 64:
                self._objects.pop(next(iter(self._objects)))
            self._objects[key] = entry
        return entry

    def addObjects(self, doc):
        """As TTFont.addObjects, with the Widths and ToUnicode of a subset taken from the cache."""
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = self.State(self._asciiReadable)
        state.frozen = 1
        basic_fonts = doc.idToObject["BasicFonts"].dict
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            base_font_name = b"".join(
                (SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)
            ).decode("pdfdoc")
            widths, cmap, cmap_length = self._subset_objects(base_font_name, subset)
            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.__Comment__ = f"Font {self.fontName} subset {n}"
            pdf_font.Name = internal_name
            pdf_font.BaseFont = base_font_name
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = _Preformatted(widths)
            cmap_stream = pdfdoc.PDFStream(content=cmap)
            cmap_stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
            pdf_font.ToUnicode = doc.Reference(cmap_stream, "toUnicodeCMap:" + base_font_name)
            pdf_font.FontDescriptor = self.face.addSubsetObjects(doc, base_font_name, subset)
            doc.Reference(pdf_font, internal_name)
            basic_fonts[internal_name] = pdf_font
        del self.state[doc]


def _ours_registered() -> bool:
    """Is every certificate face in ReportLab's registry one of our CertificateFont objects?

    ReportLab's registry is process-global and keyed by face as well as by name.
    """
    registered = set(pdfmetrics.getRegisteredFontNames())
    return all(
        name in registered and pdfmetrics.getFont(name) is _fonts.get(name) for name in FONT_FILES
    )


def register_fonts() -> None:
    """Parse the TTFs once per process; ReportLab embeds a subset in every PDF."""
    if _ours_registered():
        return
    with _lock:
        if not _ours_registered():
            for name, filename in FONT_FILES.items():
                font = _fonts.get(name) or CertificateFont(name, str(FONT_DIR / filename))
                _fonts[name] = font
                pdfmetrics.registerFont(font)
            pdfmetrics.registerFontFamily(
                REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
            )
            if not _ours_registered():
                # ReportLab keys TrueType fonts by face too: a plain TTFont of the same file
                # registered first under another name would be drawn instead of ours.
                raise RuntimeError(
                    "Liberation Serif was registered with ReportLab outside certificates; "
                    "PDF code must use certificates.api.register_fonts() and its font names."
                )


@dataclass(frozen=True)
class CertificateText:
    """Everything printed on one certificate that is specific to the holder (snapshots)."""

    serial: str
    holder_salutation: str
    holder_name: str
    unit_name: str
    course_title: str
    duration_text: str
    result_text: str
    parent_body: str
    issuing_body: str
    place_name: str
    started_on: dt.date | None
    completed_on: dt.date
    issued_on: dt.date
    valid_until: dt.date | None
    verify_url: str
    code: str


@dataclass(frozen=True)
class TemplateLayout:
    """The template fields the drawing needs, detached from the ORM (cheap to cache and pickle)."""

    key: tuple
    orientation: str
    title: str
    intro: str
    body: str
    signer_prefix: str
    signer_authority: str
    signer_title: str
    signer_name: str
    images: dict  # "background" / "signature" / "seal" -> ImageReader | None


def _load_image(image, kind: str) -> ImageReader | None:
    if image is None:
        return None
    with image.file.open("rb") as fh:
        pil = PILImage.open(io.BytesIO(fh.read()))
        pil.load()
    limit = _IMAGE_MAX_PX[kind]
    if max(pil.size) > limit:
        pil.thumbnail((limit, limit))
    if pil.mode not in ("RGB", "RGBA"):
        pil = pil.convert(
            "RGBA" if "transparency" in pil.info or pil.mode in ("LA", "P") else "RGB"
        )
    return ImageReader(pil)


def layout_for(template) -> TemplateLayout:
    """The drawing inputs of a CertificateTemplate, cached until the template is edited."""
    key = (template.pk, template.updated_at)
    images = {}
    for kind in ("background", "signature", "seal"):
        image_id = getattr(template, f"{kind}_image_id")
        cache_key = (*key, kind, image_id)
        if cache_key not in _image_cache:
            _image_cache[cache_key] = _load_image(getattr(template, f"{kind}_image"), kind)
        images[kind] = _image_cache[cache_key]
    return TemplateLayout(
        key=key,
        orientation=template.orientation,
        title=template.title,
        intro=template.intro,
        body=template.body,
        signer_prefix=template.signer_prefix,
        signer_authority=template.signer_authority,
        signer_title=template.signer_title,
        signer_name=template.signer_name,
        images=images,
    )


def _centered(c: Canvas, text: str, x: float, y: float, font: str, size: float) -> float:
    c.setFont(font, size)
    c.drawCentredString(x, y, text)
    return pdfmetrics.stringWidth(text, font, size)


def _draw_qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as one vector path in module units (crisp at any zoom, no image encoding).

    A fixed mask skips segno's mask scoring (the slowest step; any mask is valid per ISO 18004),
    and the path is emitted as literal operators because thousands of rect() calls dominate.
    """
    qr = segno.make(url, error="m", micro=False, mask=2)
    border = 2
    count = qr.symbol_size(border=border)[0]
    module = size / count
    c.setFillColorRGB(1, 1, 1)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)  # ReportLab must know the fill is black again for the text after
    ops = ["q", "0 g", f"{module:.5f} 0 0 {module:.5f} {x:.3f} {y:.3f} cm"]
    rows = qr.matrix
    height = len(rows)
    for row_index, row in enumerate(rows):
        top = height + border - 1 - row_index
        col, width = 0, len(row)
        while col < width:
            if row[col]:
                start = col
                while col < width and row[col]:
                    col += 1
                ops.append(f"{start + border} {top} {col - start} 1 re")
            else:
                col += 1
    ops.extend(["f", "Q"])
    c.addLiteral("\n".join(ops))


def body_values(text: CertificateText) -> dict[str, str]:
    return {
        "ho_ten": text.holder_name,
        "don_vi": text.unit_name,
        "khoa_hoc": text.course_title,
        "thoi_luong": text.duration_text,
        "ket_qua": text.result_text,
        "tu_ngay": vn_short_date(text.started_on or text.completed_on),
        "den_ngay": vn_short_date(text.completed_on),
        "ngay_cap": vn_short_date(text.issued_on),
    }


def draw_certificate(c: Canvas, layout: TemplateLayout, text: CertificateText) -> None:
    """Draw one page. Margins follow Decree 30 (top/bottom 20 mm, left 30 mm, right 15 mm)."""
    width, height = c._pagesize
    left, right, top, bottom = 30 * mm, width - 15 * mm, height - 20 * mm, 20 * mm
    content = right - left

    background = layout.images.get("background")
    if background is not None:
        c.drawImage(background, 0, 0, width, height, mask="auto")
    else:
        # A thin double frame so a template without a background still reads as a certificate.
        c.setStrokeColorRGB(0.55, 0.1, 0.1)
        c.setLineWidth(2)
        c.rect(12 * mm, 10 * mm, width - 24 * mm, height - 20 * mm)
        c.setLineWidth(0.6)
        c.rect(14.5 * mm, 12.5 * mm, width - 29 * mm, height - 25 * mm)
        c.setStrokeColorRGB(0, 0, 0)

    # National header: issuing body left (about 40%), national name and motto right.
    left_cx = left + content * 0.2
    right_cx = left + content * 0.68
    y = top - 12
    if text.parent_body:
        _centered(c, text.parent_body.upper(), left_cx, y, REGULAR, 12.5)
        y -= 16
    w = _centered(c, text.issuing_body.upper(), left_cx, y, BOLD, 12.5)
    c.setLineWidth(0.7)
    c.line(left_cx - w / 6, y - 7, left_cx + w / 6, y - 7)
    _centered(c, f"Số: {text.serial}", left_cx, y - 24, REGULAR, 13)

    y = top - 12
    _centered(c, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", right_cx, y, BOLD, 12.5)
    w = _centered(c, "Độc lập - Tự do - Hạnh phúc", right_cx, y - 17, BOLD, 13.5)
    c.line(right_cx - w / 2, y - 22, right_cx + w / 2, y - 22)

    # Title and the holder.
    cx = (left + right) / 2
    y = top - (120 if layout.orientation == "landscape" else 150)
    _centered(c, layout.title.upper(), cx, y, BOLD, 28)
    y -= 36
    if layout.intro:
        _centered(c, layout.intro, cx, y, ITALIC, 14)
        y -= 30
    _centered(c, f"{text.holder_salutation}: {text.holder_name}", cx, y, BOLD, 20)
    y -= 24
    if text.unit_name:
        _centered(c, f"Đơn vị: {text.unit_name}", cx, y, REGULAR, 14)
        y -= 22

    body = fill_placeholders(layout.body, body_values(text))
    c.setFont(REGULAR, 14)
    for paragraph in body.splitlines():
        for line in simpleSplit(paragraph, REGULAR, 14, content * 0.86) or [""]:
            c.drawCentredString(cx, y, line)
            y -= 19
    if text.valid_until:
        y -= 2
        _centered(
            c,
            f"Giấy chứng nhận có giá trị đến hết ngày {vn_short_date(text.valid_until)}.",
            cx,
            y,
            ITALIC,
            13,
        )

    # Place and date, signer block (right); QR code and verification code (left).
    sign_cx = left + content * 0.72
    y = bottom + 150
    _centered(c, vn_long_date(text.issued_on, text.place_name), sign_cx, y, ITALIC, 13.5)
    y -= 18
    authority = " ".join(p for p in (layout.signer_prefix, layout.signer_authority.upper()) if p)
    if authority:
        _centered(c, authority, sign_cx, y, BOLD, 13)
        y -= 16
    _centered(c, layout.signer_title.upper(), sign_cx, y, BOLD, 13)
    image_top = y - 6
    signature, seal = layout.images.get("signature"), layout.images.get("seal")
    if signature is not None:
        c.drawImage(signature, sign_cx - 40, image_top - 70, 110, 66, mask="auto", anchor="c",
                    preserveAspectRatio=True)  # fmt: skip
    if seal is not None:
        # The seal overlaps about a third of the signature, on its left (Decree 30).
        c.drawImage(seal, sign_cx - 105, image_top - 84, 84, 84, mask="auto", anchor="c",
                    preserveAspectRatio=True)  # fmt: skip
    _centered(c, layout.signer_name, sign_cx, bottom + 22, BOLD, 14)

    qr_size = 88
    _draw_qr(c, text.verify_url, left, bottom + 10, qr_size)
    c.setFont(REGULAR, 9.5)
    c.drawString(left + qr_size + 8, bottom + 62, "Quét mã để xác minh, hoặc nhập mã tại")
    c.drawString(left + qr_size + 8, bottom + 49, text.verify_url.rsplit("/", 2)[0] + "/")
    c.setFont(BOLD, 9.5)
    c.drawString(left + qr_size + 8, bottom + 32, f"Mã xác minh: {text.code}")


def render_pdf(*, layout: TemplateLayout, text: CertificateText) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    size = landscape(A4) if layout.orientation == "landscape" else A4
    c = Canvas(buffer, pagesize=size, pageCompression=1, invariant=1, initialFontName=REGULAR)
    for name in PRIMED_FONTS:
        _fonts[name].prime(c._doc)
    c.setTitle(f"Giấy chứng nhận {text.serial} — {text.holder_name}")
    c.setAuthor(text.issuing_body)
    draw_certificate(c, layout, text)
    c.showPage()
    c.save()
    return buffer.getvalue()


def render_png(pdf_bytes: bytes, *, scale: float = 2.0) -> bytes:
    """Rasterise page one with PDFium (pypdfium2 wheel; no system packages), for sharing."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf_bytes)
    try:
        bitmap = document[0].render(scale=scale)
        image = bitmap.to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()

"""Demo content of the public site, in Vietnamese: news, questions and answers, materials (a PDF
leaflet made with ReportLab and a loudspeaker chime made as a WAV file at load time).

Idempotent: pages are found by slug, documents and images by title, taxonomies by slug.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import io
import math
import wave
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from cms.site_setup import public_sections_ensure

from .models import MaterialKind, MaterialPage, NewsCategory, NewsPage, QAPage, QATopic
from .search import search_index_rebuild

LAW = "10/2022/QH15"
DECREE_CONVENTIONS = "61/2023/NĐ-CP"

CATEGORIES = [
    ("hoat-dong-co-so", "Hoạt động ở cơ sở"),
    ("huong-uoc-quy-uoc", "Hương ước, quy ước"),
    ("pho-bien-phap-luat", "Phổ biến pháp luật"),
]
TOPICS = [
    ("cong-khai-thong-tin", "Công khai thông tin"),
    ("nhan-dan-ban-quyet-dinh", "Nhân dân bàn và quyết định"),
    ("huong-uoc-quy-uoc", "Hương ước, quy ước"),
    ("kiem-tra-giam-sat", "Kiểm tra, giám sát"),
]


def _p(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def _cite(article: int, *, clause: int | None = None, title: str = "", text: str = "", law=LAW):
    return {
        "type": "citation",
        "value": {
            "law": law,
            "article": article,
            "clause": clause,
            "point": "",
            "article_title": title,
            "text": text,
        },
    }


NEWS = [
    {
        "slug": "xa-bac-tan-uyen-cong-khai-du-toan-ngan-sach",
        "title": "Xã Bắc Tân Uyên niêm yết công khai dự toán ngân sách năm 2026",
        "category": "hoat-dong-co-so",
        "days_ago": 3,
        "tags": ["công khai thông tin", "ngân sách xã"],
        "summary": "Ủy ban nhân dân xã niêm yết dự toán ngân sách, danh mục công trình và các khoản "
        "huy động Nhân dân đóng góp tại trụ sở, nhà văn hóa các ấp và trên trang thông tin "
        "điện tử, đúng Điều 11 Luật Thực hiện dân chủ ở cơ sở.",
        "color": (26, 95, 180),
        "body": [
            _p(
                "Thực hiện Luật Thực hiện dân chủ ở cơ sở, Ủy ban nhân dân xã Bắc Tân Uyên đã niêm "
                "yết công khai dự toán ngân sách năm 2026 tại trụ sở Ủy ban, nhà văn hóa 8 ấp và "
                "đăng trên trang thông tin điện tử của xã. Thời gian niêm yết ít nhất 30 ngày."
            ),
            _cite(
                11,
                title="Những nội dung chính quyền địa phương cấp xã phải công khai",
                text="Số liệu, báo cáo thuyết minh dự toán ngân sách nhà nước, kế hoạch hoạt động "
                "tài chính của cấp xã trình Hội đồng nhân dân cấp xã…",
            ),
            {
                "type": "quote",
                "value": {
                    "text": "Bà con đọc kỹ, thấy chỗ nào chưa rõ thì hỏi trực tiếp cán bộ "
                    "hoặc ghi vào phiếu góp ý đặt tại nhà văn hóa ấp.",
                    "source": "Chủ tịch Ủy ban nhân dân xã",
                },
            },
            _p(
                "Người dân có thể xem toàn văn Điều 11 trong thư viện pháp luật của trang này để "
                "biết những nội dung nào chính quyền cấp xã bắt buộc phải công khai."
            ),
        ],
    },
    {
        "slug": "ap-binh-hoa-lay-y-kien-huong-uoc-sua-doi",
        "title": "Ấp Bình Hòa lấy ý kiến hộ gia đình về hương ước sửa đổi",
        "category": "huong-uoc-quy-uoc",
        "days_ago": 8,
        "tags": ["hương ước", "lấy ý kiến"],
        "summary": "Ban điều hành ấp phát phiếu lấy ý kiến đến từng hộ gia đình về dự thảo hương "
        "ước sửa đổi; các điều về vệ sinh môi trường và việc cưới, việc tang được quan tâm nhiều.",
        "color": (38, 120, 72),
        "body": [
            _p(
                "Theo Nghị định số 61/2023/NĐ-CP, dự thảo hương ước phải được gửi lấy ý kiến của "
                "các hộ gia đình trước khi cộng đồng dân cư thông qua. Ấp Bình Hòa đã tổ chức "
                "phát phiếu kết hợp họp dân tại nhà văn hóa ấp."
            ),
            _cite(
                15,
                clause=3,
                title="Những nội dung Nhân dân bàn và quyết định",
                text="Nội dung hương ước, quy ước của cộng đồng dân cư.",
            ),
            _p(
                "Sau khi tổng hợp, Ban điều hành ấp sẽ công bố kết quả và trình Ủy ban nhân dân "
                "xã công nhận hương ước theo quy định."
            ),
        ],
    },
    {
        "slug": "ngay-phap-luat-9-11-tai-xa-thuong-tan",
        "title": "Hưởng ứng Ngày Pháp luật 9/11 tại xã Thường Tân",
        "category": "pho-bien-phap-luat",
        "days_ago": 14,
        "tags": ["Ngày Pháp luật", "tuyên truyền"],
        "summary": "Xã tổ chức hội thi tìm hiểu pháp luật, phát tờ gấp và phát thanh trên loa "
        "truyền thanh về quyền được biết, được bàn, được quyết định, được kiểm tra, giám sát.",
        "color": (165, 29, 45),
        "body": [
            _p(
                "Hưởng ứng Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam 9/11, xã Thường "
                "Tân phát 2.000 tờ gấp, phát bản tin trên loa truyền thanh các ấp và tổ chức hội "
                "thi tìm hiểu Luật Thực hiện dân chủ ở cơ sở cho đoàn viên, hội viên."
            ),
            _cite(5, title="Quyền của công dân trong thực hiện dân chủ ở cơ sở"),
        ],
    },
    {
        "slug": "hoi-nghi-doi-thoai-giua-ubnd-xa-va-nhan-dan",
        "title": "Hội nghị đối thoại giữa Ủy ban nhân dân xã với Nhân dân",
        "category": "hoat-dong-co-so",
        "days_ago": 21,
        "tags": ["đối thoại", "kiểm tra giám sát"],
        "summary": "Hơn 150 người dân dự hội nghị đối thoại định kỳ; các ý kiến về đường giao "
        "thông nông thôn và thủ tục đất đai được trả lời ngay tại hội nghị.",
        "color": (99, 69, 150),
        "body": [
            _p(
                "Hội nghị được tổ chức theo Điều 32 Luật Thực hiện dân chủ ở cơ sở. Chủ tịch Ủy "
                "ban nhân dân xã trả lời trực tiếp 18 ý kiến; 5 ý kiến cần kiểm tra thêm sẽ được "
                "trả lời bằng văn bản trong 15 ngày."
            ),
            _cite(
                32, title="Hội nghị trao đổi, đối thoại giữa Ủy ban nhân dân cấp xã với Nhân dân"
            ),
        ],
    },
    {
        "slug": "ban-thanh-tra-nhan-dan-giam-sat-cong-trinh-duong",
        "title": "Ban Thanh tra nhân dân giám sát công trình đường bê tông ấp 3",
        "category": "hoat-dong-co-so",
        "days_ago": 30,
        "tags": ["Ban Thanh tra nhân dân", "kiểm tra giám sát"],
        "summary": "Ban Thanh tra nhân dân xã phối hợp Ban Giám sát đầu tư của cộng đồng kiểm tra "
        "khối lượng, chất lượng đoạn đường bê tông do Nhân dân đóng góp xây dựng.",
        "color": (176, 96, 16),
        "body": [
            _p(
                "Công trình dài 1,2 km, kinh phí gồm ngân sách xã và tiền Nhân dân đóng góp theo "
                "nghị quyết của hội nghị ấp. Ban Thanh tra nhân dân đã lập biên bản, kiến nghị "
                "đơn vị thi công bổ sung rãnh thoát nước."
            ),
            _cite(
                38, title="Nhiệm vụ, quyền hạn của Ban Thanh tra nhân dân ở xã, phường, thị trấn"
            ),
        ],
    },
]

QA = [
    (
        "nhung-noi-dung-xa-phai-cong-khai",
        "cong-khai-thong-tin",
        "Xã phải công khai những nội dung gì cho người dân biết?",
        "Tôi muốn biết xã có bắt buộc phải công khai dự toán ngân sách và các khoản đóng góp "
        "của dân không?",
        "<p>Có. Điều 11 Luật Thực hiện dân chủ ở cơ sở liệt kê 14 nhóm nội dung chính quyền địa "
        "phương cấp xã phải công khai, trong đó có dự toán, quyết toán ngân sách xã và việc quản "
        "lý, sử dụng các khoản huy động Nhân dân đóng góp.</p>",
        [_cite(11, title="Những nội dung chính quyền địa phương cấp xã phải công khai")],
    ),
    (
        "hinh-thuc-cong-khai-thong-tin",
        "cong-khai-thong-tin",
        "Xã công khai thông tin bằng những hình thức nào?",
        "Ở ấp tôi nhiều người lớn tuổi không dùng mạng, xã công khai thế nào để họ biết?",
        "<p>Thông tin được niêm yết tại trụ sở Ủy ban nhân dân xã, đăng trên trang thông tin "
        "điện tử, thông báo qua hệ thống loa truyền thanh và qua Trưởng ấp, Tổ trưởng tổ dân phố. "
        "Ủy ban lựa chọn hình thức phù hợp với đặc điểm địa bàn.</p>",
        [_cite(12, title="Hình thức và thời điểm công khai thông tin")],
    ),
    (
        "nhan-dan-ban-va-quyet-dinh-nhung-gi",
        "nhan-dan-ban-quyet-dinh",
        "Những việc gì Nhân dân được bàn và quyết định?",
        "Việc đóng góp làm đường trong ấp có phải do dân quyết định không?",
        "<p>Có. Chủ trương và mức đóng góp xây dựng công trình công cộng do Nhân dân đóng góp, "
        "nội dung hương ước, quy ước, việc bầu Trưởng ấp… là những nội dung Nhân dân bàn và quyết "
        "định theo Điều 15.</p>",
        [_cite(15, clause=1, title="Những nội dung Nhân dân bàn và quyết định")],
    ),
    (
        "dong-gop-lam-duong-can-bao-nhieu-ho-tan-thanh",
        "nhan-dan-ban-quyet-dinh",
        "Mức đóng góp làm đường trong ấp cần bao nhiêu hộ tán thành?",
        "Ấp tôi họp bàn đóng góp làm đường nhưng chỉ khoảng một nửa số hộ đồng ý.",
        "<p>Quyết định về chủ trương và mức đóng góp xây dựng công trình công cộng (khoản 1 Điều "
        "15) chỉ được thông qua khi có từ hai phần ba tổng số đại diện hộ gia đình trong ấp trở "
        "lên tán thành. Nếu cuộc họp không đủ đại diện hộ gia đình để đạt tỷ lệ này, Trưởng ấp "
        "tổ chức phát phiếu lấy ý kiến đến từng hộ (Điều 19).</p>",
        [
            _cite(21, clause=1, title="Hiệu lực của quyết định của cộng đồng dân cư"),
            _cite(19, title="Phát phiếu lấy ý kiến của hộ gia đình"),
        ],
    ),
    (
        "huong-uoc-co-duoc-phat-tien-khong",
        "huong-uoc-quy-uoc",
        "Hương ước có được quy định phạt tiền người vi phạm không?",
        "Dự thảo hương ước ấp tôi ghi phạt 500.000 đồng nếu đổ rác ra kênh, như vậy có đúng không?",
        "<p>Hương ước có thể quy định biện pháp thưởng, phạt phù hợp để bảo đảm thực hiện, nhưng "
        "không được thay thế biện pháp xử lý theo quy định của pháp luật (như xử phạt vi phạm "
        "hành chính). Việc phạt tiền thay cho cơ quan nhà nước là không phù hợp.</p>",
        [
            _cite(
                5,
                clause=4,
                law=DECREE_CONVENTIONS,
                title="Phạm vi nội dung của hương ước, quy ước",
            )
        ],
    ),
    (
        "ai-cong-nhan-huong-uoc",
        "huong-uoc-quy-uoc",
        "Hương ước của ấp do ai công nhận?",
        "Sau khi dân trong ấp biểu quyết thông qua thì hương ước đã có hiệu lực chưa?",
        "<p>Hương ước, quy ước được Chủ tịch Ủy ban nhân dân cấp xã xem xét, quyết định công "
        "nhận; có hiệu lực sau khi được công nhận theo Nghị định số 61/2023/NĐ-CP.</p>",
        [_cite(11, law=DECREE_CONVENTIONS, title="Công nhận hương ước, quy ước")],
    ),
    (
        "ban-thanh-tra-nhan-dan-lam-gi",
        "kiem-tra-giam-sat",
        "Ban Thanh tra nhân dân có nhiệm vụ gì?",
        "Tôi mới được bầu vào Ban Thanh tra nhân dân xã, xin cho biết nhiệm vụ của Ban.",
        "<p>Ban Thanh tra nhân dân giám sát việc thực hiện chính sách, pháp luật, việc giải "
        "quyết khiếu nại, tố cáo, việc thực hiện dân chủ ở cơ sở của cơ quan, cán bộ ở xã; kiến "
        "nghị xử lý khi phát hiện vi phạm.</p>",
        [_cite(38, title="Nhiệm vụ, quyền hạn của Ban Thanh tra nhân dân ở xã, phường, thị trấn")],
    ),
    (
        "hanh-vi-bi-nghiem-cam",
        "kiem-tra-giam-sat",
        "Những hành vi nào bị nghiêm cấm khi thực hiện dân chủ ở cơ sở?",
        "Cán bộ ấp có được ép dân ký vào biên bản họp không?",
        "<p>Không. Luật nghiêm cấm gây khó khăn, phiền hà, cản trở, đe dọa công dân thực hiện "
        "dân chủ ở cơ sở; nghiêm cấm giả mạo giấy tờ, gian lận hoặc dùng thủ đoạn khác để làm "
        "sai lệch kết quả bàn, quyết định, tham gia ý kiến của Nhân dân.</p>",
        [_cite(9, title="Các hành vi bị nghiêm cấm trong thực hiện dân chủ ở cơ sở")],
    ),
]

LEAFLET_TEXT = [
    ("h", "Luật Thực hiện dân chủ ở cơ sở (số 10/2022/QH15)"),
    (
        "p",
        "Có hiệu lực từ ngày 01/7/2023. Nhân dân được biết, được bàn, được quyết định, được "
        "kiểm tra, giám sát các công việc ở xã, phường, thị trấn.",
    ),  # fmt: skip
    ("h", "1. Nhân dân được biết (Điều 11)"),
    (
        "p",
        "Ủy ban nhân dân xã phải công khai dự toán ngân sách, các dự án, công trình, các khoản "
        "Nhân dân đóng góp, thủ tục hành chính…",
    ),  # fmt: skip
    ("h", "2. Nhân dân bàn và quyết định (Điều 15)"),
    (
        "p",
        "Mức đóng góp xây dựng công trình công cộng, nội dung hương ước, quy ước, bầu Trưởng ấp.",
    ),
    ("h", "3. Nhân dân tham gia ý kiến (Điều 25)"),
    ("p", "Dự thảo quy hoạch, kế hoạch sử dụng đất, đề án thành lập, sáp nhập đơn vị hành chính…"),
    ("h", "4. Nhân dân kiểm tra, giám sát (Điều 30)"),
    ("p", "Qua Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng và hội nghị đối thoại."),
]
CONVENTION_LEAFLET_TEXT = [
    ("h", "Xây dựng và thực hiện hương ước, quy ước (Nghị định 61/2023/NĐ-CP)"),
    (
        "p",
        "Hương ước, quy ước do cộng đồng dân cư thôn, tổ dân phố bàn và quyết định, được Chủ "
        "tịch Ủy ban nhân dân cấp xã công nhận.",
    ),  # fmt: skip
    ("h", "Các bước"),
    (
        "p",
        "1. Đề xuất nội dung. 2. Soạn thảo. 3. Lấy ý kiến hộ gia đình. 4. Thông qua tại cuộc "
        "họp cộng đồng dân cư. 5. Đề nghị công nhận. 6. Tổ chức thực hiện.",
    ),  # fmt: skip
    ("h", "Lưu ý"),
    (
        "p",
        "Hương ước không được trái pháp luật, không thay thế biện pháp xử lý của cơ quan nhà "
        "nước; có thể quy định biện pháp thưởng, phạt phù hợp.",
    ),  # fmt: skip
]
AUDIO_TRANSCRIPT = (
    "Kính thưa bà con!\n"
    "Luật Thực hiện dân chủ ở cơ sở có hiệu lực từ ngày 1 tháng 7 năm 2023. Theo Luật, bà con "
    "được biết những việc xã phải công khai như dự toán ngân sách, các khoản đóng góp, các dự án "
    "trên địa bàn; được bàn và quyết định mức đóng góp xây dựng đường, nội dung hương ước của "
    "ấp; được tham gia ý kiến và được kiểm tra, giám sát thông qua Ban Thanh tra nhân dân.\n"
    "Mọi thắc mắc, bà con liên hệ Trưởng ấp hoặc bộ phận một cửa Ủy ban nhân dân xã."
)
MATERIALS = [
    (
        "to-gap-luat-thuc-hien-dan-chu-o-co-so",
        MaterialKind.LEAFLET,
        "Tờ gấp: Luật Thực hiện dân chủ ở cơ sở – những điều người dân cần biết",
        "Tờ gấp khổ A4 tóm tắt bốn nhóm quyền của Nhân dân; in phát tại hội nghị ấp.",
        "to-gap-luat-dan-chu-co-so.pdf",
    ),
    (
        "to-gap-huong-uoc-quy-uoc",
        MaterialKind.LEAFLET,
        "Tờ gấp: Các bước xây dựng hương ước, quy ước",
        "Sáu bước từ đề xuất đến công nhận và thực hiện hương ước, quy ước theo Nghị định "
        "61/2023/NĐ-CP.",
        "to-gap-huong-uoc.pdf",
    ),
    (
        "ban-tin-loa-truyen-thanh-dan-chu-co-so",
        MaterialKind.AUDIO,
        "Bản tin loa truyền thanh: Quyền của Nhân dân theo Luật Thực hiện dân chủ ở cơ sở",
        "Tệp nhạc hiệu mở đầu bản tin và toàn văn lời đọc để cán bộ ấp đọc trên loa.",
        "nhac-hieu-ban-tin.wav",
    ),
    (
        "ban-tin-loa-huong-uoc",
        MaterialKind.AUDIO,
        "Bản tin loa truyền thanh: Cùng xây dựng hương ước ấp",
        "Nhạc hiệu và lời đọc kêu gọi các hộ gia đình góp ý dự thảo hương ước sửa đổi.",
        "nhac-hieu-ban-tin.wav",
    ),
]
HUONG_UOC_TRANSCRIPT = (
    "Kính thưa bà con!\n"
    "Ban điều hành ấp đang lấy ý kiến về dự thảo hương ước sửa đổi. Dự thảo được niêm yết tại "
    "nhà văn hóa ấp và đăng trên trang Lấy ý kiến Nhân dân của xã. Mỗi hộ gia đình sẽ nhận một "
    "phiếu lấy ý kiến; bà con ghi ý kiến và gửi lại Tổ trưởng tổ nhân dân tự quản trong 15 ngày."
)


# --- Generated files -------------------------------------------------------------------------


def _font_paths() -> tuple[str, str]:
    fonts = importlib.resources.files("certificates") / "fonts"
    return str(fonts / "LiberationSerif-Regular.ttf"), str(fonts / "LiberationSerif-Bold.ttf")


def leaflet_pdf(*, lines: list[tuple[str, str]], title: str) -> bytes:
    """A one-page A4 leaflet (headings and paragraphs) with an embedded Vietnamese font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from certificates.api import PDF_FONT_BOLD, PDF_FONT_REGULAR, register_fonts

    register_fonts()  # ReportLab allows one registration per font face: certificates owns it
    heading = ParagraphStyle("h", fontName=PDF_FONT_BOLD, fontSize=14, leading=18)
    body = ParagraphStyle("p", fontName=PDF_FONT_REGULAR, fontSize=12, leading=16)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, leftMargin=20 * mm, rightMargin=20 * mm
    )
    story = []
    for kind, text in lines:
        story.append(Paragraph(text, heading if kind == "h" else body))
        story.append(Spacer(1, 3 * mm if kind == "h" else 5 * mm))
    document.build(story)
    return buffer.getvalue()


def chime_wav(*, seconds: float = 2.4, rate: int = 8000) -> bytes:
    """The two-tone chime that opens a loudspeaker bulletin: 8 kHz mono 8-bit PCM (~20 KB)."""
    notes = [(659.25, 0.6), (523.25, 0.6), (587.33, 0.6), (392.0, seconds - 1.8)]
    frames = bytearray()
    for frequency, length in notes:
        count = int(rate * length)
        for i in range(count):
            envelope = math.exp(-3.0 * i / count)
            sample = math.sin(2 * math.pi * frequency * i / rate) * envelope
            frames.append(int(128 + 100 * sample))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def banner_png(*, title: str, color: tuple[int, int, int]) -> bytes:
    """A 1200×675 banner with the headline, for the news item's picture."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1200, 675), color)
    draw = ImageDraw.Draw(image)
    _regular, bold = _font_paths()
    font = ImageFont.truetype(bold, 64)
    words, lines, line = title.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > 1040 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    y = 675 // 2 - len(lines) * 40
    for text in lines:
        draw.text((80, y), text, font=font, fill=(255, 255, 255))
        y += 80
    draw.rectangle((80, 560, 380, 572), fill=(255, 214, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _document(*, title: str, filename: str, data: bytes):
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    document = Document(title=title, file=ContentFile(data, name=filename))
    document._set_document_file_metadata()
    document.save()
    return document


def _image(*, title: str, color):
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = banner_png(title=title, color=color)
    image = Image(title=title, file=ImageFile(io.BytesIO(data), name="tin-tuc.png"))
    image.save()
    return image


def _publish(parent, page):
    existing = type(page).objects.filter(slug=page.slug).first()
    if existing is not None:
        return existing
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def load_demo_public_site(*, stdout: IO[str] | None = None) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        sections = public_sections_ensure()
        categories = {
            slug: NewsCategory.objects.get_or_create(
                slug=slug, defaults={"name": name, "sort_order": i}
            )[0]
            for i, (slug, name) in enumerate(CATEGORIES)
        }
        topics = {
            slug: QATopic.objects.get_or_create(
                slug=slug, defaults={"name": name, "sort_order": i}
            )[0]
            for i, (slug, name) in enumerate(TOPICS)
        }
        for item in NEWS:
            if NewsPage.objects.filter(slug=item["slug"]).exists():
                continue
            page = NewsPage(
                title=item["title"],
                slug=item["slug"],
                date=today - dt.timedelta(days=item["days_ago"]),
                summary=item["summary"],
                category=categories[item["category"]],
                image=_image(title=item["title"], color=item["color"]),
                body=item["body"],
            )
            page.tags.add(*item["tags"])
            _publish(sections["tin-tuc"], page)
        for number, (slug, topic, title, question, answer, citations) in enumerate(QA):
            _publish(
                sections["hoi-dap"],
                QAPage(
                    title=title,
                    slug=slug,
                    topic=topics[topic],
                    question=question,
                    answer=answer,
                    citations=citations,
                    answered_on=today - dt.timedelta(days=2 + 3 * number),
                ),
            )
        files = {
            "to-gap-luat-dan-chu-co-so.pdf": lambda title: leaflet_pdf(
                lines=LEAFLET_TEXT, title=title
            ),
            "to-gap-huong-uoc.pdf": lambda title: leaflet_pdf(
                lines=CONVENTION_LEAFLET_TEXT, title=title
            ),
            "nhac-hieu-ban-tin.wav": lambda title: chime_wav(),
        }
        chime = None
        for number, (slug, kind, title, summary, filename) in enumerate(MATERIALS):
            if MaterialPage.objects.filter(slug=slug).exists():
                continue
            if filename.endswith(".wav"):
                chime = chime or _document(
                    title="Nhạc hiệu bản tin loa truyền thanh",
                    filename=filename,
                    data=files[filename](""),
                )
                document = chime
            else:
                document = _document(title=title, filename=filename, data=files[filename](title))
            transcript = ""
            if kind == MaterialKind.AUDIO:
                transcript = AUDIO_TRANSCRIPT if number == 2 else HUONG_UOC_TRANSCRIPT
            _publish(
                sections["tai-lieu"],
                MaterialPage(
                    title=title,
                    slug=slug,
                    kind=kind,
                    date=today - dt.timedelta(days=5 + 7 * number),
                    summary=summary,
                    document=document,
                    transcript=transcript,
                ),
            )
        count = search_index_rebuild()
    if stdout:
        stdout.write(
            f"Trang công khai mẫu: {len(NEWS)} tin, {len(QA)} hỏi – đáp, {len(MATERIALS)} tài liệu; "
            f"chỉ mục tìm kiếm {count} trang.\n"
        )

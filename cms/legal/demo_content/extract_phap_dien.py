"""Rebuild the demo texts from the codification mirror (pháp điển) — run by hand, not at runtime.

    .venv/bin/python cms/legal/demo_content/extract_phap_dien.py REFERENCE.md OUTPUT_DIR

The mirror interleaves the articles of Law 10/2022/QH15 ("Điều 44.13.LQ.N"), Decree 59/2023/NĐ-CP
("NĐ.1.N"), Decree 61/2023/NĐ-CP ("NĐ.2.N") and several circulars ("TT.x.N") under the law's
chapters, sections and sub-sections. Each article starts with a note "(Điều N Luật số …)" and may end
with "(Điều này có nội dung liên quan đến …)" notes; both are dropped. A few headings are glued to
the end of the previous paragraph and are split off first. The decrees keep only their articles:
the chapters in the mirror are the law's, not theirs.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

HEAD = re.compile(r"^Điều 44\.13\.(LQ|NĐ\.1|NĐ\.2|TT\.\d+)\.(\d+)\. (.*)$")
GLUED_HEAD = re.compile(r"(?<=[^\s(])(?=Điều 44\.13\.[A-ZĐ]+(?:\.\d+)*\.\d+\. )")
NOTE = re.compile(r"^\(Điều (\d+) (?:Luật|Nghị định|Thông tư) số ([^ ,]+)")
RELATED = re.compile(r"^\(Điều này có nội dung liên quan đến .*\)$")
SOURCES = (
    ("LQ", "10/2022/QH15", "luat-10-2022-qh15.txt", True),
    ("NĐ.1", "59/2023/NĐ-CP", "nghi-dinh-59-2023-nd-cp.txt", False),
    ("NĐ.2", "61/2023/NĐ-CP", "nghi-dinh-61-2023-nd-cp.txt", False),
)


def read_body(reference: Path) -> list[str]:
    lines = unicodedata.normalize("NFC", reference.read_text(encoding="utf-8")).split("\n")
    start = lines.index("## VĂN BẢN") + 2
    end = next(i for i, line in enumerate(lines) if line.startswith("## Danh sách điều khoản"))
    text = GLUED_HEAD.sub("\n", "\n".join(lines[start:end]))
    return [line.strip() for line in text.split("\n")]


def collect(body: list[str]) -> dict[str, list[dict]]:
    articles: dict[str, list[dict]] = defaultdict(list)
    chapter = section = subsection = current = None
    in_circular = False
    i = 0
    while i < len(body):
        line = body[i]
        heading = None
        if re.fullmatch(r"Chương [IVX]+", line):
            heading = "chapter"
        elif re.fullmatch(r"Mục \d+", line) and not in_circular:
            heading = "section"
        elif re.fullmatch(r"Tiểu mục \d+", line) and not in_circular:
            heading = "subsection"
        if heading:
            j = i + 1
            while not body[j]:
                j += 1
            value = (line, body[j])
            if heading == "chapter":
                chapter, section, subsection = value, None, None
            elif heading == "section":
                section, subsection = value, None
            else:
                subsection = value
            current, i = None, j + 1
            continue
        if match := HEAD.match(line):
            in_circular = match.group(1).startswith("TT")
            current = {
                "num": int(match.group(2)),
                "title": match.group(3),
                "headings": (chapter, section, subsection),
                "paras": [],
            }
            articles[match.group(1)].append(current)
        elif current is not None and line:
            current["paras"].append(line)
        i += 1
    return articles


def article_paragraphs(article: dict, number: str) -> list[str]:
    paras = list(article["paras"])
    note = NOTE.match(paras[0]) if paras else None
    if not note or int(note.group(1)) != article["num"] or note.group(2) != number:
        raise SystemExit(f"Điều {article['num']} của {number}: không thấy ghi chú nguồn.")
    paras = paras[1:]
    while paras and RELATED.match(paras[-1]):
        paras.pop()
    return paras


def render(items: list[dict], number: str, with_structure: bool) -> str:
    out: list[str] = []
    last: list = [None, None, None]
    for article in sorted(items, key=lambda a: a["num"]):
        if with_structure:
            for level, heading in enumerate(article["headings"]):
                if heading and heading != last[level]:
                    out += ["", heading[0], heading[1]]
                    last[level] = heading
                    last[level + 1 :] = [None] * (2 - level)
        out += [
            "",
            f"Điều {article['num']}. {article['title']}",
            *article_paragraphs(article, number),
        ]
    return "\n".join(out).strip() + "\n"


def main(reference: str, output: str) -> None:
    articles = collect(read_body(Path(reference)))
    for key, number, filename, with_structure in SOURCES:
        numbers = sorted(a["num"] for a in articles[key])
        if numbers != list(range(1, len(numbers) + 1)):
            raise SystemExit(f"{number}: thiếu hoặc trùng điều {numbers}")
        Path(output, filename).write_text(
            render(articles[key], number, with_structure), encoding="utf-8"
        )
        print(f"{filename}: {len(numbers)} điều")


if __name__ == "__main__":
    main(*sys.argv[1:3])

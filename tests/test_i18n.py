"""Language: Vietnamese by default, English available, both catalogues complete."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from cms.site_setup import home_page_ensure

LOCALE = Path(settings.BASE_DIR) / "locale"
# Hand-kept Vietnamese for Wagtail admin strings missing from Wagtail's own vi catalogue; it only
# needs to cover the admin's visible chrome, so test_catalogue_is_complete does not check it.
OVERRIDES = Path(settings.BASE_DIR) / "locale_overrides"


def _po_entries(path: Path) -> list[dict]:
    """Entries of a .po file (gettext separates them by blank lines): msgid, msgstrs, flags."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines()]
        if not lines or all(line.startswith("#~") for line in lines if line):
            continue  # obsolete entries are not part of the catalogue
        entry: dict = {"flags": set(), "msgid": "", "msgstr": []}
        field = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith("msgid "):
                field = "msgid"
                entry["msgid"] = ast.literal_eval(line[6:])
            elif line.startswith("msgstr"):
                field = "msgstr"
                entry["msgstr"].append(ast.literal_eval(line.split(" ", 1)[1]))
            elif line.startswith('"'):
                if field == "msgid":
                    entry["msgid"] += ast.literal_eval(line)
                elif field == "msgstr":
                    entry["msgstr"][-1] += ast.literal_eval(line)
            else:
                field = None  # msgctxt, msgid_plural
        if entry["msgid"]:  # the header has an empty msgid
            entries.append(entry)
    return entries


@pytest.mark.parametrize("language", ["vi", "en"])
def test_catalogue_is_complete(language):
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"missing {path}: run `make messages-update`"
    entries = _po_entries(path)
    assert len(entries) > 50
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [], (
        f"{len(untranslated)} untranslated in {language}: {untranslated[:10]}"
    )
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"


def test_vietnamese_is_the_default_and_english_is_available():
    assert settings.LANGUAGE_CODE == "vi"
    assert dict(settings.LANGUAGES).keys() == {"vi", "en"}
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


@pytest.fixture
def compiled_catalogues(settings):
    """Compile the catalogues if the build has not (`make test` does), then reload them."""
    catalogues = [(LOCALE, "vi"), (LOCALE, "en"), (OVERRIDES, "vi")]
    for base, language in catalogues:
        po = base / language / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            call_command(
                "compilemessages",
                locale=[language],
                ignore_patterns=[".venv/*", "var/*"],
                verbosity=0,
            )
    # Changing LOCALE_PATHS makes Django drop its cached translations.
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)


@pytest.mark.django_db
def test_switching_to_english_translates_the_home_page(client, compiled_catalogues):
    home_page_ensure()
    vietnamese = client.get("/").content.decode()
    assert '<html lang="vi">' in vietnamese
    assert "Đăng nhập" in vietnamese

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get("/").content.decode()
    assert '<html lang="en">' in english
    assert "Log in" in english
    assert "Đăng nhập" not in english
    assert "Skip to main content" in english


def test_wagtail_override_catalogue_is_loaded_and_valid():
    assert OVERRIDES in [Path(path) for path in settings.LOCALE_PATHS]
    entries = _po_entries(OVERRIDES / "vi" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 200
    assert [e["msgid"] for e in entries if not all(e["msgstr"]) or "fuzzy" in e["flags"]] == []


@pytest.mark.django_db
def test_wagtail_admin_speaks_vietnamese(client, compiled_catalogues):
    """Wagtail's own vi catalogue leaves most of the admin in English; locale_overrides fills it."""
    admin = get_user_model().objects.create_superuser(
        "quantri", "quantri@example.vn", "Mk-bi-mat-9"
    )
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    page = response.content.decode()
    # The sidebar is rendered by JavaScript from a JSON blob: compare its menu labels.
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', page, re.S)
    labels = set(
        re.findall(r'"label": "([^"]*)"', json.dumps(json.loads(props[1]), ensure_ascii=False))
    )
    assert {
        "Trang",
        "Hình ảnh",
        "Tài liệu",
        "Báo cáo",
        "Cài đặt",
        "Trợ giúp",
        "Đăng xuất",
    } <= labels
    assert not labels & {"Pages", "Images", "Documents", "Reports", "Settings", "Help", "Log out"}
    assert "<title>Tổng quan" in page
    assert "Ẩn/hiện thanh bên" in page and "Toggle sidebar" not in page

    home_page_ensure()
    explorer = client.get("/admin/pages/").content.decode()
    assert "Trang 1 / 1" in explorer
    assert "Page 1 of 1" not in explorer
    editor = client.get(f"/admin/pages/{Page.objects.filter(depth=2).first().pk}/edit/")
    editor_html = editor.content.decode()
    for vietnamese in (
        "Lưu bản nháp",
        "Xuất bản",
        "Nội dung",
        "Hiển thị &amp; SEO",
        "Thêm thao tác",
    ):
        assert vietnamese in editor_html
    for english in (">Save draft<", ">Promote<", "More actions"):
        assert english not in editor_html


def test_message_constants_are_marked_for_translation():
    """`MSG_X = "…"` translated later with `_(MSG_X)` is invisible to makemessages: mark it."""
    unmarked = []
    for app in ("lms", "courses", "assessments", "certificates", "cms"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if (
                    isinstance(node, ast.Assign)
                    and any(
                        isinstance(t, ast.Name) and t.id.startswith("MSG_") for t in node.targets
                    )
                    and isinstance(node.value, ast.Constant | ast.JoinedStr)
                ):
                    unmarked.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    assert unmarked == [], "wrap in gettext_noop (or gettext_lazy): " + ", ".join(unmarked)

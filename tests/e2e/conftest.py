"""Browser tests: Playwright driving the system Chromium (never a downloaded browser).

One browser per session; each test gets a fresh phone-sized context (360×740).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("LMS_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install the system package (apt-get install chromium) "
            "or set LMS_E2E_CHROMIUM. Browser tests never download a browser.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """new_page() opens a tab in a fresh phone-sized context (its own cookies)."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport=PHONE, locale="vi-VN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def wagtail_site(transactional_db):
    """Transactional tests flush the tables the migrations filled: restore Wagtail's root and site."""
    from wagtail.models import Locale, Page, Site

    Locale.objects.get_or_create(language_code="vi")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    if not Site.objects.exists():
        home = root.add_child(title="Trang chủ", slug="trang-chu")
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    from lms.org.roles import ensure_role_groups

    ensure_role_groups()
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def axe_check():
    """axe_check(page, name): fail on any serious or critical WCAG 2.1 AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"],
    }

    def check(page, name: str) -> None:
        results = axe.run(page, options=options)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        assert not bad, f"axe violations on {name}:\n" + "\n".join(bad)

    return check


def login(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    # Wait for the POST to finish (the redirect away from the login page), not just for the
    # already-loaded login page, so that the next goto() cannot cancel the sign-in.
    page.wait_for_url(lambda url: "/tai-khoan/dang-nhap/" not in url)


@pytest.fixture
def log_in():
    return login

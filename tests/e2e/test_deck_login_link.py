"""A link to a deck page opened without a session (shared by a colleague, or a reload: sessions have no
cookie) showed Streamlit's English «Page not found» over the login form and lost the page; now the form
answers at every page's address and the login lands on the linked page (or on the role's first page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.access_fixtures import PASSWORD, PERIOD, SCHOOL

pytestmark = pytest.mark.slow


def _login(page: Page, login: str) -> None:
    page.get_by_label("Логин").fill(login)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


@pytest.mark.parametrize(("login", "heading"), [("deputy", "Посещаемость"), ("it_admin", "Данные")])
def test_a_link_opens_the_login_and_then_the_page(page: Page, real_deck_url, artifacts, login, heading):
    page.goto(f"{real_deck_url}/attendance?school={SCHOOL}&period={PERIOD}")
    expect(page.get_by_role("heading", name="Завуч — вход")).to_be_visible(timeout=60_000)
    assert page.get_by_text("Page not found").count() == 0
    _login(page, login)
    expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=60_000)
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_test_id("stException").count() == 0
    if login == "deputy":
        assert f"period={PERIOD}" in page.url
    page.screenshot(path=str(artifacts / f"deck-link-{login}.png"), full_page=True)

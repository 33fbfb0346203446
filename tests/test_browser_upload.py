"""The upload form in a real browser (Debian's Chromium through Playwright): an HTML
article with its human translation as .docx, aligned on upload, and a refused pair."""

from __future__ import annotations

import pytest
from review_support import (
    EN_SENTENCES,
    EN_TITLE,
    ZH_SENTENCES,
    ZH_TEXT,
    ZH_TITLE,
    add_users,
    docx_bytes,
    log_in,
    serving,
)

from workbench.store.db import connect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(tmp_path_factory, installed_models):
    path = tmp_path_factory.mktemp("browser-upload") / "workbench.db"
    connect(path).close()
    add_users(path)
    with serving(path) as url:
        yield url


def test_upload_an_html_article_with_its_docx_translation(browser, base, tmp_path):
    article = tmp_path / "harbour.html"
    article.write_text(
        f"<html><head><meta charset='utf-8'><script>var x = '脚本';</script></head><body>"
        f"<h1>{ZH_TITLE}</h1><p>{''.join(ZH_SENTENCES[:3])}</p><p>{''.join(ZH_SENTENCES[3:])}</p>"
        "</body></html>",
        "utf-8",
    )
    translation = tmp_path / "harbour-en.docx"
    translation.write_bytes(
        docx_bytes([EN_TITLE, " ".join(EN_SENTENCES[:3]), " ".join(EN_SENTENCES[3:])])
    )
    page = log_in(browser, base)
    page.get_by_role("link", name="Upload", exact=True).click()
    page.get_by_label("Article or translation memory").set_input_files(str(article))
    page.get_by_label("Its human translation").set_input_files(str(translation))
    page.get_by_label("Project").fill("Ports")
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("tr.seg")
    assert page.get_by_role("heading", name=ZH_TITLE).is_visible()
    flash = page.locator(".flash").first.inner_text()
    assert "with its translation harbour-en.docx" in flash and "7 aligned segments" in flash
    assert "Ports" in page.locator(".dochead").inner_text()
    sources = page.locator("tr.seg .source-text").all_inner_texts()
    targets = [box.input_value() for box in page.locator("tr.seg textarea").all()]
    assert sources == [ZH_TITLE, *ZH_SENTENCES]
    assert targets == [EN_TITLE, *EN_SENTENCES]
    assert page.locator("tr.seg .conf").count() == 7  # the aligner's confidence per pair
    assert page.locator("#count-draft").inner_text() == "7"
    page.get_by_role("link", name="Workbench").click()
    assert page.get_by_text("aligned with a human translation").is_visible()
    page.context.close()


def test_a_translation_in_the_same_language_is_refused_and_the_form_stays(browser, base, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(ZH_TEXT, "utf-8")
    page = log_in(browser, base)
    page.goto(base + "/upload")
    page.get_by_label("Article or translation memory").set_input_files(str(article))
    page.get_by_label("Its human translation").set_input_files(str(article))
    page.get_by_label("Project").fill("Ports")
    page.get_by_role("button", name="Upload").click()
    assert page.get_by_role("alert").filter(has_text="both texts are in zh").is_visible()
    assert page.get_by_label("Project").input_value() == "Ports"
    page.context.close()

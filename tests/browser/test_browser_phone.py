"""A grid worker's phone: the case page at a phone viewport in Chromium, with screenshots."""

from __future__ import annotations

import pytest

from core import CaseStatus
from tests.browser.test_browser_console import log_in
from tests.web_support import DEPARTMENT, tiny_png

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="zh-CN", **PHONE)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def _case_in_progress(app) -> str:
    con = app.state.console
    post = next(h.post for h in con.store.search(__import__("storage").PostQuery(is_complaint=True, limit=5)).hits
                if h.post.effective_place_ids)
    case = con.cases.flag([post.id], "office")
    con.cases.transition(case.id, CaseStatus.ASSIGNED, "office", "reviewer", department=DEPARTMENT)
    con.cases.transition(case.id, CaseStatus.IN_PROGRESS, "cg", "department", department=DEPARTMENT)
    return case.id


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_rectify_a_case_from_a_phone(phone, console, tmp_path):
    base, app = console
    case_id = _case_in_progress(app)
    page = phone
    log_in(page, base, "cg")
    page.goto(f"{base}/cases/{case_id}")
    # the task box comes first and says what, where and by when; the page fits the phone's width
    task = page.locator(".taskbox")
    box = task.bounding_box()
    assert box["y"] < 200 and box["width"] <= 390
    text = task.inner_text()
    assert "问题" in text and "地点" in text and "期限" in text and "剩余" in text
    assert fits_the_screen(page)
    # required fields are marked; the one form has the note, the photo and the moves
    form = page.locator("form.case-form")
    assert form.locator(".req").count() == 2
    assert page.locator("form.case-form").count() == 1
    page.screenshot(path=str(tmp_path / "case-phone.png"), full_page=True)

    # 已整改 without a photo: the error shows on the form, the note is kept
    form.locator("textarea[name=note]").fill("垃圾已清运，已安排每日巡查")
    form.locator('button[value="rectified"]').click()
    page.wait_for_load_state("load")
    error = page.locator(".act-form .form-error")
    assert "照片" in error.inner_text() and error.is_visible()
    assert page.locator("textarea[name=note]").input_value() == "垃圾已清运，已安排每日巡查"
    assert page.locator(".error").count() == 0 and fits_the_screen(page)
    page.screenshot(path=str(tmp_path / "case-phone-error.png"), full_page=True)

    # a photo from before, then 已整改 with the after photo: shown side by side
    before, after = tmp_path / "现场.png", tmp_path / "整改后.png"
    before.write_bytes(tiny_png(64, 48))
    after.write_bytes(tiny_png(80, 60))
    form = page.locator("form.case-form")
    form.locator("textarea[name=note]").fill("到场查看")
    form.locator('input[type="file"]').set_input_files(str(before))
    with page.expect_navigation():
        form.locator("button.to-note").click()
    form = page.locator("form.case-form")
    form.locator("textarea[name=note]").fill("垃圾已清运，已安排每日巡查")
    form.locator('input[type="file"]').set_input_files(str(after))
    with page.expect_navigation():
        form.locator('button[value="rectified"]').click()
    assert app.state.console.store.get_case(case_id).status is CaseStatus.RECTIFIED
    sides = page.locator(".before-after figure")
    left, right = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert abs(left["y"] - right["y"]) < 2 and left["x"] + left["width"] <= right["x"] + 1  # side by side
    for img in (sides.nth(0).locator("img"), sides.nth(1).locator("img")):
        assert page.evaluate("i => i.complete && i.naturalWidth > 0", img.element_handle())
    assert page.locator(".taskbox .countdown").inner_text().startswith("已整改")
    assert fits_the_screen(page)
    page.screenshot(path=str(tmp_path / "case-phone-rectified.png"), full_page=True)
    assert all((tmp_path / n).stat().st_size > 10_000
               for n in ("case-phone.png", "case-phone-error.png", "case-phone-rectified.png"))

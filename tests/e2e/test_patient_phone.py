"""The patient portal on a 375 by 812 pixel phone screen: no sideways scrolling, big enough buttons."""

import pytest

from tests.e2e.helpers import log_in

PAGES = [
    "/",
    "/my/materials/",
    "/my/concerns/new/",
    "/my/concerns/new/fever/",
    "/my/concerns/",
    "/my/profile/",
    "/my/access-log/",
]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812})
    page = context.new_page()
    yield page
    context.close()


def test_the_portal_fits_a_phone_and_its_buttons_are_easy_to_press(phone, patient):
    log_in(phone, patient.user)
    for path in PAGES:
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path
        heights = phone.evaluate(
            "[...document.querySelectorAll('main .btn, main input, main select')].filter(e => e.type !== 'hidden' && e.type !== 'radio' && e.type !== 'checkbox' && e.offsetParent).map(e => e.getBoundingClientRect().height)"
        )
        assert all(height >= 44 for height in heights), (path, heights)

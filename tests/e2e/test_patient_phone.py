"""The patient portal on a 375 by 812 pixel phone screen: no sideways scrolling, big enough buttons."""

import pytest

from tests.factories import PASSWORD

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
    phone.goto("/accounts/login/")
    phone.get_by_label("Email address").fill(patient.user.email)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    phone.get_by_role("heading", level=1).wait_for()
    for path in PAGES:
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path
        heights = phone.evaluate(
            "[...document.querySelectorAll('main .btn, main input, main select')].filter(e => e.type !== 'hidden' && e.type !== 'radio' && e.type !== 'checkbox' && e.offsetParent).map(e => e.getBoundingClientRect().height)"
        )
        assert all(height >= 44 for height in heights), (path, heights)

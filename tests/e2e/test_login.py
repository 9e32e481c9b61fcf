from tests.e2e.helpers import log_in


def test_a_clinician_logs_in_with_password_and_code_and_sees_their_home(page, clinician):
    page.goto("/")
    assert "/accounts/login/" in page.url
    log_in(page, clinician)
    assert page.get_by_role("heading", level=1).inner_text() == "Good day, Dr Moreau"
    assert page.get_by_text("Screenings waiting for review or signature").is_visible()


def test_pages_load_their_styles_under_the_content_security_policy(page, db):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    response = page.goto("/accounts/login/")
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    background = page.eval_on_selector("nav", "n => getComputedStyle(n).backgroundColor")
    assert background == "rgb(11, 90, 122)"
    assert not [m for m in messages if "Content Security Policy" in m]


def test_the_log_in_form_works_with_the_keyboard_alone(page, patient):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand link
    for _ in range(12):  # the form autofocuses, so Tab goes round the page (footer included)
        if page.evaluate("document.activeElement.id") == "id_username":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type(patient.user.email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type("correct-horse-battery-staple")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Hello, Pat").wait_for()

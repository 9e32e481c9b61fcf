from tests.e2e.helpers import log_in


def test_a_clinician_logs_in_with_password_and_code_and_sees_their_home(page, clinician):
    page.goto("/")
    assert "/accounts/login/" in page.url
    log_in(page, clinician)
    assert page.get_by_role("heading", level=1).inner_text() == "Good day, Dr"
    assert page.get_by_text("Patients awaiting screening or review").is_visible()


def test_pages_load_their_styles_under_the_content_security_policy(page, db):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    response = page.goto("/accounts/login/")
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    background = page.eval_on_selector("nav", "n => getComputedStyle(n).backgroundColor")
    assert background == "rgb(11, 90, 122)"
    assert not [m for m in messages if "Content Security Policy" in m]

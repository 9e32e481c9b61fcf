from tests.factories import PASSWORD
from tests.support.mfa import authenticator, current_code


def log_in(page, user):
    """Through the log-in page, and the code page for users with an authenticator."""
    needs_code = user.role != "patient"
    if needs_code:
        authenticator(user)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if needs_code:
        page.get_by_role("heading", name="Enter your code").wait_for()
        page.get_by_label("Code").fill(current_code(user))
        page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", level=1).wait_for()

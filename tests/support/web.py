"""django-webtest apps logged in as a persona, so form tests submit the form the page rendered."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from tests.support.mfa import log_in


def logged_in_app(app, user):
    """Give a django-webtest ``app`` the session of ``user``: password and, where the role
    needs it, a verified second factor, exactly as ``log_in`` gives the test client."""
    client = log_in(Client(), user)
    app.set_cookie(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    return app


def form_on(page, action: str | None = None):
    """The page's form to fill: the one posting to ``action`` when given, otherwise the first
    that is not the navbar's "Log out". Fails with the page's forms listed, not a KeyError."""
    candidates = [
        form
        for form in all_forms(page)
        if "/logout/" not in (form.action or "")
        and (action is None or (form.action or page.request.path) == action)
    ]
    assert candidates, f"no form for {action!r}; forms: {[f.action for f in all_forms(page)]}"
    return candidates[0]


def all_forms(page) -> list:
    """The page's forms in document order (webtest also indexes them by id)."""
    return [page.forms[key] for key in sorted(k for k in page.forms if isinstance(k, int))]


def visible_errors(page) -> list[str]:
    """The error messages a person sees on ``page``: beside fields and in error boxes."""
    soup = page.html
    found = soup.select(".invalid-feedback, .alert-danger, .errorlist, [role=alert]")
    return [
        " ".join(node.get_text(" ", strip=True).split())
        for node in found
        if node.get_text(strip=True)
    ]


def fill(form, **values):
    """Type ``values`` into a rendered form, as a person would: text into inputs, a choice in
    a select (forced when the test sends one the page does not offer), ticks in checkboxes."""
    from webtest.forms import Checkbox, Select

    for name, value in values.items():
        field = form[name]
        if isinstance(field, Checkbox):
            field.checked = bool(value)
        elif isinstance(field, Select) and str(value) not in [o[0] for o in field.options]:
            field.force_value(str(value))
        else:
            field.value = str(value)
    return form


def submit(web, url: str, *, action: str | None = None, button: str | None = None, **values):
    """Open ``url`` as ``web``'s user, fill its form with ``values`` and press its button
    (``button`` names one when the form has several). Returns the answer, whatever its status."""
    form = fill(form_on(web.get(url), action), **values)
    if button is not None:
        return form.submit(button.split("=")[0], value=button.partition("=")[2] or None, status="*")
    return form.submit(status="*")


def tick(form, name: str, value) -> None:
    """Tick the checkbox called ``name`` whose value is ``value`` (one of a group)."""
    boxes = [box for box in form.fields.get(name, []) if box._value == str(value)]
    assert boxes, f"no {name}={value} checkbox; values: {[b._value for b in form.fields[name]]}"
    boxes[0].checked = True


def error_beside(page, name: str) -> str:
    """The error message shown with the field called ``name``: inside its wrapper when the
    layout gives it one (crispy's ``div_id_<name>``), otherwise the first one after the field."""
    wrapper = page.html.select_one(f"#div_id_{name}")
    node = wrapper.select_one(".invalid-feedback") if wrapper else None
    if node is None:
        field = page.html.find(attrs={"name": name})
        node = field.find_next(class_="invalid-feedback") if field else None
    return " ".join(node.get_text(" ", strip=True).split()) if node else ""


def type_password(app, email: str, password: str, *, url: str = "/accounts/login/"):
    """Open the log-in page (or ``url``, a page that sends an anonymous person there), type
    ``email`` and ``password`` and press Log in. Returns the answer, whatever its status."""
    page = app.get(url, status="*")
    while page.status_code in (301, 302):
        page = page.follow(status="*")
    return fill(form_with(page, "password"), username=email, password=password).submit(status="*")


def type_code(page, code: str):
    """Type ``code`` into the code form on ``page`` (setting up or checking the second factor)
    and press its button. Returns the answer, whatever its status."""
    return fill(form_with(page, "code"), code=code).submit(status="*")


def form_with(page, field: str):
    """The form on ``page`` that has a field called ``field``."""
    forms = [form for form in all_forms(page) if field in form.fields]
    assert forms, f"no form with {field!r} on {page.request.path}"
    return forms[0]

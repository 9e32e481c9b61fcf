from __future__ import annotations

import segno
from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from clinic_portal.accounts import mfa


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
    )


class ReplaceDeviceForm(CodeForm):
    """Replacing an authenticator: fresh proof of the password and of the current device."""

    password = forms.CharField(
        label=gettext_lazy("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    current_code = forms.CharField(
        label=gettext_lazy("A code from your current authenticator app, or a backup code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    field_order = ["password", "current_code", "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("The code from the new app")
        self.fields["code"].widget.attrs.pop("autofocus", None)


def _next(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/"


@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    if not mfa.may_start_enrolment(request):
        # Password only, and an authenticator exists: the code comes first, never a new device.
        return redirect(f"{reverse('accounts:mfa_verify')}?{urlencode({'next': _next(request)})}")
    replacing = mfa.has_confirmed_device(request.user)
    device = mfa.pending_device(request.user)
    form = (ReplaceDeviceForm if replacing else CodeForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.confirm_device(
                request=request,
                device=device,
                token=form.cleaned_data["code"].strip(),
                password=form.cleaned_data.get("password", ""),
                current_code=form.cleaned_data.get("current_code", ""),
            )
        except mfa.EnrolmentRefused as refused:
            form.add_error(refused.field, refused.message)
            codes = None
        else:
            if codes is None:
                form.add_error(
                    "code",
                    _(
                        "That code did not match. Check the time on your phone and try the "
                        "newest code."
                    ),
                )
        if codes is not None:
            return render(
                request, "accounts/mfa_backup_codes.html", {"codes": codes, "next": _next(request)}
            )
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111", light="#fff")
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr": qr,
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "next": _next(request),
            "replacing": replacing,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    if not mfa.has_confirmed_device(request.user):
        return redirect("accounts:mfa_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.verify(request=request, token=form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error("code", _("That code did not work. Try the newest one, or a backup code."))
    return render(
        request,
        "accounts/mfa_verify.html",
        {"form": form, "next": _next(request)},
        status=400 if request.method == "POST" else 200,
    )

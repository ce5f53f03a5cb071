"""Signing in: a password (Argon2-hashed, lockout after repeated failures by django-axes), then
a time-based one-time code (django-otp). Only then does the access policy let a user past
`/`. Both steps and signing out are audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

import django_otp
from django import forms
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django_otp.models import Device

from safeguard.access.events import SignedIn, SignedOut
from safeguard.hub.accounts import authenticators, services
from safeguard.hub.web.adapter import audits


class PasswordForm(AuthenticationForm):
    """Django's password form, with the username's length checked before anyone is looked up
    (Django only tells the browser): a name longer than any account's is a form error, never
    handed to the lockout's records, which keep 255 characters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(
            MaxLengthValidator(self.username_field.max_length)
        )


class PasswordStep(LoginView):
    """The first step. On success the user is signed in but not verified, so every page but
    the code step is still refused; the code step then goes on to `next`."""

    template_name = "web/login.html"
    authentication_form = PasswordForm

    def get_success_url(self) -> str:
        target = self.get_redirect_url()
        return _onward("verify", own_path(target) if target else "")


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label="One-time code",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@audits(GET=None, POST=SignedIn)
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: the code from the user's authenticator app."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    form = CodeForm(request.POST or None)
    done = _take_code(
        request,
        form,
        lambda token: django_otp.match_token(user, token),
        "password and code",
        "wrong or expired one-time code",
    )
    if done is not None:
        return done
    has_device = django_otp.user_has_device(user)
    if not has_device and authenticators.may_enrol(user):
        return redirect(_onward("enrol", request.GET.get("next", "")))
    return render(request, "web/verify.html", {"form": form, "has_device": has_device})


@never_cache  # the page carries the new authenticator's secret
@audits(GET=None, POST=SignedIn)
def enrol(request: HttpRequest) -> HttpResponse:
    """The second step for an account an administrator opened to it: set up the authenticator
    app from a QR code (or its key), and prove it works with its current code."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if not authenticators.may_enrol(user):
        if request.method == "POST":  # a device offered outside any window: refused, recorded
            services.refused_sign_in(request, "no window to set up an authenticator is open")
        return redirect(_onward("verify", request.GET.get("next", "")))
    device = services.pending(user)

    def proves(token: str) -> Device | None:
        if not services.confirm(user, device, token):
            return None
        update_session_auth_hash(request, user)  # closing the window changed the session's hash
        return device

    form = CodeForm(request.POST or None)
    done = _take_code(
        request,
        form,
        proves,
        "set up an authenticator, then password and code",
        "wrong one-time code while setting up an authenticator",
    )
    if done is not None:
        return done
    context = {
        "form": form,
        "qr": mark_safe(authenticators.qr_svg(device)),  # noqa: S308 - segno's own SVG
        "key": authenticators.key_text(device),
        "until": user.enrol_until,
    }
    return render(request, "web/enrol.html", context)


def _take_code(
    request: HttpRequest,
    form: CodeForm,
    check: Callable[[str], Device | None],
    signed_in: str,
    refused: str,
) -> HttpResponse | None:
    """A posted code: `check` says which device it proves (None: wrong). Signs the user in and
    sends them on, or marks the form; either way audited. None when there is nothing to do."""
    if request.method != "POST" or not form.is_valid():
        return None
    device = check(form.cleaned_data["otp_token"].strip())
    if device is not None:
        services.signed_in(request, device, signed_in)
        return redirect(_next(request))
    services.refused_sign_in(request, refused)
    form.add_error("otp_token", "The code is wrong or has expired. Enter the current code")
    return None


def _onward(step: str, target: str) -> str:
    """The sign-in step `step`, still carrying where the user was going (`next`)."""
    return reverse(step) + (f"?{urlencode({'next': target})}" if target else "")


@audits(POST=SignedOut)
def logout(request: HttpRequest) -> HttpResponse:
    services.signed_out(request)
    return redirect("login")


def _next(request: HttpRequest) -> str:
    return own_path(request.GET.get("next", ""))


def own_path(target: str) -> str:
    """`target` if it is a path of the hub's own (`/people/1/?q=x`), else `/`: never another
    site (`//evil.example`, `https://...`, `/\\evil.example`), a scheme (`javascript:`), or
    an address of this hub given in full (the hub's own links are all relative)."""
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, set()):
        return "/"
    try:
        resolve(urlsplit(target).path)
    except Resolver404:
        return "/"
    return target

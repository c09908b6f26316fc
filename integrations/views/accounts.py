"""Sign-up (log in and out are Django's auth views)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integrations.forms import SignupForm
from integrations.services.onboarding.signup import merchant_signup_request
from integrations.views.common import posted_data


@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignupForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        # The same answer whether or not the address has an account (its owner is e-mailed instead).
        merchant_signup_request(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            organisation_name=form.cleaned_data["organisation_name"],
            login_url=request.build_absolute_uri(reverse("login")),
        )
        messages.info(
            request,
            _(
                "Thank you. Log in with your e-mail address and password. If the address already had an account, "
                "we have e-mailed it instead."
            ),
        )
        return redirect("login")
    return render(request, "registration/signup.html", {"form": form})

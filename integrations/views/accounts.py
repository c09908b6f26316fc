"""Sign-up (log in and out are Django's auth views)."""

from __future__ import annotations

from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from integrations.forms import SignupForm
from integrations.services.onboarding import OnboardingError, merchant_signup
from integrations.views.common import posted_data


@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignupForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = merchant_signup(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                organisation_name=form.cleaned_data["organisation_name"],
            )
        except OnboardingError as error:
            form.add_error("email", str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("merchant:home")
    return render(request, "registration/signup.html", {"form": form})

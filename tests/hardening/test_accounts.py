"""Accounts: sign-in is throttled per account and per address; passwords are validated with the user."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "correct-Horse-battery-9"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user():
    user = f.UserFactory(username="anna@socks.example", email="anna@socks.example")
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client, username, password, address="203.0.113.5", url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", [None, "/admin/login/"])
def test_after_five_wrong_passwords_even_the_right_one_is_refused_with_a_clear_message(client, user, settings, url):
    if url:
        user.is_staff = True
        user.save()
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        assert _login(client, user.username, "wrong", url=url).status_code == 200

    response = _login(client, user.username, PASSWORD, url=url)

    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Too many failed sign-ins. Wait 15 minutes" in response.content.decode()


def test_the_lock_is_per_account_from_any_address(client, user, settings):
    for n in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        _login(client, user.username.upper(), "wrong", address=f"198.51.100.{n}")

    assert "Too many" in _login(client, user.username, PASSWORD, address="192.0.2.1").content.decode()


def test_one_address_trying_many_accounts_is_locked(client, user, settings):
    for n in range(settings.LOGIN_FAILURES_PER_ADDRESS):
        _login(client, f"someone{n}@example.com", "wrong")

    assert "Too many" in _login(client, user.username, PASSWORD).content.decode()
    other = _login(client, user.username, PASSWORD, address="192.0.2.99")
    assert other.status_code == 302


def test_a_success_clears_the_accounts_count(client, user, settings):
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT - 1):
        _login(client, user.username, "wrong")
    assert _login(client, user.username, PASSWORD).status_code == 302
    client.logout()

    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT - 1):
        _login(client, user.username, "wrong", address="192.0.2.7")
    assert _login(client, user.username, PASSWORD, address="192.0.2.7").status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [("83920174615", "entirely numeric"), ("anna@socks.example", "too similar")],
)
def test_signup_refuses_a_numeric_password_and_one_like_the_email(client, password, message):
    response = client.post(
        reverse("merchant:signup"),
        {"organisation_name": "Socks", "email": "anna@socks.example", "password1": password, "password2": password},
    )

    assert response.status_code == 200 and message in response.content.decode()


def _signup(client, email):
    data = {"organisation_name": "Socks", "email": email, "password1": "Sock-drawer-42", "password2": "Sock-drawer-42"}
    return client.post(reverse("merchant:signup"), data)


def test_signup_answers_the_same_for_a_registered_and_a_new_address(client, user, mailoutbox):
    registered = _signup(client, user.email.upper())
    page_registered = client.get(registered["Location"]).content.decode()
    new = _signup(client, "new@socks.example")
    page_new = client.get(new["Location"]).content.decode()

    assert (registered.status_code, registered["Location"]) == (new.status_code, new["Location"])
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", page_registered) == token.sub("", page_new)
    assert [m.to for m in mailoutbox] == [[user.email]]


def test_signup_does_not_sign_anyone_in_so_both_answers_stay_alike(client, user):
    for email in (user.email, "new@socks.example"):
        response = _signup(client, email)

        assert response.status_code == 302 and response["Location"] == reverse("login")
        assert "_auth_user_id" not in client.session


def test_the_new_account_signs_in_with_its_password_after_signup(client):
    _signup(client, "new@socks.example")

    assert _login(client, "new@socks.example", "Sock-drawer-42").status_code == 302
    assert "_auth_user_id" in client.session

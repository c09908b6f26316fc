"""Test settings: the same settings with fast hashing, in-process tasks and fixed test keys."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key")
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEYS",
    # Two throwaway test keys so key rotation is exercised.
    "hpWWpZYmasRYNwdneArXeJp3HoJanH4THLfDzURcnoY=,x9IReWWbE60LyKxvOd75szV3qz8i7qzrks8fT2n6New=",
)

from junipeer_bc.settings import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
BC_RETRY_BASE_DELAY = 0.01

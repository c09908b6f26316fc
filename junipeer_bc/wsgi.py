import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junipeer_bc.settings")
application = get_wsgi_application()

# Refuse to start without a secret key rather than failing on the first request.
settings.SECRET_KEY  # noqa: B018 - Django raises ImproperlyConfigured when it is empty

"""WSGI entry point (for a production server in front of the app)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.web.settings")
application = get_wsgi_application()

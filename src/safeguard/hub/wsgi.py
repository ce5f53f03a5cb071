"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

from safeguard.settings import settings_or_exit

settings_or_exit()  # a wrong setting stops the server with one line naming it
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.hub.settings")
application = get_wsgi_application()

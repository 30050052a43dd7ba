"""Entry point for `flask --app wsgi` and gunicorn (`gunicorn wsgi:app`)."""

import sys

from config import ConfigError
from incubator import create_app

try:
    app = create_app()
except ConfigError as error:
    # A clear line instead of a traceback, for the web server and every CLI command alike.
    print(f"Incubator cannot start: {error}", file=sys.stderr)
    raise SystemExit(4) from None  # gunicorn's APP_LOAD_ERROR: it halts instead of retrying

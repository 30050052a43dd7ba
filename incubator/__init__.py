"""Incubator: an innovation incubation pipeline for public-service programmes."""

import logging
import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import INSTANCE_DIR, load_config

from .extensions import babel, csrf, db, htmx, limiter, login_manager, mail, migrate


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app. No side effects on the database: migrations run via `flask db upgrade`."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.update(load_config())
    if overrides:
        app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    from .numbers import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route: ids the database can hold
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        # The client's address and scheme as the trusted proxies saw them, no further.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))

    _init_extensions(app)
    from .uploads import IncubatorRequest

    app.request_class = IncubatorRequest  # after htmx-flask, whose request it extends
    _register_blueprints(app)

    from . import (
        cli,
        dates,
        errors,
        i18n,
        security,
        serving,
        templating,
        transactions,
        wtforms_i18n,
    )

    serving.register(app)
    security.register(app)
    errors.register(app)
    transactions.register(app)
    i18n.register(app)
    dates.register(app)
    wtforms_i18n.register(app)
    templating.register(app)
    cli.register(app)

    from .reminders import scheduler

    scheduler.init_app(app)  # only with SCHEDULER_IN_PROCESS=1, in the serving process
    return app


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (registers every table on the metadata)
    from .mailer import configure_mail

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).resolve().parent.parent / "migrations"),
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    configure_mail(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=_locale, timezone_selector=_timezone)

    from .auth.session import init_login

    init_login(app, login_manager)


def _locale():
    from .i18n import select_locale

    return select_locale()


def _timezone():
    from .i18n import select_timezone

    return select_timezone()


def _register_blueprints(app: Flask) -> None:
    from .api.views import bp as api_bp
    from .auth.views import bp as auth_bp
    from .board.views import bp as board_bp
    from .catalogue.routes import bp as catalogue_bp
    from .competitions.views import bp as competitions_bp
    from .innovations.routes import bp as innovations_bp
    from .mentoring.views import bp as mentoring_bp
    from .programmes.people_views import bp as people_bp
    from .programmes.places_routes import bp as places_bp
    from .programmes.views import bp as programmes_bp
    from .reminders.views import bp as reminders_bp
    from .reports.views import bp as reports_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(board_bp)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(competitions_bp)
    app.register_blueprint(innovations_bp)
    app.register_blueprint(mentoring_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(programmes_bp)
    app.register_blueprint(places_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(reports_bp)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    # WAL and a busy timeout let several threads share the file; FKs are off by default.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        # With WAL, NORMAL is safe (a power cut may lose the last commits, never corrupt
        # the file) and spares an fsync on every commit.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_write_lock(connection):
    # A request that writes takes SQLite's write lock before its first read, so what it
    # reads cannot change before it writes (SQLite has no SELECT ... FOR UPDATE; without
    # this, two progress updates at once both read the same "before"). Reads and other
    # work keep the driver's default: WAL snapshots that never wait.
    if connection.dialect.name == "sqlite" and _writing_request():
        # On the driver's connection: a transaction's framing, not a query to count.
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE")


def _writing_request() -> bool:
    from flask import has_request_context, request

    return has_request_context() and request.method not in {"GET", "HEAD", "OPTIONS"}

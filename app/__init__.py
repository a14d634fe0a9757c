"""The Afterglow Flask application."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from app import logs
from app.config import INSTANCE_DIR, PROJECT_DIR, Settings


def create_app(settings: Settings | None = None, **overrides: Any) -> Flask:
    settings = settings or Settings()
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.update(settings.to_flask())
    app.config.update(overrides)
    logs.configure(settings.log_level)
    if settings.database_url.startswith("sqlite"):
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    from app import models  # noqa: F401 - registers every table with the metadata
    from app.extensions import db, migrate
    from app.jobs import queue

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"), render_as_batch=True)
    queue.init_app(app)

    if settings.database_url.startswith("sqlite"):
        from sqlalchemy import event

        with app.app_context():
            # WAL lets the web threads read while the job thread writes; foreign keys are off by default in SQLite.
            @event.listens_for(db.engine, "connect")
            def _sqlite_pragmas(connection: Any, _record: Any) -> None:
                cursor = connection.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.close()

    from app.sessions import SessionInterface

    app.session_interface = SessionInterface()
    _serve_static(app)

    from app.admin import api_bp as admin_api_bp
    from app.admin import notifications_bp as admin_notifications_bp
    from app.admin import page_bp as admin_page_bp
    from app.admin import settings_bp as admin_settings_bp
    from app.admin.credentials import bp as admin_credentials_bp
    from app.admin.home import bp as admin_home_bp
    from app.admin.queues import bp as admin_queues_bp
    from app.auth import bp as auth_bp
    from app.auth.woocommerce import bp as woocommerce_auth_bp
    from app.dev import bp as dev_bp
    from app.health import bp as health_bp
    from app.storefront import proxy_bp, public_bp
    from app.storefront.pages import demo_bp
    from app.storefront.unsubscribe import bp as unsubscribe_bp
    from webhooks import bp as webhooks_bp
    from webhooks.twilio import bp as twilio_webhooks_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(twilio_webhooks_bp)
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(proxy_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(demo_bp)
    app.register_blueprint(unsubscribe_bp)
    app.register_blueprint(admin_page_bp)
    app.register_blueprint(admin_api_bp)
    app.register_blueprint(admin_notifications_bp)
    app.register_blueprint(admin_home_bp)
    app.register_blueprint(admin_credentials_bp)
    app.register_blueprint(admin_settings_bp)
    app.register_blueprint(admin_queues_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(woocommerce_auth_bp)
    if settings.env != "production":
        app.register_blueprint(dev_bp)

    from app.cli import register_commands

    register_commands(app)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[Response, int]:
        return jsonify({"error": exc.description}), exc.code or 500

    return app


def _serve_static(app: Flask) -> None:
    """Static files through WhiteNoise: the gzip copies `make admin` and `make widgets` write are sent to browsers
    that accept them, and the admin's content-hashed files are cached for a year (a new build has new names)."""
    from whitenoise import WhiteNoise

    def hashed(_path: str, url: str) -> bool:
        return url.startswith("/static/admin/assets/")

    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app, root=app.static_folder, prefix="/static/", max_age=300, immutable_file_test=hashed
    )

"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text

from app.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    finally:
        db.session.rollback()
    backend = current_app.extensions["afterglow.jobs"]
    if hasattr(backend, "connection"):
        try:
            backend.connection.ping()
            checks["queue"] = "ok"
        except Exception as exc:
            checks["queue"] = f"unreachable: {type(exc).__name__}"
    else:
        checks["queue"] = f"ok ({current_app.config['AFTERGLOW'].job_backend}, in-process)"
    ready = all(value.startswith("ok") for value in checks.values())
    return jsonify({"status": "ready" if ready else "not ready", "checks": checks}), 200 if ready else 503

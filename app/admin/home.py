"""The admin's home and dashboard reads under `/api/admin/`: the onboarding checklist and the dashboard's figures,
each for `g.shop` only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request

from app.admin.auth import admin_required, no_store
from app.admin.responses import answer, refusal
from app.services import dashboard as figures
from app.services import onboarding as checklist

bp = Blueprint("admin_home", __name__, url_prefix="/api/admin")
bp.after_request(no_store)


@bp.get("/onboarding")
@admin_required
def onboarding() -> Any:
    return answer(checklist.checklist(shop=g.shop))


@bp.post("/onboarding/check")
@admin_required
def check_onboarding() -> Any:
    """"Check again": look for the tracking page on the platform now, whatever the last look's age."""
    return answer(checklist.checklist(shop=g.shop, recheck=True))


@bp.get("/dashboard")
@admin_required
def dashboard() -> Any:
    days = figures.clamp_days([request.args.get("days", "30")])
    if days is None:
        periods = ", ".join(str(p) for p in figures.PERIODS)
        return refusal(400, "bad_request", f"days must be one of {periods}")
    return answer(figures.dashboard(shop=g.shop, days=days))

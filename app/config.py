"""Settings, read from the environment in one place. Dev defaults let `make run` work on a bare machine;
production (`AFTERGLOW_ENV=production`) refuses to start without its secrets.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("AFTERGLOW_INSTANCE_DIR", PROJECT_DIR / "instance"))

DEV_SHOPIFY_API_KEY = "afterglow-dev-api-key"
DEV_SHOPIFY_API_SECRET = "afterglow-dev-api-secret"  # noqa: S105 - public dev default, refused in production
DEV_SECRET_KEY = "afterglow-dev-secret-key-change-me"  # noqa: S105 - public dev default, refused in production


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'afterglow.sqlite3'}"
    # Heroku-style URLs and bare postgresql:// pick the psycopg 3 driver we ship.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


@dataclass
class Settings:
    env: str = field(default_factory=lambda: os.environ.get("AFTERGLOW_ENV", "development"))
    secret_key: str = field(default_factory=lambda: os.environ.get("SECRET_KEY", DEV_SECRET_KEY))
    database_url: str = field(default_factory=_database_url)
    redis_url: str | None = field(default_factory=lambda: os.environ.get("REDIS_URL") or None)
    # "rq" with REDIS_URL, otherwise "thread" (in-process background thread); tests may use "eager".
    job_backend: str = field(default_factory=lambda: os.environ.get("JOB_BACKEND", ""))
    shopify_api_key: str = field(default_factory=lambda: os.environ.get("SHOPIFY_API_KEY", DEV_SHOPIFY_API_KEY))
    shopify_api_secret: str = field(
        default_factory=lambda: os.environ.get("SHOPIFY_API_SECRET", DEV_SHOPIFY_API_SECRET)
    )
    # The client secret being retired during a rotation (shopify.dev: "Rotate or revoke client credentials"): session
    # tokens, webhooks and app proxy requests signed with it are still accepted until it is unset.
    shopify_api_secret_previous: str | None = field(
        default_factory=lambda: os.environ.get("SHOPIFY_API_SECRET_PREVIOUS") or None
    )
    # Where `*.myshopify.com` API calls go: unset for Shopify itself; a local fake's URL in tests and the demo.
    shopify_api_base_url: str | None = field(default_factory=lambda: os.environ.get("SHOPIFY_API_BASE_URL") or None)
    # The Admin API version every call names; empty means the one the code is written for (client.API_VERSION).
    shopify_api_version: str = field(default_factory=lambda: os.environ.get("SHOPIFY_API_VERSION", ""))
    # Refresh an expiring access token this long before it expires (Shopify's tokens live 60 minutes).
    shopify_token_refresh_margin: int = field(default_factory=lambda: _int("SHOPIFY_TOKEN_REFRESH_MARGIN", 300))
    webhook_max_bytes: int = field(default_factory=lambda: _int("WEBHOOK_MAX_BYTES", 2 * 1024 * 1024))
    # Inbox rows still unprocessed after this many seconds are re-enqueued by the sweeper.
    sweeper_grace_seconds: int = field(default_factory=lambda: _int("SWEEPER_GRACE_SECONDS", 120))
    job_max_attempts: int = field(default_factory=lambda: _int("JOB_MAX_ATTEMPTS", 8))
    log_level: str = field(default_factory=lambda: os.environ.get("LOG_LEVEL", "INFO"))
    # Which tracking source follows a shipment that names none (see integrations/carriers/sources.py).
    default_tracking_source: str = field(
        default_factory=lambda: os.environ.get("DEFAULT_TRACKING_SOURCE", "simulated")
    )
    # EasyPost signs its webhook deliveries with this secret (the webhook's `webhook_secret` in EasyPost); unset,
    # pushes to /webhooks/carriers/easypost are refused.
    easypost_webhook_secret: str | None = field(
        default_factory=lambda: os.environ.get("EASYPOST_WEBHOOK_SECRET") or None
    )

    def shopify_secrets(self) -> list[str]:
        """The client secrets Shopify may have signed with: the current one first, then the one being retired."""
        return [secret for secret in (self.shopify_api_secret, self.shopify_api_secret_previous) if secret]

    def push_secret(self, source: str) -> str | None:
        """The secret a pushing tracking source signs its deliveries with; None when none is configured."""
        return {"easypost": self.easypost_webhook_secret}.get(source)

    # Proxies in front of the web process that append to X-Forwarded-For (a load balancer: 1); the shopper's
    # address is read that many hops from the right. Shopify's app proxy counts as one more on /proxy requests.
    proxy_hops: int = field(default_factory=lambda: _int("PROXY_HOPS", 0))
    # Order lookups one shopper (shop + address) may make per minute before getting 429.
    storefront_lookups_per_minute: int = field(default_factory=lambda: _int("STOREFRONT_LOOKUPS_PER_MINUTE", 10))

    # Notifications: SMTP_URL and TWILIO_ACCOUNT_SID switch email and SMS from the local outbox to real providers.
    smtp_url: str | None = field(default_factory=lambda: os.environ.get("SMTP_URL") or None)
    mail_from: str = field(
        default_factory=lambda: os.environ.get("MAIL_FROM", "notifications@afterglow.localhost")
    )
    # Where shoppers reach this app (unsubscribe links); the tracking page lives on the shop's own domain.
    public_url: str = field(
        default_factory=lambda: os.environ.get("PUBLIC_URL") or f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"
    )
    # PUBLIC_URL given: behind a TLS-terminating proxy the app home rebuilds the URL the admin loaded from it.
    public_url_configured: bool = field(default_factory=lambda: bool(os.environ.get("PUBLIC_URL")))
    tracking_url_shopify: str = field(
        default_factory=lambda: os.environ.get(
            "TRACKING_URL_SHOPIFY", "https://{domain}/apps/afterglow/tracking?afterglow_token={token}"
        )
    )
    tracking_url_woocommerce: str = field(
        default_factory=lambda: os.environ.get(
            "TRACKING_URL_WOOCOMMERCE", "https://{domain}/afterglow/track/?afterglow_token={token}"
        )
    )
    twilio_account_sid: str | None = field(default_factory=lambda: os.environ.get("TWILIO_ACCOUNT_SID") or None)
    twilio_auth_token: str | None = field(default_factory=lambda: os.environ.get("TWILIO_AUTH_TOKEN") or None)
    twilio_from: str | None = field(default_factory=lambda: os.environ.get("TWILIO_FROM") or None)
    twilio_messaging_service_sid: str | None = field(
        default_factory=lambda: os.environ.get("TWILIO_MESSAGING_SERVICE_SID") or None
    )
    twilio_api_base: str | None = field(default_factory=lambda: os.environ.get("TWILIO_API_BASE") or None)
    klaviyo_api_base: str | None = field(default_factory=lambda: os.environ.get("KLAVIYO_API_BASE") or None)
    notification_outbox_dir: str | None = field(
        default_factory=lambda: os.environ.get("NOTIFICATION_OUTBOX_DIR") or None
    )
    notification_max_attempts: int = field(default_factory=lambda: _int("NOTIFICATION_MAX_ATTEMPTS", 6))
    # WooCommerce connections: how long a merchant has to approve on the store, how long a login link and an admin
    # session live, and the REST calls' timeout. WOOCOMMERCE_CA_BUNDLE trusts a private CA (the local fake's).
    woocommerce_connect_ttl: int = field(default_factory=lambda: _int("WOOCOMMERCE_CONNECT_TTL", 1800))
    woocommerce_login_ttl: int = field(default_factory=lambda: _int("WOOCOMMERCE_LOGIN_TTL", 300))
    woocommerce_session_ttl: int = field(default_factory=lambda: _int("WOOCOMMERCE_SESSION_TTL", 12 * 3600))
    woocommerce_timeout: int = field(default_factory=lambda: _int("WOOCOMMERCE_TIMEOUT", 20))
    woocommerce_ca_bundle: str | None = field(default_factory=lambda: os.environ.get("WOOCOMMERCE_CA_BUNDLE") or None)

    def __post_init__(self) -> None:
        if not self.job_backend:
            self.job_backend = "rq" if self.redis_url else "thread"
        if self.job_backend not in ("rq", "thread", "eager"):
            raise ConfigError(f"JOB_BACKEND must be rq, thread or eager, got {self.job_backend!r}")
        if self.job_backend == "rq" and not self.redis_url:
            raise ConfigError("JOB_BACKEND=rq needs REDIS_URL")
        _check_encryption_keys(os.environ.get("ENCRYPTION_KEY", ""))
        if self.twilio_account_sid and not (self.twilio_auth_token and (self.twilio_from or
                                                                          self.twilio_messaging_service_sid)):
            raise ConfigError(
                "TWILIO_ACCOUNT_SID needs TWILIO_AUTH_TOKEN and TWILIO_FROM (or TWILIO_MESSAGING_SERVICE_SID)"
            )
        if self.env == "production":
            missing = [
                name
                for name, value, dev in (
                    ("SECRET_KEY", self.secret_key, DEV_SECRET_KEY),
                    ("SHOPIFY_API_SECRET", self.shopify_api_secret, DEV_SHOPIFY_API_SECRET),
                    ("SHOPIFY_API_KEY", self.shopify_api_key, DEV_SHOPIFY_API_KEY),
                )
                if value == dev
            ]
            if missing:
                raise ConfigError(f"production needs these settings from the environment: {', '.join(missing)}")

    def to_flask(self) -> dict[str, Any]:
        return {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(self.database_url),
            "MAX_CONTENT_LENGTH": self.webhook_max_bytes,
            "AFTERGLOW": self,
        }


def _check_encryption_keys(raw: str) -> None:
    """Fail at startup, not at the first secret written, when ENCRYPTION_KEY holds something that is not a Fernet
    key (app/crypto.py reads the keys; the value is never echoed)."""
    from cryptography.fernet import Fernet

    for position, key in enumerate((part.strip() for part in raw.split(",") if part.strip()), start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            raise ConfigError(f"ENCRYPTION_KEY: key {position} is not a url-safe base64 Fernet key") from None


def engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        # The in-process job thread and request threads share the file; wait on locks instead of failing.
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": _int("DATABASE_POOL_SIZE", 5), "max_overflow": 10}

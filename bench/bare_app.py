"""The baseline for bench/ingest.py: a Flask endpoint that reads the body and answers 200, nothing else."""

from flask import Flask, request


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/webhooks/<platform_name>")
    def webhook(platform_name: str) -> tuple[str, int]:
        request.get_data(cache=False)
        return '{"ok": true}', 200

    return app

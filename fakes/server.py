"""Run a fake's WSGI app on a real local HTTP server, in a background thread.

Every fake (a platform's or a carrier's API) is a small Flask app built from the provider's documentation and
recorded answers. Tests and the demo start it here and point the real client at `base_url`, so the client's
own HTTP code, headers, status handling and retries are what gets exercised:

    with FakeServer(fake_app) as server:
        client = SomeClient(base_url=server.base_url)
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server


class FakeServer:
    """A threaded HTTP server on 127.0.0.1 and a free port, serving `app` until `stop()` (or the `with` ends)."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1", port: int = 0, tls: bool = False) -> None:
        self.app = app
        self.scheme = "http"
        ssl_context: Any = None
        if tls:  # fakes/tls.py: a self-signed certificate the client is pointed at (verify=ca_path)
            from fakes.tls import local_certificate

            certificate = local_certificate()
            ssl_context, self.scheme = (certificate.cert_path, certificate.key_path), "https"
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True, ssl_context=ssl_context)
        # A short poll interval: stop() waits for the serving loop to notice, and tests start many servers.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-server", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_port)

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self._server.host}:{self.port}"

    def start(self) -> FakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

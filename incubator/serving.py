"""How responses travel: pages gzip-compressed, static files fingerprinted and cached.

- Pages (HTML, JSON, CSV...) are compressed by Flask-Compress (gzip) when the browser
  asks for it; a reverse proxy may do it instead (README, "Serving").
- `url_for('static', filename=...)` adds `?v=<hash of the file's bytes>`. A request that
  names the current hash is answered with `Cache-Control: public, max-age=31536000,
  immutable`: the browser keeps the file a year and never asks again; a changed file
  gets a new hash, so a new URL. Any other request for the file (no or an old hash) is
  revalidated as before.
- Static text files (CSS, JavaScript) are sent gzip-compressed from memory: each is
  compressed once per process and version, not once per request.
"""

import gzip
import hashlib
import os
from pathlib import Path

from flask import Flask, request
from flask.wrappers import Response
from werkzeug.security import safe_join

from .extensions import compress

ONE_YEAR = 31_536_000
COMPRESSIBLE = frozenset(
    {"text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml"}
)


class StaticVersions:
    """The hash of each static file, computed again only when the file changes."""

    def __init__(self, folder: str):
        self.folder = folder
        self._seen: dict[str, tuple[tuple[int, int], str]] = {}
        self._gzipped: dict[tuple[str, str], bytes] = {}

    def path(self, filename: str) -> str | None:
        return safe_join(self.folder, filename)

    def version(self, filename: str) -> str | None:
        path = self.path(filename)
        try:
            stat = os.stat(path) if path else None
        except OSError:
            return None
        if stat is None:
            return None
        key = (stat.st_mtime_ns, stat.st_size)
        seen = self._seen.get(filename)
        if seen and seen[0] == key:
            return seen[1]
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
        self._seen[filename] = (key, digest)
        return digest

    def gzipped(self, filename: str, version: str) -> bytes:
        cached = self._gzipped.get((filename, version))
        if cached is None:
            data = Path(self.path(filename)).read_bytes()
            cached = self._gzipped[(filename, version)] = gzip.compress(data, 9, mtime=0)
        return cached


def register(app: Flask) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", ["gzip"])
    # Level 1, as nginx's default: HTML shrinks about 13 times (the board's 120 KB to 9 KB)
    # for a third of level 6's CPU, which makes it 8 KB. Static files get level 9, once.
    app.config.setdefault("COMPRESS_LEVEL", 1)
    # Streamed responses (large exports) go out as they are made, uncompressed.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)
    versions = StaticVersions(app.static_folder)
    app.extensions["static_versions"] = versions

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = versions.version(values["filename"])
            if version:
                values["v"] = version

    # Registered after Flask-Compress, so it runs before it (after_request runs in
    # reverse): a static file it compresses here is left alone there.
    @app.after_request
    def _static_file(response: Response) -> Response:
        if request.endpoint != "static" or not request.view_args:
            return response
        filename = request.view_args.get("filename", "")
        version = versions.version(filename)
        if version is None or request.args.get("v") != version:
            return response
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
        response.headers.pop("Expires", None)
        if (
            response.status_code == 200
            and response.mimetype in COMPRESSIBLE
            and request.accept_encodings["gzip"]
        ):
            body = versions.gzipped(filename, version)
            if hasattr(response.response, "close"):
                response.response.close()  # the file send_file opened
            response.direct_passthrough = False
            response.set_data(body)
            response.headers["Content-Encoding"] = "gzip"
            response.headers.pop("Accept-Ranges", None)
            response.set_etag(f"{version}-gzip")
        response.vary.add("Accept-Encoding")
        return response

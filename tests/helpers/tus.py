"""tus clients for tests: one over the Flask test client, one over raw sockets."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import socket
import struct
import time
from urllib.parse import urlsplit

from tests.helpers import PASSWORD

TUS = {"Tus-Resumable": "1.0.0"}


class TusClient:
    """The requests a tus client makes, one by one, so that tests can cut in anywhere."""

    def __init__(self, client, headers: dict):
        self.client, self.headers = client, {**TUS, **headers}

    def create(self, film_id: int, length: int, filename: str = "mon film.mp4", **headers):
        metadata = "filename " + base64.b64encode(filename.encode()).decode()
        return self.client.post(
            f"/api/v1/films/{film_id}/uploads",
            headers={
                **self.headers,
                "Upload-Length": str(length),
                "Upload-Metadata": metadata,
                **headers,
            },
        )

    def head(self, url: str):
        return self.client.head(url, headers=self.headers)

    def patch(
        self,
        url: str,
        offset: int,
        data: bytes,
        *,
        checksum: str | None = None,
        claimed_length: int | None = None,
        **headers,
    ):
        headers = {
            **self.headers,
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
            **headers,
        }
        if checksum:
            algorithm = checksum
            digest = hashlib.new(algorithm, data).digest()
            headers["Upload-Checksum"] = f"{algorithm} {base64.b64encode(digest).decode()}"
        overrides = {}
        if claimed_length is not None:  # the connection drops before the body ends
            overrides["CONTENT_LENGTH"] = str(claimed_length)
        return self.client.patch(url, data=data, headers=headers, environ_overrides=overrides)

    def send(self, film_id: int, data: bytes, chunk: int = 64 * 1024, **create_headers):
        created = self.create(film_id, len(data), **create_headers)
        assert created.status_code == 201, created.get_data(as_text=True)
        url = created.headers["Location"]
        offset, last = 0, None
        while offset < len(data):
            last = self.patch(url, offset, data[offset : offset + chunk])
            assert last.status_code == 204, last.get_data(as_text=True)
            offset = int(last.headers["Upload-Offset"])
        return url, last


class RawTus:
    """A tus client over plain sockets, so that it can hang up in the middle of a body."""

    def __init__(self, base: str, login: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        status, _headers, body = self.request(
            "POST",
            "/api/v1/auth/token",
            json.dumps({"login": login, "password": PASSWORD}).encode(),
            {"Content-Type": "application/json"},
        )
        assert status == 201, body
        self.auth = {"Authorization": f"Bearer {json.loads(body)['token']}", **TUS}

    def request(self, method, path, body=b"", headers=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def create(self, film_id: int, length: int) -> str:
        metadata = "filename " + base64.b64encode(b"telephone.mp4").decode()
        status, headers, body = self.request(
            "POST",
            f"/api/v1/films/{film_id}/uploads",
            headers={**self.auth, "Upload-Length": str(length), "Upload-Metadata": metadata},
        )
        assert status == 201, body
        return urlsplit(headers["Location"]).path

    def offset(self, path: str) -> int:
        status, headers, body = self.request("HEAD", path, headers=self.auth)
        assert status == 200, body
        return int(headers["Upload-Offset"])

    def patch(self, path: str, offset: int, data: bytes) -> tuple[int, dict, bytes]:
        return self.request(
            "PATCH",
            path,
            data,
            {
                **self.auth,
                "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream",
            },
        )

    def patch_head(self, path: str, offset: int, length: int) -> bytes:
        """The request line and headers of a PATCH whose body the caller sends as it likes."""
        return (
            f"PATCH {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Upload-Offset: {offset}\r\nContent-Type: application/offset+octet-stream\r\n"
            f"Content-Length: {length}\r\n"
            + "".join(f"{key}: {value}\r\n" for key, value in self.auth.items())
            + "\r\n"
        ).encode()

    def patch_and_hang_up(self, path: str, offset: int, data: bytes, sent: int, reset: bool):
        """Announce the whole rest, send only `sent` bytes of it, then drop the connection."""
        sock = socket.create_connection((self.host, self.port), timeout=30)
        sock.sendall(self.patch_head(path, offset, len(data)) + data[:sent])
        if reset:  # RST, as when a phone leaves the Wi-Fi; otherwise a clean FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()

    def resume(self, path: str, data: bytes) -> int:
        """What a tus client does after a failure: ask the offset, send the rest."""
        for _attempt in range(50):
            offset = self.offset(path)
            if offset == len(data):
                return offset
            status, headers, _body = self.patch(path, offset, data[offset:])
            if status == 204:
                return int(headers["Upload-Offset"])
            assert status in (409, 423), status  # the server is still finishing the cut request
            time.sleep(0.1)
        raise AssertionError("the upload never resumed")

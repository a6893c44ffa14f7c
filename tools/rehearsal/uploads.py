"""A team's phone sending its film through tus, as the upload page's script does, with the
accidents of a weak connection: a pause and a resume after a reload (HEAD, then on from the
server's offset), a connection cut in the middle of a piece."""

from __future__ import annotations

import base64
import hashlib
import http.client
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

from tools.rehearsal.web import Visitor

TUS = {"Tus-Resumable": "1.0.0"}
PIECE = 256 * 1024


class TusPhone(Visitor):
    def __init__(self, base, timings, number: int, login: str, password: str) -> None:
        super().__init__(base, timings)
        self.http.headers["X-Forwarded-For"] = f"10.9.{number % 250}.{number // 250 + 1}"
        token = requests.post(
            base + "/api/v1/auth/token", json={"login": login, "password": password}, timeout=30
        )
        token.raise_for_status()
        self.auth = {"Authorization": f"Bearer {token.json()['token']}"}

    def create_film(self, title: str, participant_id: int) -> int:
        answer = self.request(
            "POST",
            "/api/v1/films",
            headers=self.auth,
            json={
                "title": title,
                "team": [{"participant_id": participant_id, "role": "direction"}],
            },
        )
        answer.raise_for_status()
        return answer.json()["id"]

    def upload(self, film: int, path: Path, manner: str) -> str:
        """Sends the file; returns its SHA-256 as the phone knows it."""
        data = path.read_bytes()
        name = base64.b64encode(path.name.encode()).decode()
        created = self.request(
            "POST",
            f"/api/v1/films/{film}/uploads",
            headers={**self.auth, **TUS, "Upload-Length": str(len(data)),
                     "Upload-Metadata": f"filename {name}"},
        )  # fmt: skip
        created.raise_for_status()
        url = created.headers["Location"]
        offset = 0
        pieces = 0
        while offset < len(data):
            piece = data[offset : offset + PIECE]
            if manner == "cut" and pieces == 1:
                self._cut(url, offset, piece)  # half a piece, then the line drops
                offset = self._offset(url)
                manner = "plain"
                continue
            if manner == "pause" and pieces == 1:
                time.sleep(1.0)  # the teen locks her phone; the page reloads and asks
                offset = self._offset(url)
                manner = "plain"
            answer = self.request(
                "PATCH",
                url,
                data=piece,
                headers={**self.auth, **TUS, "Upload-Offset": str(offset),
                         "Content-Type": "application/offset+octet-stream"},
            )  # fmt: skip
            if answer.status_code != 204:
                raise RuntimeError(f"PATCH {url}: {answer.status_code} {answer.text[:200]}")
            offset = int(answer.headers["Upload-Offset"])
            pieces += 1
        return hashlib.sha256(data).hexdigest()

    def _offset(self, url: str) -> int:
        answer = self.request("HEAD", url, headers={**self.auth, **TUS})
        answer.raise_for_status()
        return int(answer.headers["Upload-Offset"])

    def _cut(self, url: str, offset: int, piece: bytes) -> None:
        """A PATCH whose connection drops after half its body."""
        target = urlsplit(self.url(url))
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        connection.putrequest("PATCH", target.path)
        headers = {**self.auth, **TUS, "Upload-Offset": str(offset),
                   "Content-Type": "application/offset+octet-stream",
                   "Content-Length": str(len(piece)),
                   "X-Forwarded-For": self.http.headers["X-Forwarded-For"]}  # fmt: skip
        for key, value in headers.items():
            connection.putheader(key, value)
        connection.endheaders()
        connection.send(piece[: len(piece) // 2])
        connection.sock.close()
        connection.close()
        time.sleep(0.5)

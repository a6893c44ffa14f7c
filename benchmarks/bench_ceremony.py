"""The ceremony night under load, run on demand: `make bench-ceremony` (short form in CI).

300 phones browse the published lineup, the film pages, their thumbnails and the start of the
films, while 5 teams upload films (throttled to a phone's 4G) and a worker processes them.
Everything runs on this machine against the documented production setup: nginx in front
with the README's own server block (media sent by nginx after the app's X-Accel-Redirect,
static files from the folder the app publishes, precompressed), gunicorn (`--workers 3
--threads 12`), PostgreSQL when reachable (else SQLite), Redis for the job queue when
reachable, and `flask worker`. Load comes from wrk, on 127.0.0.1 only, bounded in time.

Prints requests per second, latency percentiles (p50/p95/p99) and errors for:
- the ceremony scenario: each phone asks for something every 0.5–1.5 s (a person reading);
- the saturation scenario: the same mix with no pause at all, next to /healthz (a trivial route
  of the same app) under the same load, as the baseline of this run.
Targets: zero errors, p95 under 300 ms in the ceremony scenario; every upload ends
byte-identical. Exits with status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent

from benchmarks.common import free_port, require_wrk, wait_for_port  # noqa: E402

THREADS = 12  # per gunicorn worker: a slow phone's upload holds one while its chunk trickles in
PHONES = 300
UPLOADERS = 5
PHONE_UPLINK_BYTES_PER_SECOND = 1_500_000  # a good 4G uplink
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/14"

WRK_SCRIPT = r"""
local pages = {PAGES}
local assets = {ASSETS}
local videos = {VIDEOS}
local think_min, think_max = {THINK_MIN}, {THINK_MAX}

request = function()
  local roll = math.random(100)
  if roll <= 45 then
    return wrk.format("GET", pages[math.random(#pages)])
  elseif roll <= 95 then
    return wrk.format("GET", assets[math.random(#assets)])
  end
  -- the first half-megabyte of a film, as a phone's player asks for it
  return wrk.format("GET", videos[math.random(#videos)], {["Range"] = "bytes=0-524287"})
end

delay = function()
  if think_max == 0 then return 0 end
  return math.random(think_min, think_max)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50=%d p95=%d p99=%d max=%d "
    .. "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def line(self, label: str, baseline: LoadResult | None = None) -> str:
        ratio = f"  {self.rate / baseline.rate:5.2f}x of /healthz" if baseline else ""
        return (
            f"  {label:<34} {self.requests:7d} req {self.rate:8.0f} req/s  "
            f"p50 {self.p50_ms:6.1f}  p95 {self.p95_ms:6.1f}  p99 {self.p99_ms:6.1f}  "
            f"max {self.max_ms:7.1f} ms  errors {self.errors}{ratio}"
        )


def lua_list(items: list[str]) -> str:
    return "{" + ", ".join(json.dumps(item) for item in items) + "}"


def run_wrk(base: str, script: Path, seconds: int, connections: int) -> LoadResult:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r"RESULT (.*)", out)
    if not found:
        raise SystemExit(f"wrk printed no result:\n{out}")
    values = {k: int(v) for k, v in (pair.split("=") for pair in found.group(1).split())}
    errors = sum(values[k] for k in ("connect", "read", "write", "status", "timeout"))
    return LoadResult(
        requests=values["requests"],
        seconds=values["duration_us"] / 1e6,
        p50_ms=values["p50"] / 1000,
        p95_ms=values["p95"] / 1000,
        p99_ms=values["p99"] / 1000,
        max_ms=values["max"] / 1000,
        errors=errors,
    )


def write_script(path: Path, pages, assets, videos, think: tuple[int, int]) -> Path:
    text = (
        WRK_SCRIPT.replace("{PAGES}", lua_list(pages))
        .replace("{ASSETS}", lua_list(assets))
        .replace("{VIDEOS}", lua_list(videos))
        .replace("{THINK_MIN}", str(think[0]))
        .replace("{THINK_MAX}", str(think[1]))
    )
    path.write_text(text)
    return path


# ----------------------------------------------------------------------------- setup


def database_url(work: Path) -> str:
    import sqlalchemy as sa

    engine = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("DROP DATABASE IF EXISTS festival_bench"))
            connection.execute(sa.text("CREATE DATABASE festival_bench"))
        return "postgresql+psycopg://postgres@127.0.0.1:5432/festival_bench"
    except sa.exc.OperationalError:
        return f"sqlite:///{work}/festival.sqlite3"
    finally:
        engine.dispose()


def queue_url() -> str:
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.flushdb()
        return REDIS_URL
    except Exception:
        return ""


# The README's own server block runs here (its paths and ports swapped for this run's), inside
# this frame: what an operator who copies it gets, checked on every run.
NGINX_FRAME = """
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
worker_processes auto;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
{server}
}}
"""


def readme_nginx_conf(work: Path, port: int, app_port: int) -> str:
    """The README's nginx block with this run's address, app port, media and static folders."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```nginx\n(.*?)```", readme, re.S)
    if found is None:
        raise SystemExit("README.md has no ```nginx block to run")
    server = found.group(1)
    for old, new in (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("/srv/festival/media/", f"{work / 'media'}/"),
        ("/srv/festival/instance/static/", f"{work / 'static'}/"),
        ("server {", f"server {{\n    listen 127.0.0.1:{port};"),
    ):
        if old not in server:
            raise SystemExit(f"README's nginx block changed: {old!r} is not in it any more")
        server = server.replace(old, new, 1 if old == "server {" else -1)
    return NGINX_FRAME.format(work=work, server=server)


def start_nginx(work: Path, port: int, app_port: int) -> subprocess.Popen:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit(
            "nginx is missing: `make bench-ceremony` installs it (apt-get install nginx)"
        )
    conf = work / "nginx.conf"
    conf.write_text(readme_nginx_conf(work, port, app_port))
    return subprocess.Popen(
        [nginx, "-c", str(conf), "-p", str(work)],
        stdout=subprocess.DEVNULL,
        stderr=(work / "nginx.log").open("wb"),
        start_new_session=True,
    )


def static_files_from_nginx(base: str) -> list[str]:
    """What the README's static locations send for a stylesheet: under its hashed name a
    year's immutable cache, Brotli or gzip as the browser asks (the bytes the app stored),
    under its plain name an hour. Returns what is wrong, in words."""
    import gzip

    import brotli
    import requests

    home = requests.get(f"{base}/", timeout=30).text
    found = re.search(r'href="(/static/css/[^"]+\.[0-9a-f]{12}\.css)"', home)
    if found is None:
        return ["the home page names no hashed stylesheet"]
    hashed = found.group(1)
    plain = re.sub(r"\.[0-9a-f]{12}\.css$", ".css", hashed)
    wrong = []
    reference = requests.get(f"{base}{plain}", headers={"Accept-Encoding": "identity"}, timeout=30)
    if "max-age=3600" not in reference.headers.get("Cache-Control", ""):
        wrong.append(f"{plain}: Cache-Control {reference.headers.get('Cache-Control')!r}")
    for encoding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        answer = requests.get(
            f"{base}{hashed}", headers={"Accept-Encoding": encoding}, timeout=30, stream=True
        )
        body = answer.raw.read()
        if answer.headers.get("Content-Encoding") != encoding:
            wrong.append(f"{hashed} ({encoding}): {answer.headers.get('Content-Encoding')!r}")
        elif decode(body) != reference.content:
            wrong.append(f"{hashed} ({encoding}): not the stylesheet's bytes")
        if "immutable" not in answer.headers.get("Cache-Control", ""):
            wrong.append(f"{hashed}: Cache-Control {answer.headers.get('Cache-Control')!r}")
    return wrong


def start_gunicorn(work: Path, env: dict, app_port: int) -> subprocess.Popen:
    """The README's production server: gunicorn, 3 workers of THREADS threads each."""
    return subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "--workers",
            "3",
            "--threads",
            str(THREADS),
            "--timeout",
            "600",
            "--bind",
            f"127.0.0.1:{app_port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(work / "gunicorn.log").open("wb"),
        start_new_session=True,
    )


def stop_processes(*processes: subprocess.Popen) -> None:
    """SIGTERM to each process group, then SIGKILL to those still there after 30 s."""
    for process in processes:
        with_group_signal(process, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with_group_signal(process, signal.SIGKILL)


def production_env(work: Path, db_url: str, queue: str) -> dict[str, str]:
    return dict(
        os.environ,
        FESTIVAL_ENV="production",
        SECRET_KEY="bench-" + "z" * 40,
        PUBLIC_URL="http://127.0.0.1",  # production refuses to start without it
        DATABASE_URL=db_url,
        MEDIA_ROOT=str(work / "media"),
        QUEUE_URL=queue,
        JOBS_SQLITE_PATH=str(work / "jobs.sqlite3"),
        # Plain HTTP on 127.0.0.1 here; behind nginx with HTTPS the cookies stay secure.
        SESSION_COOKIE_SECURE="0",
        MEDIA_ACCEL_REDIRECT_PREFIX="/protected-media/",
        STATIC_BUILD_ROOT=str(work / "static"),  # the folder the README's nginx serves
    )


def flask(env: dict, *args: str) -> str:
    return subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "festival", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def make_phone_film(path: Path, seconds: int) -> bytes:
    """A portrait phone film with a busy picture, so that it weighs what a real one does."""
    from tests.media import make_video

    return make_video(
        path, seconds=seconds, size="540x960", rate=30, vf="noise=alls=6:allf=t"
    ).read_bytes()


# ----------------------------------------------------------------------------- uploads


class Uploader(threading.Thread):
    """A team on 4G: tus uploads, one after another, until told to stop."""

    def __init__(self, base: str, token: str, film_id: int, data: bytes, stop: threading.Event):
        super().__init__(daemon=True)
        self.port = int(base.rsplit(":", 1)[1])
        self.headers = {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"}
        self.film_id, self.data, self.stop_event = film_id, data, stop
        self.completed, self.sent_bytes, self.failures = 0, 0, []
        self.sha256 = hashlib.sha256(data).hexdigest()

    def request(self, method: str, path: str, headers: dict, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers={**self.headers, **headers})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def throttled(self, chunk: bytes):
        started = time.monotonic()
        for start in range(0, len(chunk), 64 * 1024):
            yield chunk[start : start + 64 * 1024]
            due = started + (start + 64 * 1024) / PHONE_UPLINK_BYTES_PER_SECOND
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)

    def run(self) -> None:
        metadata = "filename " + base64.b64encode(b"IMG_2041.MOV").decode()
        while not self.stop_event.is_set():
            status, headers, body = self.request(
                "POST",
                f"/api/v1/films/{self.film_id}/uploads",
                {"Upload-Length": str(len(self.data)), "Upload-Metadata": metadata},
            )
            if status != 201:
                self.failures.append(f"create: {status} {body[:200]!r}")
                return
            location = headers["Location"]
            offset = 0
            while offset < len(self.data):
                chunk = self.data[offset : offset + 1024 * 1024]
                status, headers, body = self.request(
                    "PATCH",
                    location,
                    {
                        "Upload-Offset": str(offset),
                        "Content-Type": "application/offset+octet-stream",
                        "Content-Length": str(len(chunk)),
                    },
                    body=self.throttled(chunk),
                )
                if status != 204:
                    self.failures.append(f"patch at {offset}: {status} {body[:200]!r}")
                    return
                offset = int(headers["Upload-Offset"])
                self.sent_bytes += len(chunk)
            self.completed += 1


def verify_uploads(env: dict, expected_sha: str) -> tuple[int, int]:
    """Every stored version of the bench film is byte-identical to what the phones sent."""
    import sqlalchemy as sa

    engine = sa.create_engine(env["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT film_id, number FROM film_versions WHERE original_filename = :name"
                ),
                {"name": "IMG_2041.MOV"},
            ).all()
    finally:
        engine.dispose()
    media = Path(env["MEDIA_ROOT"])
    identical = 0
    for film_id, number in rows:
        stored = media / f"films/{film_id}/v{number}/original"
        if hashlib.sha256(stored.read_bytes()).hexdigest() == expected_sha:
            identical += 1
    return identical, len(rows)


# ----------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="the CI form: a few seconds each")
    parser.add_argument("--uploads", type=int, default=UPLOADERS, help="teams uploading at once")
    args = parser.parse_args()
    require_wrk("bench-ceremony")
    ceremony_seconds, saturation_seconds, film_seconds = (12, 5, 4) if args.short else (60, 20, 20)

    work = Path(tempfile.mkdtemp(prefix="festival-bench-ceremony-"))
    work.chmod(0o755)  # nginx's workers (www-data) read the media, as in production
    db_url, queue = database_url(work), queue_url()
    env = production_env(work, db_url, queue)
    print(f"Database: {db_url.split('://')[0]}; job queue: {'Redis' if queue else 'SQLite'}")
    flask(env, "db", "upgrade")
    flask(env, "demo")
    data = make_phone_film(work / "phone.mp4", film_seconds)
    print(f"Demo festival loaded; the teams' film: {len(data) / 1024**2:.1f} MiB, portrait 540x960")

    app_port, port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(work, env, app_port)
    proxy = start_nginx(work, port, app_port)
    worker = subprocess.Popen(
        [str(VENV_BIN / "flask"), "--app", "festival", "worker", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(work / "worker.log").open("wb"),
        start_new_session=True,
    )
    failed = True  # until the verdicts say otherwise: logs are kept when anything breaks
    try:
        wait_for_port(app_port)
        wait_for_port(port)
        lineup, pages, assets, videos = discover(base)
        static_wrong = static_files_from_nginx(base)
        for wrong in static_wrong:
            print(f"  static file from nginx: {wrong}")
        print(
            f"Lineup: {len(pages) - 2} film pages, {len(assets)} thumbnails, "
            f"{len(videos)} films playable online\n"
        )
        token, film_id = team_token_and_film(base)
        stop = threading.Event()
        uploaders = [Uploader(base, token, film_id, data, stop) for _ in range(args.uploads)]
        for uploader in uploaders:
            uploader.start()

        # The server has been up for hours on the night: templates compiled, caches warm.
        warm_up = write_script(work / "warm.lua", pages, assets, videos, (0, 0))
        run_wrk(base, warm_up, 3, 12)
        script = write_script(work / "phones.lua", pages, assets, videos, (500, 1500))
        print(
            f"Ceremony: {PHONES} phones, one request every 0.5-1.5 s each, "
            f"{args.uploads} uploads at {PHONE_UPLINK_BYTES_PER_SECOND / 1e6:.1f} MB/s each, "
            f"{ceremony_seconds} s"
        )
        ceremony = run_wrk(base, script, ceremony_seconds, PHONES)
        print(ceremony.line("lineup, film pages, thumbnails"))

        print(f"\nSaturation: the same {PHONES} phones with no pause, {saturation_seconds} s each")
        healthz_script = write_script(
            work / "healthz.lua", ["/healthz"], ["/healthz"], ["/healthz"], (0, 0)
        )
        baseline = run_wrk(base, healthz_script, saturation_seconds, PHONES)
        print(baseline.line("/healthz (baseline)"))
        flat_out = write_script(work / "flat.lua", pages, assets, videos, (0, 0))
        saturation = run_wrk(base, flat_out, saturation_seconds, PHONES)
        print(saturation.line("lineup, film pages, thumbnails", baseline))

        stop.set()
        for uploader in uploaders:
            uploader.join(timeout=120)
        sent = sum(u.sent_bytes for u in uploaders)
        completed = sum(u.completed for u in uploaders)
        upload_failures = [f for u in uploaders for f in u.failures]
        identical, versions = verify_uploads(env, uploaders[0].sha256)
        print(
            f"\nUploads during the load: {completed} films completed, "
            f"{sent / 1024**2:.0f} MiB received, {identical}/{versions} stored versions "
            f"byte-identical (SHA-256), {len(upload_failures)} failures"
        )
        for failure in upload_failures:
            print(f"  upload failure: {failure}")

        verdicts = [
            ("no error on the ceremony night", ceremony.errors == 0 and saturation.errors == 0),
            ("p95 under 300 ms for 300 phones", ceremony.p95_ms < 300),
            ("uploads complete and identical", not upload_failures and identical == versions),
            ("README's nginx: static files hashed, immutable, Brotli/gzip", not static_wrong),
        ]
        print()
        for label, ok in verdicts:
            print(f"  {'ok  ' if ok else 'MISS'} {label}")
        failed = not all(ok for _label, ok in verdicts)
    finally:
        stop_processes(proxy, worker, server)
        if failed:
            print(f"\nLogs kept in {work} (gunicorn.log, worker.log, nginx-error.log)")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


def with_group_signal(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def discover(base: str) -> tuple[str, list[str], list[str], list[str]]:
    """What a visitor's phone asks for: the lineup, each film's page, thumbnails, the films."""
    port = int(base.rsplit(":", 1)[1])

    def get(path: str) -> str:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
        return body

    lineup = get("/programme")
    films = sorted(set(re.findall(r'href="(/programme/\d+/films/\d+)"', lineup)))
    thumbnails: set[str] = set()
    videos: set[str] = set()
    for film in films:
        page = get(film)
        thumbnails.update(re.findall(r'(/medias/films/\d+/v\d+/vignettes/[^" ,]+)', page))
        videos.update(re.findall(r"(/medias/films/\d+/v\d+/web\.mp4)", page))
    if not films or not thumbnails:
        raise SystemExit("the demo programme shows no film: is it published?")
    return lineup, ["/programme", "/", *films], sorted(thumbnails), sorted(videos) or films


def team_token_and_film(base: str) -> tuple[str, int]:
    port = int(base.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"login": "lea.martin@example.org", "password": "festival-demo"})
    connection.request("POST", "/api/v1/auth/token", body, {"Content-Type": "application/json"})
    token = json.loads(connection.getresponse().read())["token"]
    connection.request("GET", "/api/v1/films", headers={"Authorization": f"Bearer {token}"})
    films = json.loads(connection.getresponse().read())
    connection.close()
    return token, films[0]["id"]


if __name__ == "__main__":
    sys.exit(main())

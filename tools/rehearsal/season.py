"""The season, phase by phase, against a real server; and what is checked at the end.

Every action goes through the pages and the API people use; what the rehearsal did is kept in
its own log (`Log`), and the checks compare what the server says with that log, never with
what the server computed from itself.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import requests
from openpyxl import Workbook

from tools.rehearsal.mailbox import Mailbox
from tools.rehearsal.web import Visitor, csrf_of, forms_of

ROOT = Path(__file__).resolve().parents[2]
STAFF_LOGIN = "equipe@rehearsal.example"
PASSWORD = "repetition-generale-2027"  # noqa: S105 - the rehearsal's own accounts
FIRST = ["Léa", "Hugo", "Chloé", "Nathan", "Manon", "Lucas", "Emma", "Inès", "Gabriel", "Zoé"]
LAST = ["Martin", "Nguyễn", "Weiß", "Dubois", "Lefèvre", "Ferreira", "Benali", "Petit"]


@dataclass
class Sizes:
    imported: int = 20
    online: int = 40
    films: int = 20
    phones: int = 300

    @classmethod
    def short(cls) -> Sizes:
        return cls(imported=4, online=10, films=4, phones=50)


@dataclass
class Log:
    """What the rehearsal did, as its own record: the checks count from here."""

    registered: dict[str, dict] = field(default_factory=dict)  # by e-mail: who, how, age
    guardian_answers: dict[str, str] = field(default_factory=dict)  # teen's e-mail: answer
    withdrawn: list[str] = field(default_factory=list)
    marks: dict[tuple[int, int], str] = field(default_factory=dict)  # (workshop, person)
    problems: list[str] = field(default_factory=list)
    timings: dict[str, list[float]] = field(default_factory=dict)
    checks: list[tuple[str, str, bool]] = field(default_factory=list)  # phase, what, ok
    per_film: list[str] = field(default_factory=list)  # last byte → valid (or refused)

    def check(self, phase: str, what: str, ok: bool) -> bool:
        self.checks.append((phase, what, bool(ok)))
        if not ok:
            self.problems.append(f"{phase}: {what}")
        return bool(ok)


class Progress:
    """One line per phase, redrawn: « inscriptions [#########.....] 27/40 »."""

    def __init__(self, name: str, total: int) -> None:
        self.name, self.total, self.done = name, max(total, 1), 0
        self.started = time.monotonic()
        self._draw()

    def step(self, count: int = 1) -> None:
        self.done += count
        self._draw()

    def _draw(self) -> None:
        if not sys.stdout.isatty() and self.done < self.total:
            return  # a log file gets the finished bar only
        width = 30
        filled = int(width * min(self.done, self.total) / self.total)
        line = (
            f"\r{self.name:<14} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        )
        sys.stdout.write(line)
        sys.stdout.flush()

    def close(self) -> None:
        sys.stdout.write(f"  {time.monotonic() - self.started:.1f} s\n")
        sys.stdout.flush()


# ---------------------------------------------------------------- the server


def _env(work: Path, port: int, mailbox: Mailbox, database_url: str, redis_url: str) -> dict:
    env = dict(
        os.environ,
        FLASK_APP="festival",
        DATABASE_URL=database_url or f"sqlite:///{work}/festival.sqlite3",
        MEDIA_ROOT=str(work / "media"),
        JOBS_SQLITE_PATH=str(work / "jobs.sqlite3"),
        MAIL_URL=mailbox.url,
        PUBLIC_URL=f"http://127.0.0.1:{port}",
        STATIC_BUILD_ROOT=str(work / "static"),
        # Nothing shared with the checkout's instance folder: another run's rate-limit
        # counters (the same phones' addresses) would refuse this run's registrations.
        RATELIMIT_STORAGE_URI=f"festival-sqlite:///{work}/limits.sqlite3",
        CACHE_GENERATION_FILE=str(work / "public-cache-generation"),
        BACKUP_DIR=str(work / "backups"),
        MAIL_OUTBOX_DIR=str(work / "outbox"),
        SECRET_KEY="rehearsal-" + os.urandom(8).hex(),
        # Phones reach the server through the library's proxy, which names each one.
        TRUSTED_PROXIES="1",
        PYTHONPATH=str(ROOT),
    )
    if redis_url:
        env["QUEUE_URL"] = redis_url  # the jobs' queues on Redis, for workers elsewhere
    return env


def _postgres_schema(url: str, suffix: str = "") -> str:
    """A schema of its own on the server named, so the rehearsal never meets other data."""
    import sqlalchemy

    schema = f"rehearsal_{os.getpid()}{'_' + suffix if suffix else ''}"
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(sqlalchemy.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


def _drop_schemas(url: str) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        for suffix in ("", "_restored"):
            connection.execute(
                sqlalchemy.text(f"DROP SCHEMA IF EXISTS rehearsal_{os.getpid()}{suffix} CASCADE")
            )
    engine.dispose()


def _empty_queues(url: str) -> None:
    """The rehearsal's Redis database starts empty: a job left by another run would act on
    this run's films, which have the same numbers."""
    import redis

    redis.Redis.from_url(url).flushdb()


def _flask(env: dict, *args: str) -> str:
    flask = str(Path(sys.executable).parent / "flask")
    done = subprocess.run(  # noqa: S603 - the project's own command
        [flask, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)}: {done.stderr[-2000:]}")
    return done.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    base: str
    processes: list[subprocess.Popen]
    env: dict
    log: object
    separate_workers: bool

    def start_worker(self) -> None:
        flask = str(Path(sys.executable).parent / "flask")
        self.processes.append(
            subprocess.Popen(  # noqa: S603 - the project's own command
                [flask, "worker"],
                env=self.env,
                cwd=ROOT,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def kill_jobs(self) -> int:
        """SIGKILL to whatever runs the jobs, as the kernel's out-of-memory killer would:
        `flask serve`'s own consumer (the server starts it again), or every worker on Redis
        (then one is started again, as systemd would). Returns how many were killed."""
        if not self.separate_workers:
            found = subprocess.run(
                ["pgrep", "-P", str(self.processes[0].pid), "-f", "festival worker"],
                capture_output=True, text=True, check=False,
            ).stdout.split()  # fmt: skip
            for pid in found:
                os.kill(int(pid), signal.SIGKILL)
            return len(found)
        workers = self.processes[1:]
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
        del self.processes[1:]
        self.start_worker()
        return len(workers)


@contextmanager
def running_server(env: dict, port: int, work: Path, *, separate_workers: int = 0):
    """`flask serve` as `make run` starts it; with `separate_workers`, the server runs no jobs
    and that many `flask worker` processes share the Redis queues, as on several machines."""
    flask = str(Path(sys.executable).parent / "flask")
    log = (work / "server.log").open("w")
    serve = [flask, "serve", "--port", str(port)]
    if separate_workers:
        serve += ["--workers", "0"]
    server = Server(
        f"http://127.0.0.1:{port}",
        [
            subprocess.Popen(  # noqa: S603 - the project's own command
                serve, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        ],
        env,
        log,
        bool(separate_workers),
    )  # fmt: skip
    for _n in range(separate_workers):
        server.start_worker()
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if requests.get(server.base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        else:
            raise RuntimeError("the server did not start: see server.log")
        yield server
    finally:
        for process in server.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
        for process in server.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        log.close()


# ---------------------------------------------------------------- people


class Phone(Visitor):
    """A person's own device, with its own address as the proxy reports it."""

    def __init__(self, base: str, timings: list[float], number: int) -> None:
        super().__init__(base, timings)
        self.http.headers["X-Forwarded-For"] = f"10.{number // 250 % 250}.{number % 250}.7"
        self.http.headers["Accept-Language"] = "fr-FR,fr;q=0.9"


def _birth_date(age: int, reference: date, salt: int) -> date:
    return reference.replace(year=reference.year - age) - timedelta(days=20 + salt % 200)


# ---------------------------------------------------------------- the phases


class Season:
    def __init__(self, base: str, sizes: Sizes, mailbox: Mailbox, log: Log, work: Path) -> None:
        self.base, self.sizes, self.mailbox, self.log, self.work = base, sizes, mailbox, log, work
        self.rng = random.Random(2027)  # noqa: S311 - a repeatable scenario, nothing secret
        self.staff = Visitor(base, log.timings.setdefault("staff", []))
        self.staff.http.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
        self.token: dict[str, str] = {}
        self._lock = threading.Lock()
        self.edition_year = 0
        self.today = date.today()

    # -- the edition

    def open_edition(self) -> None:
        self.staff.sign_in(STAFF_LOGIN, PASSWORD)
        starts = self.today - timedelta(weeks=10)  # ten weekly workshops, all held by now
        ceremony = self.today + timedelta(days=30)
        self.edition_year = ceremony.year if ceremony.month > 8 else ceremony.year
        capacity = self.sizes.imported + self.sizes.online - 3
        answer = self.staff.submit(
            "/equipe/editions/nouvelle",
            {
                "year": str(self.edition_year),
                "title": f"Répétition générale {self.edition_year}",
                "starts_on": starts.isoformat(),
                "ends_on": (ceremony + timedelta(days=10)).isoformat(),
                "ceremony_at": f"{ceremony.isoformat()}T18:00",
                "upload_deadline": f"{(self.today + timedelta(days=20)).isoformat()}T23:59",
                "capacity": str(capacity),
                "confirm": "y",
            },
            action="/equipe/editions/nouvelle",
        )
        self.log.check(
            "édition", "l'équipe ouvre l'édition", answer.ok and "nouvelle" not in answer.url
        )
        token = requests.post(
            self.base + "/api/v1/auth/token",
            json={"login": STAFF_LOGIN, "password": PASSWORD},
            timeout=30,
        )
        self.token = {"Authorization": f"Bearer {token.json()['token']}"}
        self.edition = self.api("/api/v1/editions/current")
        self.reference = date.fromisoformat(self.edition["reference_date"])

    def api(self, path: str, method: str = "GET", **kwargs):
        response = self.staff.request(method, path, headers=self.token, **kwargs)
        if not response.ok:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None

    def participants(self) -> list[dict]:
        return self.api("/api/v1/participants?page_size=500")

    # -- 1. registrations

    def register(self) -> None:
        sizes = self.sizes
        progress = Progress("inscriptions", sizes.imported + sizes.online + sizes.online)
        self._import_spreadsheet()
        progress.step(sizes.imported)
        timings = self.log.timings.setdefault("inscriptions", [])
        plans = ["grant", "grant", "refuse", "silent"]
        for n in range(sizes.online):
            phone = Phone(self.base, timings, 100 + n)
            age = 14 + n % 6
            first, last = FIRST[n % len(FIRST)], LAST[(n // 3) % len(LAST)]
            email = f"en.ligne.{n}@familles.example"
            born = _birth_date(age, self.reference, n)
            minor = born.replace(year=born.year + 18) > self.today  # today, not the reference date
            values = {
                "first_name": f"{first}",
                "last_name": f"{last}-{n}",
                "birth_date": born.isoformat(),
                "email": email,
                "phone": f"06 12 34 {56 + n % 40:02d} {10 + n % 80:02d}",
                "commune": self.rng.choice(
                    ["Villeurbanne", "12 rue Racine, Lyon", "Bron", "vaulx en velin"]
                ),
                "had_library_card": self.rng.choice(["yes", "no"]),
                "consent_participation": "y",
                "consent_screening": "y",
                "consent_online": "y" if n % 2 else None,
                "account": "password",
                "password": PASSWORD,
                "password_confirm": PASSWORD,
            }
            if minor:
                values.update(
                    guardian_name=f"Parent {last}",
                    guardian_email=f"parent.{n}@familles.example",
                    guardian_phone="07 11 22 33 44",
                )
            unset = () if n % 2 else ("consent_online",)
            answer = phone.submit("/inscription", values, action="/inscription", unset=unset)
            received = answer.ok and "bien arrivée" in answer.text
            errors = re.findall(r'id="[^"]+-error"[^>]*>([^<]+)<', answer.text)
            self.log.check(
                "inscriptions",
                f"l'inscription en ligne n°{n} (âge {age}) est reçue {errors}",
                received,
            )
            self.log.registered[email] = {"how": "online", "age": age, "minor": minor, "n": n}
            if minor:
                self.log.guardian_answers[email] = plans[n % len(plans)]
            progress.step()
        # The guardians answer from their mail, some yes, some no, some never.
        for email, plan in self.log.guardian_answers.items():
            info = self.log.registered[email]
            if plan == "silent" or info["how"] != "online":
                progress.step()
                continue
            guardian = f"parent.{info['n']}@familles.example"
            asked = self._wait_for_mail(guardian, "/autorisation/")
            if not self.log.check("inscriptions", f"le message à {guardian} arrive", asked):
                progress.step()
                continue
            link = next(u for u in self.mailbox.links(asked) if "/autorisation/" in u)
            self.log.check(
                "inscriptions",
                "le lien du message mène à l'adresse publique",
                link.startswith(self.base),
            )
            choice = "yes" if plan == "grant" else "no"
            phone = Phone(self.base, timings, 1000 + info["n"])
            answer = phone.submit(
                link,
                {
                    "consent_participation": choice,
                    "consent_screening": choice,
                    "consent_online": "no",
                },
            )
            self.log.check("inscriptions", f"la réponse de {guardian} est enregistrée", answer.ok)
            progress.step()
        progress.step(sizes.online - len(self.log.guardian_answers))
        progress.close()
        self._confirm_and_withdraw()

    def _import_spreadsheet(self) -> None:
        """The librarian's own spreadsheet: her column titles, date cells, names with « ễ »."""
        book = Workbook()
        sheet = book.active
        sheet.append(["Nom", "Prénom", "Né(e) le", "Mail", "Tél portable", "Ville",
                      "Nom du responsable", "Mail responsable", "Autorisation parentale",
                      "Droit à l'image"])  # fmt: skip
        for n in range(self.sizes.imported):
            age = 14 + n % 6
            email = f"liste.{n}@familles.example"
            born = _birth_date(age, self.reference, n)
            minor = born.replace(year=born.year + 18) > self.today
            sheet.append(
                [
                    LAST[n % len(LAST)].upper(),
                    FIRST[(n + 3) % len(FIRST)],
                    born,
                    email,
                    f"'06 98 76 {50 + n:02d} 00",
                    "VILLEURBANNE",
                    f"Responsable {n}" if minor else "",
                    f"resp.{n}@familles.example" if minor else "",
                    "oui",
                    "oui" if n % 3 else "",
                ]
            )
            self.log.registered[email] = {"how": "import", "age": age, "minor": minor, "n": n}
        buffer = io.BytesIO()
        book.save(buffer)
        page = self.staff.get("/equipe/participants/import")
        preview = self.staff.request(
            "POST",
            "/equipe/participants/import",
            data={"csrf_token": csrf_of(page.text)},
            files={"spreadsheet": ("inscriptions.xlsx", buffer.getvalue())},
        )
        confirm = next(f for f in forms_of(preview.text) if "confirmer" in f.action)
        answer = self.staff.request("POST", confirm.action, data=confirm.fields)
        self.log.check("inscriptions", "la liste de la bibliothécaire est importée", answer.ok)

    def _wait_for_mail(self, address: str, link_part: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.mailbox.to(address):
                if any(link_part in u for u in self.mailbox.links(message)):
                    return message
            time.sleep(0.3)
        return None

    def a_guardian_withdraws(self) -> None:
        """Weeks later a parent who had agreed to everything calls: no screening after all.
        Staff send a new link; the parent answers from the new message."""
        teams = set(self.team_of.values())  # a parent of a team's member would hide its film
        email = next(
            (
                e
                for e, plan in self.log.guardian_answers.items()
                if plan == "grant" and e not in teams
            ),
            None,
        )
        if not self.log.check("inscriptions", "un parent peut retirer son accord plus tard", email):
            return
        person = next(p for p in self.participants() if p.get("email") == email)
        guardian = f"parent.{self.log.registered[email]['n']}@familles.example"
        before = len(self.mailbox.to(guardian))
        self._staff_post(
            f"/equipe/participants/{person['id']}",
            f"/equipe/participants/{person['id']}/lien-responsable",
            {},
        )
        deadline = time.monotonic() + 60
        while len(self.mailbox.to(guardian)) == before and time.monotonic() < deadline:
            time.sleep(0.3)
        message = self.mailbox.to(guardian)[-1]
        link = next((u for u in self.mailbox.links(message) if "/autorisation/" in u), None)
        if not self.log.check("inscriptions", f"un nouveau lien arrive à {guardian}", link):
            return
        phone = Phone(self.base, self.log.timings["inscriptions"], 1500)
        phone.submit(
            link,
            {"consent_participation": "yes", "consent_screening": "no", "consent_online": "no"},
        )
        self.log.guardian_answers[email] = "withdrew-screening"

    def _confirm_and_withdraw(self) -> None:
        """Staff confirm the online registrations; the edition fills up, some wait; one
        confirmed teen withdraws and the first waiting one gets the place."""
        people = self.participants()
        pending = [p for p in people if p["status"] == "pending"]
        for person in pending:
            url = f"/equipe/participants/{person['id']}"
            self._staff_post(url, f"{url}/confirmer", {"back": "detail"})
        people = self.participants()
        waiting = [p for p in people if p["status"] == "waitlisted"]
        confirmed = [p for p in people if p["status"] == "confirmed"]
        self.log.check(
            "inscriptions",
            f"l'édition est pleine ({len(confirmed)} inscrit·es), "
            f"{len(waiting)} en liste d'attente",
            len(confirmed) <= self.sizes.imported + self.sizes.online - 3 and waiting,
        )
        leaving = confirmed[-1]
        url = f"/equipe/participants/{leaving['id']}"
        self._staff_post(url, f"{url}/desinscrire", {})
        self.log.withdrawn.append(leaving["email"])
        after = {p["id"]: p["status"] for p in self.participants()}
        promoted = [p for p in waiting if after.get(p["id"]) == "confirmed"]
        self.log.check(
            "inscriptions",
            "une désinscription donne sa place au premier de la liste d'attente",
            len(promoted) == 1,
        )

    # -- 2. roll calls

    def roll_calls(self) -> None:
        workshops = self.edition["workshops"]
        progress = Progress("appels", len(workshops))
        timings = self.log.timings.setdefault("appels", [])
        tablet = Visitor(self.base, timings)
        tablet.sign_in(STAFF_LOGIN, PASSWORD)
        expected = [p for p in self.participants() if p["status"] == "confirmed"]
        offline: tuple[int, dict] | None = None
        for index, workshop in enumerate(workshops):
            marks = {
                str(p["id"]): self.rng.choices(
                    ["present", "late", "excused", "absent"], [80, 6, 6, 8]
                )[0]
                for p in expected
            }
            for person_id, status in marks.items():
                self.log.marks[(workshop["id"], int(person_id))] = status
            if index == 3:  # the network is cut in that room: the sheet waits on the tablet
                offline = (workshop["id"], marks)
                progress.step()
                continue
            self._send_sheet(tablet, workshop["id"], marks)
            progress.step()
        if offline:  # back online: the tablet sends what it kept
            self._send_sheet(tablet, *offline)
        progress.close()

    def _send_sheet(self, tablet: Visitor, workshop_id: int, marks: dict) -> None:
        """As the roll-call page's script sends a sheet (the form's fields, JSON answer)."""
        url = f"/ateliers/{workshop_id}/appel"
        page = tablet.get(url)
        data = {"csrf_token": csrf_of(page.text), **{f"status-{k}": v for k, v in marks.items()}}
        answer = tablet.request("POST", url, data=data, headers={"Accept": "application/json"})
        self.log.check("appels", f"l'appel de l'atelier {workshop_id} est enregistré", answer.ok)

    # -- 3. films

    def films(self) -> None:
        """Teams upload through tus as the page's script does: in pieces, some paused and
        resumed, one connection cut mid-piece; two HEVC portrait films with GPS tags, one
        over five minutes (refused), one replaced by a new version after staff's review."""
        from tools.rehearsal.media import make_film
        from tools.rehearsal.uploads import TusPhone

        people = {p["email"]: p for p in self.participants() if p.get("email")}
        teams = [
            people[email]
            for email, info in self.log.registered.items()
            if info["how"] == "online"
            and people.get(email, {}).get("status") == "confirmed"
            and people[email]["consents"].get("participation")
        ][: self.sizes.films]
        progress = Progress("films", len(teams) + 1)
        timings = self.log.timings.setdefault("films", [])
        self.uploads: dict[int, list[tuple[int, str, str]]] = {}  # film: (version, sha, kind)
        self.team_of: dict[int, str] = {}
        self.last_byte: dict[int, float] = {}
        self.film_results: dict[int, dict] = {}
        # Watched while the next teams upload: a film's time from its last byte to its
        # verdict is its own, not the time the other uploads took.
        uploading = threading.Event()
        uploading.set()
        watcher = threading.Thread(target=self._watch_films, args=(uploading,), daemon=True)
        watcher.start()
        for index, person in enumerate(teams):
            kind = "hevc-portrait" if index in (1, 3) else ("too-long" if index == 2 else "h264")
            path = make_film(self.work / "films", index, kind)
            phone = TusPhone(self.base, timings, 300 + index, person["email"], PASSWORD)
            film = phone.create_film(f"Film n°{index + 1}", person["id"])
            manner = ["pause", "cut", "plain"][index % 3]
            sha = phone.upload(film, path, manner)
            self.team_of[film] = person["email"]
            with self._lock:
                self.last_byte[film] = time.monotonic()
                self.uploads.setdefault(film, []).append((1, sha, kind))
            progress.step()
        uploading.clear()
        watcher.join(timeout=320)
        for film, uploads in self.uploads.items():
            kind = uploads[0][2]
            result = self.film_results.get(film)
            expected = "refused" if kind == "too-long" else "valid"
            self.log.check(
                "films",
                f"film {film} ({kind}) : {expected}",
                result is not None and result["status"] == expected,
            )
        progress.step()
        progress.close()

    def _watch_films(self, uploading: threading.Event) -> None:
        """Polls each uploaded film, the way its team's page does, until its verdict."""
        session = requests.Session()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            with self._lock:
                pending = [f for f in self.last_byte if f not in self.film_results]
            if not pending and not uploading.is_set():
                return
            for film in pending:
                data = session.get(
                    f"{self.base}/api/v1/films/{film}", headers=self.token, timeout=30
                )
                versions = data.json()["versions"] if data.ok else []
                version = versions[-1] if versions else None
                if version and version["status"] in ("valid", "refused"):
                    with self._lock:
                        self.film_results[film] = {
                            "status": version["status"],
                            "seconds": time.monotonic() - self.last_byte[film],
                            "problems": version["problems"],
                        }
            time.sleep(0.2)

    def check_files(self) -> None:
        """What arrived is what the phone sent (the SHA-256 recorded on receipt), and what is
        kept carries no GPS or device tag (a phone's HEVC is washed, picture and sound kept,
        once its web version is made)."""
        import json

        media = self.work / "media"
        valid = [f for f, r in self.film_results.items() if r["status"] == "valid"]
        deadline = time.monotonic() + 300
        while valid and time.monotonic() < deadline:
            valid = [
                f for f in valid
                if not self.api(f"/api/v1/films/{f}")["versions"][-1]["rendition_ready"]
            ]  # fmt: skip
            time.sleep(0.5)
        self.log.check("films", "chaque film valide a sa version web", not valid)
        for film, uploads in self.uploads.items():
            versions = {v["number"]: v for v in self.api(f"/api/v1/films/{film}")["versions"]}
            for number, sha, kind in uploads:
                recorded = versions.get(number, {}).get("sha256")
                self.log.check(
                    "films", f"film {film} v{number} reçu intact (SHA-256)", recorded == sha
                )
                if (
                    kind != "hevc-portrait"
                    or self.film_results.get(film, {}).get("status") != "valid"
                ):
                    continue
                stored = media / "films" / str(film) / f"v{number}" / "original"
                probe = subprocess.run(  # noqa: S603 - fixed arguments
                    ["ffprobe", "-v", "error", "-show_entries", "format_tags:stream_tags",
                     "-of", "json", str(stored)],
                    capture_output=True, text=True, check=False,
                )  # fmt: skip
                tags = json.dumps(json.loads(probe.stdout or "{}")).lower()
                self.log.check(
                    "films",
                    f"film {film} v{number} gardé sans GPS ni modèle de téléphone",
                    probe.returncode == 0 and "location" not in tags and "iphone" not in tags,
                )
        for film, result in sorted(self.film_results.items()):
            self.log.timings.setdefault("dernier octet → valide", []).append(result["seconds"])
            self.log.per_film.append(f"film {film} {result['status']} {result['seconds']:.1f} s")

    # -- 3b. a new version after review, and a worker killed in the middle of its encode

    def new_version_with_a_worker_killed(self) -> None:
        """Staff retain a film; its team sends a better cut (a longer HEVC); while its web
        version is encoded the job worker is killed (SIGKILL, as the out-of-memory killer
        does). The film must end valid with exactly one web version, no leftover file and no
        ffmpeg left running."""
        from tools.rehearsal.media import make_film
        from tools.rehearsal.uploads import TusPhone

        progress = Progress("nouvelle version", 4)
        film = min(f for f, r in self.film_results.items() if r["status"] == "valid")
        self.staff.submit(f"/equipe/films/{film}", {"decision": "selected"}, having="decision")
        path = make_film(self.work / "films", 99, "long")
        phone = TusPhone(self.base, self.log.timings["films"], 399, self.team_of[film], PASSWORD)
        sha = phone.upload(film, path, "plain")
        self.uploads[film].append((2, sha, "long"))
        progress.step()
        encoding = False
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            versions = self.api(f"/api/v1/films/{film}")["versions"]
            latest = versions[-1] if len(versions) == 2 else None
            if latest and latest["status"] == "valid" and latest["rendition_ready"]:
                break
            if (
                latest
                and latest["status"] == "valid"
                and latest["step"] == "rendition"
                and (latest["progress"] or 0) > 0
            ):
                encoding = True
                break
            time.sleep(0.1)
        killed = self.server.kill_jobs()
        self.log.check(
            "nouvelle version",
            f"le worker est tué pendant l'encodage ({killed} processus)",
            encoding and killed > 0,
        )
        progress.step()
        ready = False
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not ready:
            latest = self.api(f"/api/v1/films/{film}")["versions"][-1]
            ready = latest["number"] == 2 and bool(latest["rendition_ready"])
            time.sleep(0.5)
        self.log.check("nouvelle version", "la version 2 est prête malgré tout", ready)
        progress.step()
        folder = self.work / "media" / "films" / str(film) / "v2"
        renditions = sorted(p.name for p in folder.glob("*web*"))
        self.log.check(
            "nouvelle version",
            f"une seule version web, aucun reste ({renditions})",
            renditions == ["web.mp4"],
        )
        leftover = subprocess.run(
            ["pgrep", "-f", f"ffmpeg.*{self.work}"], capture_output=True, text=True, check=False
        ).stdout.split()
        self.log.check("nouvelle version", "aucun ffmpeg orphelin", not leftover)
        self.replaced_film = film
        progress.step()
        progress.close()

    # -- 4. a backup in the middle of the season

    def backup_and_restore(self, second_database_url: str) -> None:
        """`flask backup` while the server runs, restored to a second instance (its own
        database and media folder), then compared row by row and file by file."""
        import hashlib

        import sqlalchemy

        progress = Progress("sauvegarde", 3)
        archive = self.work / "sauvegarde" / "mi-saison.tar"
        archive.parent.mkdir()
        _flask(self.env, "backup", str(archive))
        progress.step()
        second = dict(
            self.env, DATABASE_URL=second_database_url, MEDIA_ROOT=str(self.work / "media-2")
        )
        _flask(second, "db", "upgrade")
        _flask(second, "restore", str(archive))
        progress.step()
        differences = []
        engines = [
            sqlalchemy.create_engine(url) for url in (self.env["DATABASE_URL"], second_database_url)
        ]
        try:
            tables = sqlalchemy.MetaData()
            tables.reflect(bind=engines[0])
            for table in sorted(tables.tables.values(), key=lambda t: t.name):
                if table.name == "alembic_version":
                    continue
                key = list(table.primary_key.columns) or list(table.columns)
                rows = []
                for engine in engines:
                    with engine.connect() as connection:
                        rows.append(
                            connection.execute(sqlalchemy.select(table).order_by(*key)).all()
                        )
                if rows[0] != rows[1]:
                    differences.append(f"{table.name}: {len(rows[0])} / {len(rows[1])} lignes")
        finally:
            for engine in engines:
                engine.dispose()
        self.log.check(
            "sauvegarde",
            f"la base restaurée est identique ligne à ligne {differences}",
            not differences,
        )

        def files(root: Path) -> dict[str, str]:
            return {
                str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*"))
                if p.is_file() and "uploads" not in p.relative_to(root).parts[:1]
            }

        first, restored = files(self.work / "media"), files(self.work / "media-2")
        self.log.check(
            "sauvegarde",
            f"{len(first)} fichiers restaurés à l'identique",
            first == restored and len(first) > 0,
        )
        progress.step()
        progress.close()

    # -- 5. the programme

    def programme(self) -> None:
        """Staff select the valid films, build a séance, publish; then move a film up and
        publish again: the public sees the second version, the history both."""
        valid = sorted(f for f, r in self.film_results.items() if r["status"] == "valid")
        self.retained_films = valid
        progress = Progress("programme", len(valid) + 3)
        for film in valid:
            answer = self.staff.submit(
                f"/equipe/films/{film}", {"decision": "selected"}, having="decision"
            )
            self.log.check("programme", f"le film {film} est retenu", answer.ok)
            progress.step()
        ceremony = self.edition["ceremony_at"][:16]
        block = self.api(
            "/api/v1/programme/blocks",
            "POST",
            json={"title": "Séance de la cérémonie", "starts_at": ceremony, "planned_minutes": 60},
        )
        for film in valid:
            block = self.api(
                f"/api/v1/programme/blocks/{block['id']}/items",
                "POST",
                json={"kind": "film", "film_id": film},
            )
        progress.step()
        self._publish()
        first = [i["id"] for i in self.api("/api/v1/programme")["blocks"][0]["items"]]
        moved = block["items"][-1]["id"]
        self._staff_post(
            "/equipe/programme", f"/equipe/programme/elements/{moved}/deplacer/haut", {}
        )
        self._publish()
        progress.step()
        second = [i["id"] for i in self.api("/api/v1/programme")["blocks"][0]["items"]]
        self.programme_films = second
        self.log.check(
            "programme",
            f"le public voit la deuxième version (un film a changé de place: {first} → {second}, "
            f"retenus {valid}; {self._warnings()})",
            sorted(first) == sorted(second) == valid and (len(valid) < 2 or first != second),
        )
        history = self.staff.get(f"/programme/{self.edition_year}").text
        self.log.check(
            "programme", "l'historique garde les deux versions", "(2 versions)" in history
        )
        progress.step()
        progress.close()

    def _warnings(self) -> list[str]:
        """What the programme builder warns staff about (a missing consent, say)."""
        blocks = self.api("/api/v1/programme/blocks")
        return [w for b in blocks for i in b["items"] for w in i["warnings"]]

    def _publish(self) -> None:
        answer = self.staff.submit("/equipe/programme", {}, action="/equipe/programme/publication")
        self.log.check("programme", "le programme est publié", answer.ok)

    # -- 5b. the projectionist's pack

    def screening_pack(self) -> None:
        """The pack built by a job, downloaded, opened: one file per programmed film, its
        duration the film's, its loudness the hall's target, no phone's tag in it."""
        import json
        import re as regex
        import zipfile

        progress = Progress("pack", 3)
        self._staff_post("/equipe/programme", "/equipe/programme/pack", {})
        download = self._prepared("/equipe/programme/pack/etat.json")
        progress.step()
        if not self.log.check("pack", "le pack est prêt", download is not None):
            progress.close()
            return
        archive = self.work / "pack.zip"
        archive.write_bytes(download.content)
        folder = self.work / "pack"
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(folder)
        videos = sorted(p for p in folder.rglob("*") if p.suffix in (".mp4", ".mov", ".mkv"))
        self.log.check(
            "pack",
            f"un fichier par film programmé ({len(videos)} pour {len(self.programme_films)})",
            len(videos) == len(self.programme_films),
        )
        durations = sorted(
            round(self.api(f"/api/v1/films/{f}")["duration"] or 0) for f in self.programme_films
        )
        found = []
        for video in videos:
            probe = subprocess.run(  # noqa: S603 - fixed arguments
                ["ffprobe", "-v", "error",
                 "-show_entries", "format=duration:format_tags:stream_tags",
                 "-of", "json", str(video)],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            data = json.loads(probe.stdout or "{}")
            found.append(round(float(data.get("format", {}).get("duration", 0))))
            tags = json.dumps(data).lower()
            self.log.check(
                "pack",
                f"{video.name} sans GPS ni modèle de téléphone",
                "location" not in tags and "iphone" not in tags and "apple" not in tags,
            )
            loudness = subprocess.run(  # noqa: S603 - fixed arguments
                ["ffmpeg", "-nostdin", "-hide_banner", "-i", str(video), "-af", "ebur128",
                 "-f", "null", "-"],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            integrated = regex.findall(r"I:\s+(-?[\d.]+) LUFS", loudness.stderr)
            level = float(integrated[-1]) if integrated else None
            self.log.check(
                "pack",
                f"{video.name} à {level} LUFS (cible −23)",
                level is not None and abs(level + 23) <= 1.5,
            )
        self.log.check("pack", f"les durées sont celles des films {found} / {durations}",
                       all(abs(a - b) <= 1 for a, b in zip(sorted(found), durations, strict=False))
                       and len(found) == len(durations))  # fmt: skip
        progress.step()
        progress.step()
        progress.close()

    # -- 6a. the jury, on their phones

    def jury(self) -> None:
        login = "jury@rehearsal.example"
        _flask(self.env, "create-user", login, "--role", "jury", "--password", PASSWORD)
        phone = Phone(self.base, self.log.timings.setdefault("jury", []), 4000)
        phone.sign_in(login, PASSWORD)
        films = sorted(set(re.findall(r"/jury/films/(\d+)\b", phone.get("/jury/films").text)))
        progress = Progress("jury", len(films))
        self.log.check(
            "jury",
            f"le jury voit les films retenus ({len(films)})",
            sorted(int(f) for f in films) == sorted(self.retained_films),
        )
        for film in films:
            form, _url = phone.form(f"/jury/films/{film}", action=f"/jury/films/{film}/notes")
            scores = {
                name: [v for v in values if v][(int(film) + n) % len([v for v in values if v])]
                for n, (name, values) in enumerate(form.choices.items())
                if name.startswith("score-")
            }
            answer = phone.submit(
                f"/jury/films/{film}", {**scores, "comment": "Une belle idée de cadre."},
                action=f"/jury/films/{film}/notes",
            )  # fmt: skip
            self.log.check(
                "jury",
                f"les notes du film {film} sont enregistrées ({answer.status_code})",
                answer.ok and bool(scores),
            )
            progress.step()
        progress.close()

    # -- 6. the ceremony

    def ceremony(self) -> None:
        """The hall: every phone browses the programme and a film's page, then votes with its
        card's code (ten tap twice), all at once; every ballot counted once."""
        from concurrent.futures import ThreadPoolExecutor

        phones = self.sizes.phones
        voters = phones
        codes = self.api("/api/v1/audience-vote/codes", "POST", json={"count": voters})["codes"]
        self.api("/api/v1/audience-vote/open", "POST")
        progress = Progress("cérémonie", phones)
        timings = self.log.timings.setdefault("cérémonie", [])
        lock = threading.Lock()
        accepted: list[str] = []
        refused_twice: list[str] = []
        errors: list[str] = []
        grades = ["excellent", "tres_bien", "bien", "assez_bien", "passable", "a_rejeter"]
        films = self.programme_films

        def vote(number: int, code: str) -> None:
            phone = Phone(self.base, timings, 3000 + number)
            try:
                for path in (
                    "/programme",
                    f"/programme/{self.edition_year}/films/{films[number % len(films)]}",
                ):
                    if phone.get(path).status_code != 200:
                        errors.append(f"{path}: not 200")
                page = phone.get(f"/vote/{code}")
                form = {"csrf_token": csrf_of(page.text)}
                form.update({f"grade-{f}": grades[(number + f) % 6] for f in films})
                taps = 2 if number < 10 else 1
                results = []
                barrier = threading.Barrier(taps)

                def tap():
                    barrier.wait()
                    results.append(
                        phone.request("POST", f"/vote/{code}", data=form, allow_redirects=False)
                    )

                threads = [threading.Thread(target=tap) for _ in range(taps)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                with lock:
                    ok = [r for r in results if r.status_code in (200, 201, 302, 303)]
                    if ok:
                        accepted.append(code)
                    if taps == 2:
                        refused_twice.append(code)
            except Exception as error:  # noqa: BLE001 - a phone's failure is a finding
                errors.append(f"{code}: {error!r}")
            finally:
                with lock:
                    progress.step()

        with ThreadPoolExecutor(max_workers=min(phones, 64)) as pool:
            for number, code in enumerate(codes):
                pool.submit(vote, number, code)
        progress.close()
        results = self.api("/api/v1/audience-vote/results")
        per_film = {f["id"]: sum(f["profile"].values()) for f in results["films"]}
        self.log.check("cérémonie", f"aucune erreur côté téléphones {errors[:3]}", not errors)
        self.log.check(
            "cérémonie",
            f"chaque bulletin compté une fois ({results['ballots']} pour {voters} cartes)",
            results["ballots"] == voters == len(accepted) and set(per_film.values()) == {voters},
        )
        self.ballots = results["ballots"]

    # -- 6b. the palmarès, not before the ceremony's start

    def palmares(self) -> None:
        progress = Progress("palmarès", 4)
        award_name = "Grand prix du jury"
        self._staff_post(
            "/equipe/prix", "/equipe/prix/nouveau", {"name": award_name, "kind": "jury"}
        )
        page = self.staff.get("/equipe/prix").text
        award = re.search(r"/equipe/prix/(\d+)/attribuer", page).group(1)
        winner = self.programme_films[0]
        self._staff_post(
            "/equipe/prix", f"/equipe/prix/{award}/attribuer", {"film_id": str(winner)}
        )
        self._staff_post("/equipe/prix", "/equipe/prix/deliberation", {"action": "close"})
        progress.step()
        early = self._staff_post("/equipe/prix", "/equipe/prix/palmares", {"action": "publish"})
        self.log.check(
            "palmarès",
            "refusé avant le début de la cérémonie",
            "partir du début de la cérémonie" in early.text
            and requests.get(f"{self.base}/palmares/{self.edition_year}", timeout=30).status_code
            == 404,
        )
        progress.step()
        # The evening comes: staff set the ceremony's start to now (the edition's form).
        editions = self.staff.get("/equipe/editions").text
        edition_id = re.search(r"/equipe/editions/(\d+)/modifier", editions).group(1)
        started = (datetime.now() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
        closed = f"{(date.today() - timedelta(days=1)).isoformat()}T23:59"  # the films are in
        answer = self.staff.submit(
            f"/equipe/editions/{edition_id}/modifier",
            {"ceremony_at": started, "upload_deadline": closed, "confirm": "y"},
            action=f"/equipe/editions/{edition_id}/modifier",
        )
        errors = re.findall(r'id="[^"]+-error"[^>]*>([^<]+)<', answer.text)
        self.log.check("palmarès", f"la cérémonie commence {errors}", answer.ok and not errors)
        progress.step()
        published = self._staff_post("/equipe/prix", "/equipe/prix/palmares", {"action": "publish"})
        public = requests.get(f"{self.base}/palmares/{self.edition_year}", timeout=30)
        flashes = re.findall(r'class="flash flash-\w+">([^<]+)<', published.text)
        self.log.check(
            "palmarès",
            f"publié après le début, le public le voit ({public.status_code}, {flashes})",
            published.ok and public.status_code == 200 and award_name in public.text,
        )
        progress.step()
        progress.close()

    def _prepared(self, state_address: str, seconds: float = 300) -> requests.Response | None:
        """A file staff asked a job for (the pack, the certificates), followed as its page's
        script does, then downloaded; None when it failed or never came."""
        state, deadline = {}, time.monotonic() + seconds
        while time.monotonic() < deadline:
            state = self.staff.get(state_address).json()
            if state.get("status") in ("done", "failed"):
                break
            time.sleep(0.5)
        if not state.get("download"):
            return None
        answer = self.staff.get(state["download"])
        return answer if answer.ok else None

    def _staff_post(self, page: str, action: str, values: dict) -> requests.Response:
        """A button on `page` (its form's token) pressed, posting `values` to `action`."""
        token = csrf_of(self.staff.get(page).text)
        return self.staff.request("POST", action, data={"csrf_token": token, **values})

    # -- 7. what the library hands out, and a teen erased

    def reports_and_erasure(self) -> None:
        progress = Progress("bilan", 4)
        self._staff_post("/equipe/prix", "/equipe/prix/attestations", {})
        certificates = self._prepared("/equipe/prix/attestations/etat.json")
        self.log.check(
            "bilan",
            "les attestations se préparent en arrière-plan puis sortent en PDF",
            certificates is not None and certificates.content.startswith(b"%PDF"),
        )
        progress.step()
        report = self.staff.get("/equipe/bilan.json").json()
        people = self.participants()
        log = self.log

        def shown(count: int):
            return count if count == 0 or count >= 5 else "< 5"

        expected = {
            "inscriptions reçues": (report["registrations"]["total"], shown(len(log.registered))),
            "films envoyés": (report["films"]["sent"], len(self.uploads)),
            "films valides": (
                report["films"]["valid"],
                sum(1 for r in self.film_results.values() if r["status"] == "valid"),
            ),
            "films projetés": (report["films"]["screened"], len(self.programme_films)),
            "bulletins": (report["ceremony"]["audience_ballots"], self.ballots),
        }
        for row in report["attendance_per_workshop"]:
            workshop = next(w for w in self.edition["workshops"] if w["number"] == row["workshop"])
            came = sum(
                1
                for (w, _p), status in log.marks.items()
                if w == workshop["id"] and status in ("present", "late")
            )
            # The report counts confirmed teens: the one who withdrew afterwards is not.
            withdrawn = {p["id"] for p in people if p["status"] == "withdrawn"}
            came -= sum(
                1
                for (w, person), status in log.marks.items()
                if w == workshop["id"] and person in withdrawn and status in ("present", "late")
            )
            expected[f"présents à l'atelier {row['workshop']}"] = (row["people"], shown(came))
        for what, (found, counted) in expected.items():
            log.check(
                "bilan",
                f"{what} : {found} au bilan, {counted} d'après la répétition",
                found == counted,
            )
        open_data = requests.get(f"{self.base}/bilan/{self.edition_year}.json", timeout=30)
        log.check(
            "bilan", "pas de données ouvertes avant la cérémonie", open_data.status_code == 404
        )
        progress.step()
        self._erase_one()
        progress.step()
        purge = _flask(self.env, "purge-personal-data", "--dry-run")
        log.check(
            "bilan",
            "la purge de conservation tourne (rien d'assez ancien)",
            "Nothing to purge" in purge,
        )
        progress.step()
        progress.close()

    def _erase_one(self) -> None:
        """The teen with the first film asks to be forgotten: nothing of her remains on any
        page, export or API answer the rehearsal can reach."""
        people = {p["email"]: p for p in self.participants() if p.get("email")}
        email = next(
            e for e, i in self.log.registered.items() if i["how"] == "online" and e in people
        )
        teen = people[email]
        url = f"/equipe/participants/{teen['id']}"
        answer = self._staff_post(url, f"{url}/effacer", {"confirm": "y"})
        self.log.check("bilan", "l'effacement est fait", answer.ok)
        traces = [
            email,
            teen["last_name"],
            teen.get("phone") or "@@",
            teen.get("guardian_email") or "@@",
        ]
        surfaces = {
            "API": self.staff.request(
                "GET", "/api/v1/participants?page_size=500", headers=self.token
            ).text,
            "liste": self.staff.get("/equipe/participants").text,
            "export CSV": self.staff.get("/equipe/participants.csv").text,
            "bilan": self.staff.get("/equipe/bilan.json").text,
            "programme": self.staff.get(f"/programme/{self.edition_year}").text,
            "films": self.staff.get("/equipe/films").text,
        }
        for name, text in surfaces.items():
            left = [t for t in traces if t and t in text]
            self.log.check("bilan", f"rien d'elle dans {name} {left}", not left)

    # -- checks

    def check_people(self) -> None:
        people = {p["email"]: p for p in self.participants() if p.get("email")}
        log = self.log
        missing = sorted(set(log.registered) - set(people))
        extra = sorted(set(people) - set(log.registered))
        log.check(
            "bilan",
            f"chaque inscription est là une fois ({len(log.registered)}; manquent {missing}, "
            f"en trop {extra})",
            not missing and not extra,
        )
        for email, plan in log.guardian_answers.items():
            person = people.get(email)
            if person is None or log.registered[email]["how"] != "online":
                continue
            consents = person["consents"]
            expected = {"grant": True, "refuse": False, "silent": False}.get(plan, True)
            log.check(
                "bilan",
                f"l'autorisation de participer de {email} est celle donnée ({plan})",
                bool(consents.get("participation")) == expected,
            )
            if plan == "withdrew-screening":
                log.check(
                    "bilan",
                    f"le retrait de l'autorisation de projection de {email} compte",
                    consents.get("screening") is False,
                )
        for email in log.withdrawn:
            log.check("bilan", f"{email} est désinscrit·e", people[email]["status"] == "withdrawn")
        marks = {}
        for workshop in self.edition["workshops"]:
            sheet = self.api(f"/api/v1/workshops/{workshop['id']}/attendance")
            for person_id, status in sheet.items():
                marks[(workshop["id"], int(person_id))] = status
        log.check(
            "bilan",
            f"chaque présence notée l'est une fois, telle que notée ({len(log.marks)})",
            marks == log.marks,
        )

    def check_mail(self) -> None:
        foreign = self.mailbox.foreign_links(self.base)
        self.log.check(
            "courriels",
            f"{len(self.mailbox.messages)} messages, liens vers l'adresse publique seulement",
            not foreign,
        )
        twice = self.mailbox.duplicates()
        self.log.check("courriels", f"aucun message envoyé deux fois {twice[:3]}", not twice)


# ---------------------------------------------------------------- the run


def _percentiles(values: list[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"{p50 * 1000:.0f} / {p95 * 1000:.0f} ms"


def summary(log: Log) -> None:
    print()
    print(f"{'phase':<14} {'vérifications':>14} {'échecs':>8} {'requêtes':>9}   p50 / p95")
    phases = list(dict.fromkeys([c[0] for c in log.checks] + list(log.timings)))
    for phase in phases:
        checks = [c for c in log.checks if c[0] == phase]
        failed = sum(1 for c in checks if not c[2])
        timings = log.timings.get(phase, [])
        print(
            f"{phase:<14} {len(checks):>14} {failed:>8} {len(timings):>9}   {_percentiles(timings)}"
        )
    if log.per_film:
        print("\ndernier octet → verdict : " + ", ".join(log.per_film))
    if log.problems:
        print("\nÉCARTS :")
        for problem in log.problems:
            print(f"  - {problem}")
    else:
        print("\nAucune perte, aucun écart.")


def rehearse(sizes: Sizes, work: Path, *, database_url: str, redis_url: str) -> bool:
    log = Log()
    mailbox = Mailbox().start()
    port = _free_port()
    if database_url.startswith("postgresql://"):  # as people write it: the driver we ship
        database_url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    original_url = database_url
    if database_url.startswith("postgresql"):
        database_url = _postgres_schema(database_url)
    env = _env(work, port, mailbox, database_url, redis_url)
    if redis_url:
        print(f"La base Redis {redis_url} est vidée : elle est à la répétition.")
        _empty_queues(redis_url)
    second_database = (
        _postgres_schema(original_url, suffix="restored")
        if database_url.startswith("postgresql")
        else f"sqlite:///{work}/restored.sqlite3"
    )
    stack = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    print(f"Répétition générale : {stack}, {'Redis' if redis_url else 'tâches dans le serveur'}; "
          f"{sizes.imported} importé·es, {sizes.online} en ligne, {sizes.films} films, "
          f"{sizes.phones} téléphones")  # fmt: skip
    try:
        _flask(env, "db", "upgrade")
        _flask(env, "create-user", STAFF_LOGIN, "--role", "staff", "--password", PASSWORD)
        with running_server(env, port, work, separate_workers=2 if redis_url else 0) as server:
            season = Season(server.base, sizes, mailbox, log, work)
            season.server = server
            season.env = env
            season.open_edition()
            season.register()
            season.roll_calls()
            season.films()
            season.new_version_with_a_worker_killed()
            season.a_guardian_withdraws()
            season.check_files()
            season.backup_and_restore(second_database)
            season.programme()
            season.screening_pack()
            season.jury()
            season.ceremony()
            season.check_people()
            season.reports_and_erasure()
            season.palmares()
            season.check_mail()
    except Exception as error:  # noqa: BLE001 - a crash is a finding, reported with the rest
        log.problems.append(f"arrêt : {error!r}")
        import traceback

        traceback.print_exc()
    finally:
        mailbox.stop()
        if database_url.startswith("postgresql"):
            _drop_schemas(original_url)
    summary(log)
    return not log.problems

"""A believable demo edition, with dates placed around today so the demo always looks live.

Over 400 lines on purpose: one scripted season, read from top to bottom like its story.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from festival.auth.models import Role, User
from festival.auth.services import create_user
from festival.clock import local_today
from festival.collection import services as collection
from festival.collection.models import CollectionTitle
from festival.collection.records import HoldingRecord
from festival.editions.models import BudgetKind, BudgetLine, Venue
from festival.editions.services import create_edition, edition_of_year
from festival.editions.venue import save_venue
from festival.extensions import db
from festival.films.models import FilmRole, FilmVersion, ReviewDecision
from festival.films.pipeline import process_in_full
from festival.films.review import decide
from festival.films.services import TeamEntry, create_film
from festival.films.subtitles import add_subtitles
from festival.people.accounts import open_account
from festival.people.age import is_minor
from festival.people.models import ConsentKind
from festival.people.registration import RegistrationData, register_participant
from festival.processing.ffmpeg import run, synthetic_film_commands
from festival.programme.models import ItemKind
from festival.programme.services import add_block, add_film, add_moment, publish
from festival.storage import media_path
from festival.workshops.models import AttendanceStatus
from festival.workshops.services import roll_participants, save_attendance

DEMO_PASSWORD = "festival-demo"  # noqa: S105 - printed on purpose: demo accounts only

STAFF_ACCOUNTS = [
    (Role.ADMIN, "admin@mediatheque.example", "Nadia Benali (admin)"),
    (Role.STAFF, "equipe@mediatheque.example", "Julien Moreau"),
    (Role.FACILITATOR, "camille@mediatheque.example", "Camille Laurent"),
    (Role.FACILITATOR, "yanis@mediatheque.example", "Yanis Haddad"),
    (Role.JURY, "jury@mediatheque.example", "Sophie Garnier"),
]
PARTICIPANT_LOGIN = "lea.martin@example.org"

ROOMS = ["Auditorium", "Salle multimédia", "Atelier du 2e étage", "Studio son"]

# (first name, last name, age on the reference date, consents: participation, screening, online)
PEOPLE = [
    ("Léa", "Martin", 16, (True, True, True)),
    ("Hugo", "Bernard", 15, (True, True, False)),
    ("Inès", "Dubois", 17, (True, True, True)),
    ("Nathan", "Thomas", 14, (True, True, True)),
    ("Chloé", "Robert", 18, (True, True, True)),
    ("Adam", "Richard", 16, (True, False, False)),
    ("Jade", "Petit", 15, (True, True, True)),
    ("Lucas", "Durand", 19, (True, True, False)),
    ("Manon", "Leroy", 17, (True, True, True)),
    ("Rayan", "Moreau", 14, (True, True, True)),
    ("Zoé", "Simon", 16, (True, True, False)),
    ("Gabriel", "Laurent", 18, (True, True, True)),
    ("Lina", "Lefebvre", 15, (True, True, True)),
    ("Noah", "Michel", 17, (True, False, False)),
    ("Emma", "Garcia", 16, (True, True, True)),
    ("Mohamed", "David", 19, (True, True, True)),
    ("Louise", "Bertrand", 14, (True, True, False)),
    ("Tom", "Roux", 15, (True, True, True)),
    ("Sarah", "Vincent", 17, (True, True, True)),
    ("Ethan", "Fournier", 16, (True, True, True)),
    ("Anaïs", "Morel", 18, (True, True, False)),
    ("Théo", "Girard", 15, (True, True, True)),
    ("Maëlys", "André", 16, (True, True, True)),  # online, to confirm
    ("Sacha", "Mercier", 14, (True, True, True)),  # online, to confirm
]
GUARDIAN_FIRST_NAMES = ["Claire", "Karim", "Isabelle", "Olivier", "Fatima", "Marc"]
# Last year's edition: who may come back (*Des années précédentes*), and who is now too old.
LAST_YEAR_PEOPLE = [
    ("Mila", "Roche", 15),
    ("Jules", "Caron", 16),
    ("Nora", "Benali", 17),
    ("Kylian", "Perrin", 14),
    ("Léa", "Martin", 15),  # came back: already registered this year
    ("Bastien", "Colin", 19),  # 20 this year: past the age
]
ONLINE_PENDING = {"Maëlys", "Sacha"}
CAPACITY = 20  # a full edition: the last desk registrations go on the waiting list


def _birth_date_for_age(reference: date, age: int, rng: random.Random) -> date:
    # A birthday strictly inside the year that gives exactly `age` on the reference date.
    days_after_birthday = rng.randint(20, 340)
    last_birthday = reference - timedelta(days=days_after_birthday)
    try:
        return last_birthday.replace(year=last_birthday.year - age)
    except ValueError:  # 29 February
        return (last_birthday - timedelta(days=1)).replace(year=last_birthday.year - age)


def load_demo(*, phone_films: bool = False) -> list[tuple[str, str]]:
    """Create the demo accounts and edition; returns (role, login) pairs to print.
    `phone_films`: the films at a phone's size and grain (see load_demo_films)."""
    rng = random.Random(2027)  # noqa: S311 - repeatable demo data, nothing secret
    today = local_today()
    # Workshops every other Saturday; five already held, five to come.
    last_saturday = today - timedelta(days=(today.weekday() - 5) % 7)
    first_workshop_day = last_saturday - timedelta(weeks=8)
    ceremony_day = first_workshop_day + timedelta(weeks=26)

    users: dict[str, User] = {}
    for role, login, name in STAFF_ACCOUNTS:
        users[login] = create_user(login, role=role, password=DEMO_PASSWORD, display_name=name)
    admin = users["admin@mediatheque.example"]
    staff = users["equipe@mediatheque.example"]
    facilitators = [users["camille@mediatheque.example"], users["yanis@mediatheque.example"]]

    edition = create_edition(
        year=ceremony_day.year,
        title=f"Un Trait Amateur {ceremony_day.year}",
        starts_on=first_workshop_day,
        ends_on=ceremony_day,
        ceremony_at=datetime.combine(ceremony_day, time(18, 30)),
        ceremony_venue="Médiathèque, auditorium",
        upload_deadline=datetime.combine(ceremony_day - timedelta(weeks=4), time(23, 59)),
        capacity=CAPACITY,
    )
    # Coming to the ceremony, as staff fill it in under Éditions → Lieu et accueil.
    save_venue(
        edition.ceremony_place,
        street="1 place de la Médiathèque",
        postcode="35000",
        town="Rennes",
        latitude=48.11198,
        longitude=-1.67429,
        step_free=True,
        access_notes="Entrée de plain-pied par le parvis ; boucle magnétique.",
        capacity=180,
    )
    # A second place, as a library has one: the youth room, for a séance of its own.
    save_venue(
        Venue(),
        name="Médiathèque, salle jeunesse",
        street="1 place de la Médiathèque",
        postcode="35000",
        town="Rennes",
        step_free=True,
        access_notes="Au premier étage, par l'ascenseur du hall.",
        capacity=40,
    )
    edition.entry_free = True
    edition.entry_booking = "Sans réservation, dans la limite des 180 places."
    for index, workshop in enumerate(edition.workshops):
        day = first_workshop_day + timedelta(weeks=2 * index)
        workshop.starts_at = datetime.combine(day, time(14, 0))
        workshop.ends_at = datetime.combine(day, time(17, 0))
        workshop.room = ROOMS[index % len(ROOMS)]
        workshop.facilitator = facilitators[index % 2]
    db.session.flush()

    reference = edition.age_reference_date
    for first_name, last_name, age, (participation, screening, online) in PEOPLE:
        birth_date = _birth_date_for_age(reference, age, rng)
        slug = f"{first_name}.{last_name}".lower().translate(str.maketrans("éèëïîçâà", "eeeiicaa"))
        data = RegistrationData(
            first_name=first_name,
            last_name=last_name,
            birth_date=birth_date,
            email=f"{slug}@example.org",
            phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}",
            guardian_name=f"{rng.choice(GUARDIAN_FIRST_NAMES)} {last_name}",
            guardian_email=f"parent.{slug}@example.org",
            guardian_phone=f"07 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}",
            consents={
                ConsentKind.PARTICIPATION: participation,
                ConsentKind.SCREENING: screening,
                ConsentKind.ONLINE: online,
            },
        )
        if not is_minor(birth_date):
            data.guardian_name = data.guardian_email = data.guardian_phone = None
        # For the report: most live in town, a few around; some already had a library card.
        data.commune = rng.choice(["Villeurbanne"] * 6 + ["Lyon"] * 2 + ["Vaulx-en-Velin"])
        data.had_library_card = rng.random() < 0.6
        online_form = first_name in ONLINE_PENDING
        participant = register_participant(
            edition, data, recorded_by=None if online_form else staff, online=online_form
        )
        if participant.email == PARTICIPANT_LOGIN:
            open_account(participant, password=DEMO_PASSWORD)
        participant.library_card_during_festival = not data.had_library_card and rng.random() < 0.5
    db.session.flush()

    # Roll calls of the workshops already held: most come, a few drift away.
    drifting = {"Hugo", "Noah", "Lucas"}
    expected = roll_participants(edition)
    now = datetime.combine(today, time(12, 0))
    for workshop in edition.workshops:
        if not workshop.has_started(now):
            continue
        marks = {}
        for participant in expected:
            if participant.first_name in drifting and workshop.number >= 2:
                status = rng.choice(
                    [
                        AttendanceStatus.ABSENT,
                        AttendanceStatus.ABSENT,
                        AttendanceStatus.EXCUSED,
                        AttendanceStatus.PRESENT,
                    ]
                )
            else:
                status = rng.choices(list(AttendanceStatus), weights=[82, 8, 6, 4])[0]
            marks[participant.id] = status
        save_attendance(workshop, marks, recorded_by=workshop.facilitator or admin)

    load_demo_films(edition, staff, phone_films=phone_films)
    load_last_year(edition, staff, rng)
    load_demo_collection(edition, rng)
    load_demo_budget(edition)
    return demo_accounts()


def load_demo_budget(edition) -> None:
    """What the season costs and who helps, as staff type it for the report."""
    lines = [
        (BudgetKind.COST, "Intervenant·es des ateliers (10 × 3 h)", "", False, 180000),
        (BudgetKind.COST, "Matériel : micros-cravates, stabilisateurs", "", False, 42000),
        (BudgetKind.COST, "Cérémonie : impression, trophées, collation", "", False, 65000),
        (BudgetKind.PARTNER, "DRAC Bretagne", "Subvention « Éducation aux images »", False, 150000),
        (BudgetKind.PARTNER, "Cinéma L'Arvor", "Salle et projectionniste", True, 80000),
        (BudgetKind.PARTNER, "Association Court-Circuit", "Deux membres du jury", True, 30000),
    ]
    for kind, label, role, in_kind, cents in lines:
        db.session.add(
            BudgetLine(
                edition_id=edition.id,
                kind=kind,
                label=label,
                partner_role=role,
                in_kind=in_kind,
                amount_cents=cents,
            )
        )
    db.session.flush()


# The library's film collection, as its catalogue exports it (record number, title, director,
# year, shelf mark), and which titles staff recommend for which workshop (by number; 0: the
# ceremony).
DEMO_COLLECTION = [
    ("0012345", "La Nuit américaine", "François Truffaut", 1973, "DVD F TRU", (1, 6)),
    ("0012346", "Les Quatre Cents Coups", "François Truffaut", 1959, "DVD F TRU", (2,)),
    ("0012347", "Hitchcock/Truffaut", "Kent Jones", 2015, "DVD DOC JON", (3,)),
    ("0012348", "Fenêtre sur cour", "Alfred Hitchcock", 1954, "DVD F HIT", (3,)),
    ("0012349", "Tangerine", "Sean Baker", 2015, "DVD F BAK", (4,)),
    ("0012350", "À bout de souffle", "Jean-Luc Godard", 1960, "DVD F GOD", (4,)),
    ("0012351", "Le Havre", "Aki Kaurismäki", 2011, "DVD F KAU", (5,)),
    ("0012352", "Bande de filles", "Céline Sciamma", 2014, "DVD F SCI", (6,)),
    ("0012353", "Playtime", "Jacques Tati", 1967, "DVD F TAT", (7, 9)),
    ("0012354", "Chantons sous la pluie", "Stanley Donen", 1952, "DVD F DON", (7,)),
    ("0012355", "Psychose", "Alfred Hitchcock", 1960, "DVD F HIT", (8,)),
    ("0012356", "Whiplash", "Damien Chazelle", 2014, "DVD F CHA", (8,)),
    ("0012357", "Les Parapluies de Cherbourg", "Jacques Demy", 1964, "DVD F DEM", (9,)),
    ("0012358", "Le Cercle rouge", "Jean-Pierre Melville", 1970, "DVD F MEL", (10,)),
    ("0012359", "Cléo de 5 à 7", "Agnès Varda", 1962, "DVD F VAR", (0,)),
    ("0012360", "Portrait de la jeune fille en feu", "Céline Sciamma", 2019, "DVD F SCI", (0,)),
    ("0012361", "Les Misérables", "Ladj Ly", 2019, "DVD F LY", ()),
    ("0012362", "Persepolis", "Marjane Satrapi", 2007, "DVD F SAT", ()),
    ("0012363", "Le Voyage de Chihiro", "Hayao Miyazaki", 2001, "DVD F MIY", ()),
    ("0012364", "Ma vie de Courgette", "Claude Barras", 2016, "DVD F BAR", ()),
    ("0012365", "Les Glaneurs et la glaneuse", "Agnès Varda", 2000, "DVD DOC VAR", ()),
    ("0012366", "Visages villages", "Agnès Varda", 2017, "DVD DOC VAR", ()),
    ("0012367", "Les Temps modernes", "Charlie Chaplin", 1936, "DVD F CHA", ()),
    ("0012368", "Le Mécano de la « General »", "Buster Keaton", 1926, "DVD F KEA", ()),
    ("0012369", "Boyhood", "Richard Linklater", 2014, "DVD F LIN", ()),
    ("0012370", "Tomboy", "Céline Sciamma", 2011, "DVD F SCI", ()),
    ("0012371", "Mon oncle", "Jacques Tati", 1958, "DVD F TAT", ()),
    ("0012372", "Microcosmos", "Claude Nuridsany", 1996, "DVD DOC NUR", ()),
]
DEMO_NOTES = {
    "0012345": "un tournage vu de l'intérieur",
    "0012349": "tourné entièrement avec un smartphone",
    "0012353": "écoutez le son avant de regarder",
}
DEMO_CATALOGUE = "https://catalogue.mediatheque.example/notice/{id}"


def load_demo_collection(edition, rng: random.Random) -> None:
    """The film collection, its catalogue's address, the titles recommended this year, and
    loans this year so far and last year (the report compares them)."""
    collection.import_holdings(
        [
            HoldingRecord(r, title, who, year, shelf)
            for r, title, who, year, shelf, _w in DEMO_COLLECTION
        ],
        "unimarc",
    )
    collection.save_permalink(DEMO_CATALOGUE)
    db.session.flush()
    titles = {t.record_id: t for t in db.session.scalars(select(CollectionTitle))}
    workshops = {w.number: w for w in edition.workshops}
    for record_id, *_fields, numbers in DEMO_COLLECTION:
        for number in numbers:
            note = DEMO_NOTES.get(record_id, "") if number else ""
            collection.attach(titles[record_id], edition, workshops.get(number), note)
    previous = edition_of_year(edition.year - 1)
    today = local_today()
    for season, recommended in ((edition, 3), (previous, 2)):
        if season is None:
            continue
        last = min(season.ceremony_at.date(), today)
        day = season.starts_on
        while day <= last:
            for record_id, *_fields, numbers in DEMO_COLLECTION:
                # A DVD goes out a few times a month; a recommended one more often.
                chance = 0.07 * recommended / 3 if numbers else 0.04
                if rng.random() < chance:
                    collection.record_loans(titles[record_id], day, rng.randint(1, 2))
            day += timedelta(days=1)
    db.session.flush()


def load_last_year(edition, staff, rng: random.Random) -> None:
    """Last year's edition, finished, with a few people who may register again this year."""
    shift = timedelta(weeks=52)
    previous = create_edition(
        year=edition.year - 1,
        title=f"Un Trait Amateur {edition.year - 1}",
        starts_on=edition.starts_on - shift,
        ends_on=edition.ends_on - shift,
        ceremony_at=edition.ceremony_at - shift,
        ceremony_venue=edition.ceremony_venue,
        upload_deadline=edition.upload_deadline - shift,
        capacity=CAPACITY,
        make_current=False,
    )
    for workshop, current in zip(previous.workshops, edition.workshops, strict=True):
        workshop.starts_at = current.starts_at - shift
        workshop.ends_at = current.ends_at - shift
        workshop.room = current.room
    reference = previous.age_reference_date
    for first_name, last_name, age, *_rest in LAST_YEAR_PEOPLE:
        birth_date = _birth_date_for_age(reference, age, rng)
        if first_name == "Léa":  # the same Léa as this year's
            birth_date = next(
                p.birth_date for p in roll_participants(edition) if p.first_name == "Léa"
            )
        slug = f"{first_name}.{last_name}".lower().translate(str.maketrans("éèëïîçâà", "eeeiicaa"))
        minor = is_minor(birth_date)
        data = RegistrationData(
            first_name=first_name,
            last_name=last_name,
            birth_date=birth_date,
            email=f"{slug}@example.org" if first_name != "Léa" else None,
            guardian_name=f"{rng.choice(GUARDIAN_FIRST_NAMES)} {last_name}" if minor else None,
            guardian_email=f"parent.{slug}@example.org" if minor else None,
            consents=dict.fromkeys(ConsentKind, True),
        )
        register_participant(previous, data, recorded_by=staff)
    db.session.flush()


# ---------------------------------------------------------------- films and programme

DEMO_FILMS = [
    # title, synopsis, team [(first name, role)], look, seconds, size, soundtrack dB, portrait
    (
        "La nuit des chats",
        "Deux chats profitent de la fermeture de la médiathèque pour "
        "organiser leur propre séance de cinéma.",
        [("Léa", "direction"), ("Hugo", "camera")],
        "testsrc2",
        8,
        "640x360",
        10.0,
        False,
    ),
    (
        "Le couloir de minuit",
        "Une lycéenne filme le couloir de son immeuble, nuit après nuit. "
        "Un soir, quelqu'un lui répond.",
        [("Inès", "direction"), ("Manon", "acting")],
        "smptehdbars",
        6,
        "640x360",
        -24.0,
        True,
    ),
    (
        "Bus 42",
        "Le dernier bus, un ticket perdu, et dix minutes pour convaincre le chauffeur.",
        [("Nathan", "direction"), ("Jade", "script"), ("Rayan", "sound")],
        "rgbtestsrc",
        7,
        "640x360",
        -8.0,
        False,
    ),
    (
        "Selfie",
        "Un autoportrait en trente plans, tourné à bout de bras.",
        [("Chloé", "direction"), ("Emma", "editing")],
        "testsrc",
        5,
        "640x360",
        -14.0,
        True,
    ),
]
# « Bus 42 », which plays online, comes captioned as a team adds it under Sous-titres: French
# for the deaf and hard of hearing (sounds written out), and English.
DEMO_SUBTITLES = {
    "Bus 42": [
        (
            "fr",
            True,
            "1\n00:00:00,300 --> 00:00:02,500\n[Moteur du bus, portes qui s'ouvrent]\n\n"
            "2\n00:00:02,700 --> 00:00:05,000\n– Votre ticket, s'il vous plaît.\n\n"
            "3\n00:00:05,200 --> 00:00:06,800\n[Bip du valideur]\n",
        ),
        (
            "en",
            False,
            "1\n00:00:02,700 --> 00:00:05,000\n– Your ticket, please.\n",
        ),
    ],
}
DRAFT_FILM = (
    "Premier jet",
    "Le film de Zoé et Tom, en cours de tournage.",
    [("Zoé", "direction"), ("Tom", "camera")],
)


def _participants_by_first_name(edition):
    return {p.first_name: p for p in roll_participants(edition)}


# What a phone films: 1080p with a sensor's grain. Test patterns alone compress far better
# than footage: their 640-pixel still weighs 10 KiB, with this grain 25 KiB, as footage's.
PHONE_FILM_SIZE, PHONE_GRAIN = "1920x1080", 30


def load_demo_films(edition, staff, *, phone_films: bool = False) -> None:
    """A few short generated films, checked and rendered, retained, in a published programme
    of two blocks: what the audience and the projectionist see. Small (640x360) unless
    `phone_films`."""
    people = _participants_by_first_name(edition)
    films = []
    with tempfile.TemporaryDirectory(prefix="demo-films-") as scratch:
        for title, synopsis, team, look, seconds, size, volume, portrait in DEMO_FILMS:
            film = create_film(
                edition,
                title=title,
                synopsis=synopsis,
                created_by=staff,
                team=[TeamEntry(people[name].id, FilmRole(role)) for name, role in team],
            )
            source = Path(scratch) / f"film-{len(films)}.mp4"
            for command in synthetic_film_commands(
                source,
                source=look,
                seconds=seconds,
                size=PHONE_FILM_SIZE if phone_films else size,
                volume_db=volume,
                portrait=portrait,
                grain=PHONE_GRAIN if phone_films else 0,
            ):
                run(command, timeout=120)
            version = FilmVersion(
                film=film, number=1, uploaded_by_id=staff.id, original_filename=f"{title}.mp4"
            )
            db.session.add(version)
            db.session.flush()
            target = media_path(version.original_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
            db.session.commit()
            process_in_full(version.id)
            for language, for_deaf, srt in DEMO_SUBTITLES.get(title, []):
                add_subtitles(
                    film,
                    srt.encode(),
                    filename=f"{title}.{language}.srt",
                    language=language,
                    for_deaf=for_deaf,
                    by=staff,
                )
            decide(
                film, ReviewDecision.SELECTED, note="Bravo, retenu pour la cérémonie !", by=staff
            )
            films.append(film)
    title, synopsis, team = DRAFT_FILM
    create_film(
        edition,
        title=title,
        synopsis=synopsis,
        created_by=staff,
        team=[TeamEntry(people[name].id, FilmRole(role)) for name, role in team],
    )

    first = add_block(
        edition,
        title="Première partie",
        starts_at=edition.ceremony_at,
        planned_minutes=40,
    )
    add_moment(
        first,
        kind=ItemKind.WELCOME,
        title="Mot d'accueil de la médiathèque",
        duration_seconds=10 * 60,
    )
    add_film(first, films[0])
    add_film(first, films[1])
    add_moment(first, kind=ItemKind.INTERMISSION, title="", duration_seconds=15 * 60)
    second = add_block(
        edition,
        title="Seconde partie",
        starts_at=edition.ceremony_at + timedelta(minutes=45),
        planned_minutes=40,
    )
    add_film(second, films[2])
    add_film(second, films[3])
    add_moment(
        second, kind=ItemKind.AWARDS, title="Remise des prix du jury", duration_seconds=20 * 60
    )
    publish(edition)
    db.session.commit()


def demo_accounts() -> list[tuple[str, str]]:
    accounts = [(role.value, login) for role, login, _name in STAFF_ACCOUNTS]
    accounts.append((Role.PARTICIPANT.value, PARTICIPANT_LOGIN))
    return accounts

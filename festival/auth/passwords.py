"""What a password must be: long enough, and not one of the first ones an attacker tries."""

from __future__ import annotations

from flask_babel import gettext as _

MIN_PASSWORD_LENGTH = 8

# The most used passwords of 8 characters or more in public breach lists, French ones included:
# tried first by anyone guessing, so refused outright.
COMMON_PASSWORDS = frozenset(
    [
        "12345678",
        "123456789",
        "1234567890",
        "12345678910",
        "123123123",
        "11111111",
        "00000000",
        "88888888",
        "87654321",
        "password",
        "password1",
        "password123",
        "passw0rd",
        "motdepasse",
        "motdepasse1",
        "azertyuiop",
        "azerty123",
        "azerty12",
        "azertyui",
        "qwertyuiop",
        "qwerty123",
        "qwerty12",
        "iloveyou",
        "iloveyou1",
        "jetaime123",
        "doudou123",
        "soleil123",
        "bonjour123",
        "marseille",
        "chocolat",
        "chouchou",
        "loulou123",
        "princesse",
        "football1",
        "football",
        "baseball",
        "sunshine",
        "superman",
        "superman1",
        "starwars",
        "whatever",
        "trustno1",
        "letmein1",
        "welcome1",
        "welcome123",
        "abcdefgh",
        "abcd1234",
        "a1234567",
        "aaaaaaaa",
        "azertyazerty",
        "1q2w3e4r",
        "1q2w3e4r5t",
        "1qaz2wsx",
        "zaq12wsx",
        "qazwsxedc",
        "q1w2e3r4",
        "q1w2e3r4t5",
        "123qweasd",
        "123abc123",
        "abc12345",
        "abcdef123",
        "liverpool",
        "arsenal1",
        "minecraft",
        "pokemon1",
        "fortnite",
        "naruto123",
        "dragon123",
        "monkey123",
        "shadow123",
        "master123",
        "michael1",
        "jennifer",
        "charlie1",
        "computer",
        "internet",
        "samsung1",
        "google123",
        "festival",
        "festival1",
        "mediatheque",
    ]
)


def password_problem(password: str | None, *, login: str | None = None) -> str | None:
    """A French sentence saying what is wrong with this password, or None when it will do."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Choisissez un mot de passe d'au moins %(n)s caractères.", n=MIN_PASSWORD_LENGTH)
    lowered = password.lower()
    if (
        lowered in COMMON_PASSWORDS
        or len(set(password)) <= 2
        or (login and lowered in {login.lower(), login.lower().split("@")[0]})
    ):
        return _(
            "Ce mot de passe est parmi les premiers qu'on essaie pour deviner un compte : "
            "choisissez-en un autre, par exemple trois mots qui n'ont rien à voir."
        )
    return None

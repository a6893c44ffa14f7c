"""How a person's contact details are kept, whoever typed them: the online form, staff at the
desk, the API or a librarian's spreadsheet. One home for the rules, so that a number or a town
reads the same on every surface and a re-import finds what the first import stored.

- e-mail addresses: checked by email-validator (the same check as the forms' field);
- phones: libphonenumber's French rules, written as France writes them (« 06 12 34 56 78 »),
  foreign numbers in their international form; the apostrophe Excel adds is dropped;
- towns: INSEE's official name (« Vaulx-en-Velin »), or nothing when what was typed is an
  address we cannot place: the platform never keeps a minor's street address.
"""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from festival.communes import official_commune

DEFAULT_PHONE_REGION = "FR"


def email_problem(address: str | None) -> str | None:
    """A sentence saying what is wrong with the address, or None when it can be written to."""
    if not address or not address.strip():
        return None
    try:
        validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError:
        return _(
            "Adresse e-mail illisible : « %(value)s ». Vérifiez-la (exemple : prenom@exemple.fr).",
            value=address.strip(),
        )
    return None


def _phone_text(typed: str) -> str:
    # Excel's text marker (« '0612… ») and the dots and slashes people put between pairs.
    return typed.strip().lstrip("'").strip()


def phone_problem(typed: str | None) -> str | None:
    if not typed or not _phone_text(typed):
        return None
    try:
        number = phonenumbers.parse(_phone_text(typed), DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        return _(
            "Numéro de téléphone incomplet ou illisible : « %(value)s ». Écrivez ses dix "
            "chiffres (06 12 34 56 78) ou, hors de France, le numéro avec son indicatif (+44…).",
            value=_phone_text(typed),
        )
    return None


def phone_for_record(typed: str | None) -> str | None:
    """The number as France writes it; what was typed, tidied, when it is not a number."""
    if not typed or not _phone_text(typed):
        return None
    text = _phone_text(typed)
    try:
        number = phonenumbers.parse(text, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return re.sub(r"\s+", " ", text)
    if not phonenumbers.is_possible_number(number):
        return re.sub(r"\s+", " ", text)
    if number.country_code == phonenumbers.country_code_for_region(DEFAULT_PHONE_REGION):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def commune_for_record(typed: str | None) -> str | None:
    """The official name of the town in what was typed; a name we cannot place is kept as
    typed only when it holds no digit (« 12 rue des Lilas » is an address, never kept)."""
    if not typed or not typed.strip():
        return None
    official = official_commune(typed)
    if official:
        return official
    text = re.sub(r"\s+", " ", typed.strip())
    if any(character.isdigit() for character in text):
        return None
    return text

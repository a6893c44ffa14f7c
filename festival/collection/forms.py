"""The collection page's forms."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

CEREMONY = "ceremony"


class CatalogueFileForm(FlaskForm):
    catalogue_file = FileField(
        _l("Export du catalogue"),
        description=_l(
            "UNIMARC ou MARC21, en ISO 2709 (.mrc, .iso) ou MARCXML (.xml), ou un tableau "
            "(.csv, .xlsx, .ods) avec au moins les colonnes « Titre » et « N° de notice »."
        ),
        validators=[FileRequired(_l("Choisissez le fichier exporté du catalogue."))],
    )


class PermalinkForm(FlaskForm):
    permalink = StringField(
        _l("Adresse d'une notice dans le catalogue"),
        description=_l(
            "Avec {id} à la place du numéro de notice, par exemple "
            "https://catalogue.mediatheque.fr/notice/{id}. Vide : pas de lien."
        ),
        validators=[Optional(), Length(max=300)],
    )


class AttachForm(FlaskForm):
    title_id = HiddenField(validators=[DataRequired()])
    target = SelectField(_l("Conseillé pour"), choices=[], validate_choice=True)
    note = StringField(
        _l("Note (facultatif)"),
        description=_l("Par exemple : « à voir avant l'atelier cadrage »."),
        validators=[Optional(), Length(max=200)],
    )


class LoansFileForm(FlaskForm):
    loans_file = FileField(
        _l("Prêts exportés du catalogue"),
        description=_l(
            "Un tableau (.csv, .xlsx, .ods) : une ligne par prêt avec le n° de notice et la "
            "date, ou une ligne par titre et par jour avec le nombre de prêts. Les colonnes sur "
            "les lecteurs et lectrices ne sont jamais lues."
        ),
        validators=[FileRequired(_l("Choisissez le fichier des prêts."))],
    )


class LoanEntryForm(FlaskForm):
    record_id = StringField(
        _l("N° de notice"),
        validators=[DataRequired(_l("Indiquez le n° de notice.")), Length(max=64)],
    )
    day = DateField(_l("Jour"), validators=[DataRequired(_l("Indiquez le jour des prêts."))])
    loans = IntegerField(
        _l("Nombre de prêts"),
        default=1,
        validators=[
            DataRequired(_l("Indiquez le nombre de prêts.")),
            NumberRange(min=1, max=10000, message=_l("Entre 1 et 10 000 prêts.")),
        ],
    )


def target_choices(edition) -> list[tuple[str, str]]:
    return [
        *(
            (str(w.id), _("Atelier %(n)s — %(title)s", n=w.number, title=w.title))
            for w in edition.workshops
        ),
        (CEREMONY, _("La cérémonie")),
    ]

"""Towns as the State names them, from what families type."""

from __future__ import annotations

import pytest

from festival.communes import official_commune


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("Villeurbanne", "Villeurbanne"),
        ("VAULX EN VELIN", "Vaulx-en-Velin"),
        ("st genis laval", "Saint-Genis-Laval"),
        ("Ste-Foy-lès-Lyon", "Sainte-Foy-lès-Lyon"),
        ("saint etienne", "Saint-Étienne"),
        ("12 rue des Lilas Brignais", "Brignais"),  # an address where a town was asked
        ("Brignais 69530", "Brignais"),
        ("  l'abergement clemenciat ", "L'Abergement-Clémenciat"),
        ("rue de la Paix", None),
        ("Lyon 3e", "Lyon"),  # a district after the name
        ("Marseille 8eme arrondissement", "Marseille"),
        ("Rue", "Rue"),  # a commune of the Somme, when it is all that is typed
        ("chez moi", None),
        ("", None),
        (None, None),
    ],
)
def test_a_typed_town_becomes_its_official_name_or_nothing(typed, official):
    assert official_commune(typed) == official

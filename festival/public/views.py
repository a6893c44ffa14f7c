"""The audience's pages. For now: the edition, its workshops and how to take part."""

from __future__ import annotations

from flask import Blueprint, render_template

from festival.clock import local_now
from festival.workshops.services import current_edition

bp = Blueprint("public", __name__)


@bp.route("/")
def home():
    edition = current_edition()
    return render_template("public/home.html", edition=edition, now=local_now())


@bp.route("/confidentialite")
def privacy():
    return render_template("public/privacy.html", edition=current_edition())

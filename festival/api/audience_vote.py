"""/api/v1/audience-vote: ballot codes, opening and closing the vote, ballots, results."""

from __future__ import annotations

import marshmallow as ma
from flask import abort, jsonify
from flask_babel import gettext as _
from flask_login import current_user

from festival.api.security import ApiBlueprint, public_operation, staff_only
from festival.awards import palmares, vote
from festival.awards.models import Grade, VoteStatus
from festival.editions.loader import current_edition_or_404
from festival.extensions import db
from festival.films import publication

blp = ApiBlueprint(
    "api_audience_vote",
    __name__,
    url_prefix="/api/v1/audience-vote",
    description="Vote du public (jugement majoritaire)",
)
SECURITY = [{"bearerAuth": []}]
GRADES = [g.value for g in Grade]


class CodesRequestSchema(ma.Schema):
    count = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(1, vote.MAX_CODES_AT_ONCE),
        metadata={"description": "Combien de cartes imprimer"},
    )


class CodesSchema(ma.Schema):
    codes = ma.fields.List(ma.fields.String())


class VoteStateSchema(ma.Schema):
    status = ma.fields.String(metadata={"enum": [s.value for s in VoteStatus]})
    ballots = ma.fields.Integer()


class BallotRequestSchema(ma.Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Length(1, 32))
    grades = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(validate=ma.validate.OneOf(GRADES)),
        required=True,
        metadata={"description": "Pour chaque film de la cérémonie (son id) : sa mention"},
    )


class BallotSchema(ma.Schema):
    id = ma.fields.Integer()
    cast_at = ma.fields.DateTime()


class FilmResultSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    median = ma.fields.String(allow_none=True, metadata={"enum": GRADES})
    rank = ma.fields.Integer()
    profile = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    missing_grades = ma.fields.Integer(
        metadata={
            "description": "Bulletins votés avant l'entrée du film au vote : comptés "
            "« a_rejeter » dans son profil"
        }
    )
    tie_broken = ma.fields.Boolean(
        metadata={
            "description": "Même mention médiane que le film précédent, classé après lui en "
            "retirant les mentions médianes une à une"
        }
    )


class ResultsSchema(ma.Schema):
    ballots = ma.fields.Integer()
    films = ma.fields.List(ma.fields.Nested(FilmResultSchema))


def results_document(results: vote.VoteResults) -> dict:
    return {
        "ballots": results.ballots,
        "films": [
            {
                "id": film_vote.film.id,
                "title": publication.shown_title(film_vote.film),
                "median": film_vote.median.value if film_vote.median else None,
                "rank": film_vote.rank,
                "profile": {grade.value: count for grade, count in film_vote.profile.items()},
                "missing_grades": film_vote.missing,
                "tie_broken": film_vote.after_tie_break,
            }
            for film_vote in results.films
        ],
    }


@blp.route("/codes", methods=["POST"])
@blp.doc(security=SECURITY)
@blp.arguments(CodesRequestSchema)
@blp.response(201, CodesSchema)
@staff_only
def create_codes(payload):
    """Des codes de vote, un par carte à distribuer à l'entrée (équipe)."""
    codes = vote.generate_codes(current_edition_or_404(), payload["count"])
    db.session.commit()
    return {"codes": codes}


def _set_status(status: VoteStatus) -> dict:
    edition = current_edition_or_404()
    progress = vote.set_vote_status(edition, status)
    db.session.commit()
    return {"status": progress.vote_status.value, "ballots": vote.vote_results(edition).ballots}


@blp.route("/open", methods=["POST"])
@blp.doc(security=SECURITY)
@blp.response(200, VoteStateSchema)
@staff_only
def open_vote():
    """Ouvrir le vote du public (équipe)."""
    return _set_status(VoteStatus.OPEN)


@blp.route("/close", methods=["POST"])
@blp.doc(security=SECURITY)
@blp.response(200, VoteStateSchema)
@blp.alt_response(422, description="Le vote n'est pas ouvert")
@staff_only
def close_vote():
    """Clore le vote du public (équipe) ; le prix du public va au film classé premier."""
    return _set_status(VoteStatus.CLOSED)


@blp.route("/ballots", methods=["POST"])
@blp.arguments(BallotRequestSchema)
@blp.response(201, BallotSchema)
@blp.alt_response(404, description="Code inconnu")
@blp.alt_response(409, description="Code déjà utilisé, ou vote pas ouvert")
@blp.alt_response(422, description="Un film hors de la cérémonie, ou une mention manquante")
@public_operation
def cast_ballot(payload):
    """Voter avec le code d'une carte : une mention pour chaque film de la cérémonie (public).

    Mentions : `excellent`, `tres_bien`, `bien`, `assez_bien`, `passable`, `a_rejeter`. Un code
    vote une seule fois.
    """
    try:
        return vote.cast_ballot(payload["code"], payload["grades"])
    except vote.VoteRefused as refusal:
        db.session.rollback()
        error = {"code": refusal.code, "message": refusal.message}
        if refusal.field:
            error["fields"] = {refusal.field: refusal.message}
        response = jsonify(error=error)
        response.status_code = refusal.status
        return response


@blp.route("/results", methods=["GET"])
@blp.doc(security=SECURITY)
@blp.response(200, ResultsSchema)
@blp.alt_response(403, description="Pas encore publiés")
@public_operation
def get_results():
    """Les résultats, films classés par jugement majoritaire avec leur profil de mérite.

    L'équipe les voit à tout moment ; le public une fois le palmarès publié.
    """
    edition = current_edition_or_404()
    is_staff = current_user.is_authenticated and current_user.is_staff
    if not is_staff and not palmares.is_palmares_published(edition):
        abort(403, _("Les résultats du vote seront publics avec le palmarès."))
    return results_document(vote.vote_results(edition))

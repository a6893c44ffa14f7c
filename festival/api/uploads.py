"""The tus 1.0.0 server: core, creation, termination, checksum and expiration.

Any standard tus client works against it; the film page uses tus-js-client.
"""

from __future__ import annotations

from email.utils import format_datetime

from flask import Response, current_app, jsonify, request, url_for
from flask_babel import gettext as _

from festival.api.security import ApiBlueprint, require_user
from festival.clock import as_aware_utc
from festival.errors import PermissionDenied
from festival.extensions import db
from festival.films import uploads
from festival.films.models import Film, Upload
from festival.films.rights import can_view
from festival.films.uploads import UploadRefused
from festival.transactions import commit_retrying

blp = ApiBlueprint(
    "api_uploads",
    __name__,
    url_prefix="/api/v1",
    description="Envoi des films par le protocole tus 1.0.0 (reprise après coupure)",
)

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination,checksum,expiration"
TUS_HEADERS_DOC = {
    "Tus-Resumable": {"description": "1.0.0", "schema": {"type": "string"}},
}


def tus_response(status: int, headers: dict | None = None, body=None) -> Response:
    response = jsonify(body) if body is not None else Response(status=status)
    response.status_code = status
    response.headers["Tus-Resumable"] = TUS_VERSION
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = str(value)
    return response


def tus_error(status: int, message: str, code: str, headers: dict | None = None) -> Response:
    return tus_response(status, headers, {"error": {"code": code, "message": message}})


def _options_headers() -> dict:
    return {
        "Tus-Version": TUS_VERSION,
        "Tus-Extension": TUS_EXTENSIONS,
        "Tus-Max-Size": current_app.config["UPLOAD_MAX_BYTES"],
        "Tus-Checksum-Algorithm": ",".join(uploads.CHECKSUM_ALGORITHMS),
    }


def _version_refusal() -> Response | None:
    """Every request but OPTIONS must speak tus 1.0.0."""
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        return tus_error(
            412,
            _("Version du protocole tus non prise en charge : utilisez 1.0.0."),
            "tus_version",
            {"Tus-Version": TUS_VERSION},
        )
    return None


def _int_header(name: str) -> int | None:
    value = request.headers.get(name, "")
    # ASCII digits only: "²" is a digit to str.isdigit() but not to int().
    return int(value) if value.isascii() and value.isdigit() else None


def _expires(upload: Upload) -> str:
    return format_datetime(as_aware_utc(upload.expires_at), usegmt=True)


TUS_RESUMABLE = {
    "in": "header",
    "name": "Tus-Resumable",
    "required": True,
    "schema": {"type": "string", "enum": [TUS_VERSION]},
}
TUS_ERRORS = {
    "401": {"description": "Pas de jeton, ou jeton expiré"},
    "404": {"description": "Inconnu, ou ne vous concerne pas"},
    "412": {"description": "Version du protocole tus non prise en charge"},
}
OPTIONS_DOC = {
    "security": [],
    "summary": "Capacités du serveur tus (sans authentification, comme le veut le protocole)",
    "responses": {"204": {"description": "En-têtes Tus-Version, Tus-Extension, Tus-Max-Size"}},
}


def options_response() -> Response:
    return tus_response(204, _options_headers())


@blp.route(
    "/films/<int:film_id>/uploads",
    methods=["OPTIONS"],
    endpoint="film_uploads_options",
    provide_automatic_options=False,
)
@blp.doc(**OPTIONS_DOC)
def film_uploads_options(film_id: int):
    return options_response()


@blp.route("/films/<int:film_id>/uploads", methods=["POST"])
@blp.doc(
    security=[{"bearerAuth": []}],
    summary="Créer un envoi tus pour une nouvelle version du film",
    parameters=[
        TUS_RESUMABLE,
        {
            "in": "header",
            "name": "Upload-Length",
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
        },
        {
            "in": "header",
            "name": "Upload-Metadata",
            "schema": {"type": "string"},
            "description": "filename <base64>",
        },
    ],
    responses={
        "201": {"description": "Créé ; l'en-tête Location donne l'adresse de l'envoi"},
        "400": {"description": "Taille absente ou en-têtes mal formés"},
        "403": {"description": "Envois fermés pour ce film"},
        "413": {"description": "Fichier trop gros ou quota dépassé"},
        **TUS_ERRORS,
    },
)
def create_upload(film_id: int):
    early = _version_refusal()
    if early is not None:
        return early
    user = require_user()
    film = db.session.get(Film, film_id)
    if film is None or not can_view(user, film):
        return tus_error(404, _("Aucun film à ce numéro, ou il ne vous concerne pas."), "not_found")
    if "Upload-Defer-Length" in request.headers:
        return tus_error(
            400, _("Indiquez la taille du fichier dès le début (Upload-Length)."), "defer_length"
        )
    header = request.headers.get("Upload-Metadata")
    try:
        upload = commit_retrying(
            lambda: uploads.create_upload(
                film,
                user=user,
                length=_int_header("Upload-Length"),
                metadata=uploads.parse_metadata(header),
                metadata_header=header,
            )
        )
    except UploadRefused as refusal:
        db.session.rollback()
        return tus_error(refusal.status, refusal.message, refusal.code)
    except PermissionDenied as denied:
        db.session.rollback()
        return tus_error(403, denied.message, "forbidden")
    return tus_response(
        201,
        {
            "Location": url_for("api_uploads.upload_offset", upload_id=upload.id),
            "Upload-Expires": _expires(upload),
            "Upload-Offset": 0,
        },
    )


def _upload_for(upload_id: str, user) -> Upload | None:
    upload = db.session.get(Upload, upload_id)
    if upload is None or (upload.user_id != user.id and not user.is_staff):
        return None
    return upload


@blp.route(
    "/uploads/<upload_id>",
    methods=["OPTIONS"],
    endpoint="upload_options",
    provide_automatic_options=False,
)
@blp.doc(**OPTIONS_DOC)
def upload_options(upload_id: str):
    return options_response()


@blp.route("/uploads/<upload_id>", methods=["HEAD"])
@blp.doc(
    security=[{"bearerAuth": []}],
    summary="Où en est l'envoi : pour reprendre après une coupure",
    parameters=[TUS_RESUMABLE],
    responses={"200": {"description": "Upload-Offset et Upload-Length"}, **TUS_ERRORS},
)
def upload_offset(upload_id: str):
    return _upload(upload_id)


@blp.route("/uploads/<upload_id>", methods=["PATCH"])
@blp.doc(
    security=[{"bearerAuth": []}],
    summary="Envoyer un morceau du fichier à partir de Upload-Offset",
    parameters=[
        TUS_RESUMABLE,
        {
            "in": "header",
            "name": "Upload-Offset",
            "required": True,
            "schema": {"type": "integer", "minimum": 0},
        },
        {
            "in": "header",
            "name": "Upload-Checksum",
            "schema": {"type": "string"},
            "description": "sha1 ou sha256, en base64",
        },
    ],
    requestBody={
        "required": True,
        "content": {
            "application/offset+octet-stream": {"schema": {"type": "string", "format": "binary"}}
        },
    },
    responses={
        "204": {"description": "Morceau reçu ; Upload-Offset donne le nouveau décalage"},
        "400": {"description": "En-tête manquant ou mal formé"},
        "403": {"description": "Envoi terminé, ou envois fermés"},
        "409": {
            "description": "Décalage incorrect, ou un autre envoi du même fichier est en cours"
        },
        "413": {"description": "Le morceau dépasse la taille annoncée"},
        "415": {"description": "Content-Type autre que application/offset+octet-stream"},
        "460": {"description": "Somme de contrôle incorrecte : le morceau est à renvoyer"},
        "507": {"description": "Le serveur manque de place ; l'envoi reprendra plus tard"},
        **TUS_ERRORS,
    },
)
def upload_chunk(upload_id: str):
    return _upload(upload_id)


@blp.route("/uploads/<upload_id>", methods=["DELETE"])
@blp.doc(
    security=[{"bearerAuth": []}],
    summary="Abandonner un envoi : le fichier partiel est supprimé",
    parameters=[TUS_RESUMABLE],
    responses={
        "204": {"description": "Abandonné"},
        "403": {"description": "Envoi déjà terminé"},
        **TUS_ERRORS,
    },
)
def upload_terminate(upload_id: str):
    return _upload(upload_id)


def _upload(upload_id: str) -> Response:
    early = _version_refusal()
    if early is not None:
        return early
    user = require_user()
    found = _upload_for(upload_id, user)
    if found is None:
        return tus_error(
            404, _("Cet envoi n'existe pas ou plus : recommencez l'envoi du fichier."), "not_found"
        )
    if request.method == "HEAD":  # read-only: a request still writing holds the file
        return tus_response(
            200,
            {
                "Upload-Offset": uploads.received_offset(found),
                "Upload-Length": found.length,
                "Upload-Expires": _expires(found),
            },
        )
    if request.method == "DELETE":
        if found.is_complete:
            return tus_error(
                403, _("Cet envoi est terminé : il ne peut plus être annulé."), "complete"
            )
        try:
            uploads.terminate(found)
        except UploadRefused as refusal:
            db.session.rollback()
            return tus_error(refusal.status, refusal.message, refusal.code)
        db.session.commit()
        return tus_response(204)
    return _patch(found, user)


def _patch(found: Upload, user) -> Response:
    # A piece of a film may be larger than any other request: it streams to disk as it comes,
    # and `receive` refuses bytes past the length the upload announced.
    request.max_content_length = current_app.config["UPLOAD_MAX_BYTES"]
    # A phone that stops sending mid-piece must not hold a server thread for ever: each read
    # waits this long at most, then what arrived is kept and the thread is free again.
    server_socket = request.environ.get("gunicorn.socket")
    if server_socket is not None:
        server_socket.settimeout(current_app.config["UPLOAD_READ_TIMEOUT_SECONDS"])
    if request.mimetype != "application/offset+octet-stream":
        return tus_error(
            415,
            _("Envoyez le morceau avec Content-Type: application/offset+octet-stream."),
            "content_type",
        )
    offset = _int_header("Upload-Offset")
    if offset is None:
        return tus_error(400, _("L'en-tête Upload-Offset manque."), "offset_missing")
    try:
        checksum = uploads.Checksum.parse(request.headers.get("Upload-Checksum"))
        new_offset, version = uploads.receive(
            found,
            offset=offset,
            body=request.stream,
            content_length=request.content_length,
            checksum=checksum,
            by=user,
            save=db.session.commit,
        )
    except UploadRefused as refusal:
        db.session.rollback()  # what was received is already saved, under the upload's lock
        return tus_error(refusal.status, refusal.message, refusal.code)
    headers = {"Upload-Offset": new_offset, "Upload-Expires": _expires(found)}
    if version is not None:
        headers["Film-Version"] = version.number
    return tus_response(204, headers)

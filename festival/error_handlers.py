"""One error handler per surface: JSON under /api/, a French page everywhere else."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from festival.errors import NotFound, PermissionDenied, ValidationError
from festival.extensions import db

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "server_error",
}


def default_message(status: int) -> str:
    messages = {
        400: _("La requête est incomplète ou mal formée : vérifiez ce que vous avez envoyé."),
        401: _("Connectez-vous pour accéder à cette page."),
        403: _(
            "Vous n'avez pas accès à cette page. Si vous pensez que c'est une erreur, "
            "adressez-vous à l'équipe de la médiathèque."
        ),
        404: _("Cette page n'existe pas ou plus. Vérifiez l'adresse, ou revenez à l'accueil."),
        405: _("Cette action n'est pas possible à cette adresse."),
        410: _("Ces données ont été effacées."),
        413: _(
            "Ce que vous avez envoyé est trop volumineux : pour une image, choisissez un "
            "fichier de moins de 25 Mo ; un film s'envoie depuis sa page."
        ),
        415: _("Ce type de contenu n'est pas accepté ici."),
        422: _("Certaines informations sont refusées : corrigez les champs indiqués."),
        429: _("Trop de tentatives en peu de temps. Patientez une minute avant de réessayer."),
        500: _(
            "Une erreur inattendue s'est produite de notre côté. Réessayez dans un instant ; "
            "si elle persiste, prévenez l'équipe de la médiathèque."
        ),
    }
    return messages.get(status, messages[400] if status < 500 else messages[500])


def wants_json() -> bool:
    """The API, and the pages' own scripts (which ask for JSON), get JSON errors."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _flatten(messages: Any, prefix: str = "") -> dict[str, str]:
    """webargs nests errors by location and field; callers want one sentence per field."""
    flat: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key in ("json", "query", "form", "headers", "files", "view_args") and not prefix:
                flat.update(_flatten(value, ""))
                continue
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
    elif isinstance(messages, list | tuple):
        if all(isinstance(m, str) or hasattr(m, "format") for m in messages) and messages:
            flat[prefix or "_schema"] = str(messages[0])
        else:
            for value in messages:
                flat.update(_flatten(value, prefix))
    else:
        flat[prefix or "_schema"] = str(messages)
    return flat


def json_error(status: int, message: str | None = None, fields: dict | None = None, headers=None):
    body: dict[str, Any] = {
        "code": ERROR_CODES.get(status, "error"),
        "message": message or default_message(status),
    }
    if fields:
        body["fields"] = fields
    response = jsonify(error=body)
    response.status_code = status
    if headers:
        response.headers.update(headers)
    return response


def html_error(status: int, message: str | None = None):
    return (
        render_template(
            "errors/error.html", status=status, message=message or default_message(status)
        ),
        status,
    )


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    fields = _flatten(data.get("messages")) if "messages" in data else None
    # A message given to abort() is ours and already in French; werkzeug's defaults are not.
    message = data.get("message")
    if message is None and error.description and error.description != type(error).description:
        message = error.description
    if status == 429:
        message = default_message(429)
    if status == 422 and fields and not message:
        first_field, first_message = next(iter(fields.items()))
        message = _("%(field)s : %(message)s", field=first_field, message=first_message)
    # A 405 says which methods the address accepts (RFC 9110), on pages and in the API.
    allow = {k: v for k, v in error.get_headers() if k == "Allow"}
    if wants_json():
        headers = {**(data.get("headers") or {}), **allow}
        if status == 401 and request.authorization is None:
            headers = {**headers, "WWW-Authenticate": 'Bearer realm="festival"'}
        return json_error(status, message, fields, headers)
    body, status = html_error(status, message)
    return body, status, allow


def handle_csrf_error(error: CSRFError):
    if request.endpoint == "workshops.roll_call":
        message = _(
            "Le formulaire a expiré ou ne vient pas de ce site : rechargez la page et "
            "recommencez. Ce que vous aviez coché sur la feuille d'appel est gardé sur cet "
            "appareil."
        )
    else:
        message = _(
            "Le formulaire a expiré ou ne vient pas de ce site : rechargez la page et recommencez."
        )
    if wants_json():
        return json_error(400, message)
    return html_error(400, message)


def handle_validation_error(error: ValidationError):
    if wants_json():
        return json_error(422, error.message, error.fields)
    return html_error(400, error.message)


def handle_permission_denied(error: PermissionDenied):
    if wants_json():
        return json_error(403, error.message)
    return html_error(403, error.message)


def handle_not_found(error: NotFound):
    if wants_json():
        return json_error(404, error.message)
    return html_error(404, error.message)


def handle_out_of_range(error: DataError | OverflowError):
    """A number or text the database cannot hold (a hand-made request): refused, nothing kept."""
    db.session.rollback()
    current_app.logger.warning("Refused out-of-range data on %s %s", request.method, request.path)
    message = _(
        "Une des valeurs envoyées est hors des limites acceptées : vérifiez les nombres et "
        "les identifiants, puis recommencez."
    )
    if wants_json():
        return json_error(422, message)
    return html_error(400, message)


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    current_app.logger.exception("Unexpected error on %s %s", request.method, request.path)
    if wants_json():
        return json_error(500)
    try:
        return html_error(500)
    except Exception:  # the error page itself failed (a template error): plain text still helps
        return InternalServerError().get_response()


def handle_untrusted_host(_error: SecurityError):
    """A Host header this site does not answer to: no page is rendered for it (no URL can be
    built for an unknown host), just a sentence."""
    return (
        "Adresse inconnue : ouvrez le site à son adresse publique.\n",
        400,
        {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"},
    )


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(SecurityError, handle_untrusted_host)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(PermissionDenied, handle_permission_denied)
    app.register_error_handler(NotFound, handle_not_found)
    app.register_error_handler(DataError, handle_out_of_range)
    app.register_error_handler(OverflowError, handle_out_of_range)  # SQLite's own refusal
    app.register_error_handler(Exception, handle_unexpected)

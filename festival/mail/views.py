"""Stopping the optional messages (anyone, from the link in a message), and the staff's outbox."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from festival.auth.decorators import staff_required
from festival.extensions import csrf, db
from festival.forms import EmptyForm
from festival.mail import services
from festival.mail.models import EmailStatus, OutgoingEmail
from festival.mail.tokens import address_of_opt_out_token

bp = Blueprint("mail", __name__)


@bp.route("/courriels/arret/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; mail programs post here in one click (RFC 8058)
def stop(token: str):
    address = address_of_opt_out_token(token)
    if address is None:
        abort(404, _("Ce lien n'est pas valide : utilisez celui du dernier message reçu."))
    if request.method == "POST":
        services.opt_out(address)
        db.session.commit()
        return render_template("mail/stopped.html", address=address)
    return render_template(
        "mail/stop.html", address=address, already=services.has_opted_out(address)
    )


@bp.route("/equipe/courriels")
@staff_required
def outbox():
    listed = services.outbox_page(request.args.get("page", 1, type=int))
    return render_template(
        "mail/outbox.html",
        emails=listed.items,
        listed=listed,
        failed=services.failed_emails(),
        EmailStatus=EmailStatus,
        form=EmptyForm(),
    )


@bp.route("/equipe/courriels/<int:email_id>")
@staff_required
def email_detail(email_id: int):
    email = db.session.get(OutgoingEmail, email_id) or abort(404)
    return render_template(
        "mail/detail.html", email=email, EmailStatus=EmailStatus, form=EmptyForm()
    )


@bp.route("/equipe/courriels/<int:email_id>/renvoyer", methods=["POST"])
@staff_required
def email_resend(email_id: int):
    email = db.session.get(OutgoingEmail, email_id) or abort(404)
    if EmptyForm().validate_on_submit():
        services.resend(email)
        db.session.commit()
        flash(_("Le message à %(to)s repart.", to=email.to_address), "success")
    return redirect(url_for("mail.outbox"))

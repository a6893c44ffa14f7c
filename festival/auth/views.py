"""Sign-in and sign-out, one-time codes, password, language."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from festival.auth import limits, services, tasks
from festival.auth.decorators import roles_required
from festival.auth.forms import (
    CodeForm,
    ConfirmCodeForm,
    ForgottenPasswordForm,
    LoginForm,
    LogoutForm,
    SetPasswordForm,
)
from festival.auth.labels import ROLE_LABELS
from festival.auth.models import Role, User
from festival.auth.services import set_password
from festival.errors import ValidationError
from festival.extensions import db, limiter
from festival.forms import EmptyForm, form_action
from festival.mail.services import queue_email
from festival.responses import absolute_url, safe_next_url

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT"]


def _failed_attempt(_response) -> bool:
    return bool(g.get("sign_in_failed"))


def home_for(user: User) -> str:
    if user.is_staff:
        return url_for("workshops.dashboard")
    if user.role == Role.FACILITATOR:
        return url_for("workshops.my_workshops")
    if user.role == Role.PARTICIPANT:
        return url_for("people.my_space")
    if user.role == Role.JURY:
        return url_for("awards.jury_film_list")
    return url_for("public.home")


def sign_in(user: User, *, remember: bool = False) -> None:
    # A fresh session on sign-in: nothing planted before it (session fixation) survives.
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    services.start_device_session(user, remember=remember)
    login_user(user, remember=remember)
    services.record_sign_in(user)
    db.session.commit()


@bp.route("/connexion", methods=["GET", "POST"])
@limits.per_address
@limits.per_account
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is None:
            g.sign_in_failed = True
            form.password.errors.append(
                _(
                    "E-mail/identifiant ou mot de passe incorrect. Vérifiez-les, ou demandez un "
                    "code de connexion à l'équipe de la médiathèque."
                )
            )
        else:
            sign_in(user, remember=form.remember.data)
            flash(_("Bonjour %(name)s, vous êtes connecté·e.", name=user.display_name), "success")
            return redirect(safe_next_url(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", form=form, code_form=CodeForm())


@bp.route("/deconnexion", methods=["POST"])
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            # Every copy of this account's cookies and tokens stops working, not only this one.
            services.end_every_session(current_user)
            db.session.commit()
        logout_user()
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        flash(_("Vous êtes déconnecté·e. À bientôt !"), "success")
    return redirect(url_for("public.home"))


@bp.route("/connexion/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed_attempt)
def login_with_code():
    form = CodeForm()
    if form.validate_on_submit():
        user = services.redeem_login_code(form.code.data)
        if user is None:
            g.sign_in_failed = True
            form.code.errors.append(
                _(
                    "Ce code n'est pas valable : il a peut-être déjà servi ou expiré. "
                    "Demandez-en un nouveau à l'équipe."
                )
            )
        else:
            sign_in(user)  # a shared library computer must not keep the teen signed in
            flash(
                _(
                    "Bienvenue ! Choisissez maintenant un mot de passe pour vos prochaines "
                    "connexions."
                ),
                "success",
            )
            return redirect(url_for("auth.set_password_view"))
    return render_template("auth/code.html", form=form)


@bp.route("/connexion/code/<code>", methods=["GET", "POST"])
# Opening the page says whether a code is valid: guesses are counted like failed sign-ins.
@limiter.limit(_login_limit, methods=["GET", "POST"], deduct_when=_failed_attempt)
def login_with_qr(code: str):
    """The QR code printed for a teenager opens this page; one tap signs them in."""
    form = ConfirmCodeForm()
    login_code = services.find_valid_login_code(code)
    if form.validate_on_submit() and login_code is not None:
        user = services.redeem_login_code(code)
        if user is not None:
            sign_in(user)
            flash(
                _(
                    "Bienvenue ! Choisissez maintenant un mot de passe pour vos prochaines "
                    "connexions."
                ),
                "success",
            )
            return redirect(url_for("auth.set_password_view"))
    if login_code is None:
        g.sign_in_failed = True
    # No name before the code is used: whoever holds a guessed address learns nothing.
    return render_template("auth/code_confirm.html", form=form, valid=login_code is not None), (
        200 if login_code else 404
    )


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@login_required
def set_password_view():
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password(current_user, form.password.data)
        except ValidationError as error:
            form.password.errors.append(error.message)
        else:
            # Sessions elsewhere (a stolen or forgotten cookie) and API tokens end; this one
            # goes on under the account's new session token.
            user = current_user._get_current_object()
            services.end_every_session(user)
            db.session.commit()
            sign_in(user)
            flash(
                _(
                    "Mot de passe enregistré. Votre identifiant est : %(login)s",
                    login=current_user.login,
                ),
                "success",
            )
            return redirect(home_for(current_user))
    return render_template("auth/set_password.html", form=form)


@bp.route("/connexion/oubli", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgotten_password():
    """The same answer whether an account exists or not: nobody learns who has one here."""
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        # The same work for every address: the lookup happens in the background job.
        tasks.send_password_reset(form.email.data.strip())
        flash(
            _(
                "Si un compte existe avec cette adresse, un message vient de partir avec un lien "
                "pour choisir un nouveau mot de passe. Pensez à regarder dans les indésirables."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgotten_password.html", form=form)


@bp.route("/connexion/nouveau-mot-de-passe/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def reset_password(token: str):
    user = services.user_for_password_reset(token)
    if user is None:
        flash(
            _(
                "Ce lien ne sert plus (il a expiré ou le mot de passe a déjà été changé) : "
                "demandez-en un nouveau."
            ),
            "error",
        )
        return redirect(url_for("auth.forgotten_password"))
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password(user, form.password.data)
        except ValidationError as error:
            form.password.errors.append(error.message)
        else:
            services.end_every_session(user)  # whoever else held the account is signed out
            db.session.commit()
            sign_in(user)
            flash(
                _("Mot de passe enregistré. Votre identifiant est : %(login)s", login=user.login),
                "success",
            )
            return redirect(home_for(user))
    return render_template("auth/set_password.html", form=form, account=user)


# ---------------------------------------------------------------- accounts (admins)


@bp.route("/equipe/comptes")
@roles_required(Role.ADMIN)
def accounts():
    return render_template(
        "auth/accounts.html",
        accounts=services.team_accounts(),
        roles=services.TEAM_ROLES,
        ROLE_LABELS=ROLE_LABELS,
        form=EmptyForm(),
    )


def _account_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role == Role.PARTICIPANT:
        abort(404)
    return user


def _admin_action(action, success: str):
    return form_action(action, success=success, back=url_for("auth.accounts"))


@bp.route("/equipe/comptes/inviter", methods=["POST"])
@roles_required(Role.ADMIN)
def account_invite():
    role = request.form.get("role", "")
    email = (request.form.get("email") or "").strip()

    def invite() -> None:
        user = services.invite(
            email,
            role=Role(role) if role in set(Role) else Role.PARTICIPANT,
            display_name=request.form.get("display_name", ""),
        )
        queue_email(
            user.email,
            "account_invitation",
            name=user.display_name,
            login=user.login,
            role=ROLE_LABELS[user.role],
            invited_by=current_user.display_name,
            set_password_url=absolute_url(
                "auth.reset_password", token=services.password_reset_token(user, invitation=True)
            ),
            days=current_app.config["ACCOUNT_INVITATION_DAYS"],
        )

    return _admin_action(invite, _("L'invitation est envoyée à %(email)s.", email=email))


@bp.route("/equipe/comptes/<int:user_id>/role", methods=["POST"])
@roles_required(Role.ADMIN)
def account_role(user_id: int):
    user = _account_or_404(user_id)
    role = request.form.get("role", "")
    return _admin_action(
        lambda: services.change_role(
            user, Role(role) if role in set(Role) else Role.PARTICIPANT, by=current_user
        ),
        _("Le rôle de %(name)s est changé.", name=user.display_name),
    )


@bp.route("/equipe/comptes/<int:user_id>/activation", methods=["POST"])
@roles_required(Role.ADMIN)
def account_enabled(user_id: int):
    user = _account_or_404(user_id)
    enable = request.form.get("enabled") == "1"
    if user.id == current_user.id and not enable:
        flash(_("Vous ne pouvez pas désactiver votre propre compte."), "error")
        return redirect(url_for("auth.accounts"))
    return _admin_action(
        lambda: services.set_account_enabled(user, enable),
        _("Le compte de %(name)s est réactivé.", name=user.display_name)
        if enable
        else _(
            "Le compte de %(name)s est désactivé : il est déconnecté partout et son jeton d'API "
            "ne fonctionne plus.",
            name=user.display_name,
        ),
    )


@bp.route("/langue/<lang>")
def set_language(lang: str):
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = lang
    return redirect(safe_next_url(request.args.get("next")) or url_for("public.home"))

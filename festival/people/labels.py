"""How statuses and consents are named to people (French source strings)."""

from flask_babel import lazy_gettext as _l

from festival.people.models import ConsentChannel, ConsentGiver, ConsentKind, ParticipantStatus

STATUS_LABELS = {
    ParticipantStatus.PENDING: _l("À confirmer"),
    ParticipantStatus.CONFIRMED: _l("Inscrit·e"),
    ParticipantStatus.WAITLISTED: _l("Liste d'attente"),
    ParticipantStatus.WITHDRAWN: _l("Désinscrit·e"),
}

CONSENT_LABELS = {
    ConsentKind.PARTICIPATION: _l("Autorisation de participation"),
    ConsentKind.SCREENING: _l("Droit à l'image : projection lors de la cérémonie"),
    ConsentKind.ONLINE: _l("Droit à l'image : publication en ligne"),
}

CONSENT_SHORT_LABELS = {
    ConsentKind.PARTICIPATION: _l("Participation"),
    ConsentKind.SCREENING: _l("Projection"),
    ConsentKind.ONLINE: _l("En ligne"),
}

GIVER_LABELS = {
    ConsentGiver.GUARDIAN: _l("le ou la responsable légal·e"),
    ConsentGiver.PARTICIPANT: _l("la ou le participant·e"),
}

CHANNEL_LABELS = {
    ConsentChannel.FORM: _l("cochée sur le formulaire d'inscription en ligne"),
    ConsentChannel.LINK: _l("en ligne, par le lien envoyé par e-mail"),
    ConsentChannel.PAPER: _l("sur le formulaire papier signé, saisi par l'équipe"),
}

skip-to-content = Aller au contenu
nav-home = Événements à venir
nav-search = Rechercher
nav-my-events = Mes événements
nav-new-event = Nouvel événement
nav-login = Se connecter
nav-register = S’inscrire
nav-logout = Se déconnecter
footer-language = Langue
footer-change = Changer
footer-about = Une instance Convive : les événements des collectifs, sans pistage.

home-title = Événements à venir
home-empty = Aucun événement public à venir pour l’instant.
search-title = Rechercher des événements
search-term = Mots
search-place = Lieu (une ville connue ici)
search-radius = Dans un rayon de (km)
search-from = À partir du
search-to = Jusqu’au
search-tags = Étiquettes (séparées par des virgules)
search-category = Catégorie
search-any-category = Toutes les catégories
search-submit = Rechercher
search-results = { $count ->
    [one] Un événement
   *[other] { $count } événements
}
search-unknown-place = Aucun lieu connu ne s’appelle « { $place } » : les résultats ne sont pas filtrés par lieu.
page-previous = Page précédente
page-next = Page suivante

event-status-cancelled = Cet événement est annulé.
event-status-tentative = Cet événement est provisoire : il peut encore changer.
event-when = Quand
event-your-time = Dans votre fuseau horaire
event-where = Où
event-map = Voir sur OpenStreetMap
event-online = En ligne
event-organizer = Organisé par
event-group = Groupe
event-participants = { $count ->
    [one] Un·e participant·e
   *[other] { $count } participant·es
}
event-seats-left = { $count ->
    [0] Plus de place
    [one] Une place restante
   *[other] { $count } places restantes
}
event-add-calendar = Ajouter à l’agenda
event-download-ics = Télécharger (.ics)
event-subscribe = S’abonner (webcal)
event-google = Google Agenda
event-rsvp = Participer
event-message = Message aux organisateurs (facultatif)
event-join = Je participe
event-request = Demander à participer
event-leave = Annuler ma participation
event-you-going = Vous participez à cet événement.
event-you-pending = Votre demande attend l’approbation des organisateurs.
event-you-rejected = Les organisateurs ont refusé votre demande.
event-you-organize = Vous organisez cet événement.
event-full = Cet événement est complet.
event-past = Cet événement est terminé.
event-cancelled-no-rsvp = Cet événement est annulé : il n’accepte plus de participants.
event-external = L’inscription se fait sur la page des organisateurs :
event-external-link = S’inscrire
event-restricted-note = Les organisateurs approuvent chaque participation.
event-anonymous = Participer sans compte
event-email = Votre adresse e-mail
event-anonymous-submit = M’envoyer un lien de confirmation
event-login-to-join = Se connecter pour participer
event-anonymous-sent = Presque fini : nous avons envoyé un lien de confirmation à votre adresse.
event-joined = Vous participez à cet événement.
event-requested = Votre demande a été envoyée aux organisateurs.
event-left = Votre participation est annulée.

login-title = Se connecter
login-email = E-mail
login-password = Mot de passe
login-submit = Se connecter
login-no-account = Pas encore de compte ?
login-failed = E-mail ou mot de passe incorrect.
login-unconfirmed = Ce compte n’est pas encore confirmé : suivez le lien du message de confirmation.
register-title = S’inscrire
register-username = Nom d’utilisateur (lettres, chiffres, _)
register-password-hint = Au moins 8 caractères.
register-submit = Créer mon compte
register-sent = Consultez votre messagerie : nous vous avons envoyé un lien pour confirmer votre compte.
validate-title = Confirmez votre compte
validate-intro = Un clic et votre compte est prêt.
validate-submit = Confirmer mon compte
validate-done = Votre compte est confirmé. Bienvenue !
participation-confirm-title = Confirmez votre participation
participation-confirm-submit = Confirmer ma participation
participation-confirmed = Votre participation est confirmée.
participation-pending = Votre participation est confirmée et attend l’approbation des organisateurs.
participation-cancel-title = Annuler votre participation
participation-cancel-submit = Annuler ma participation
participation-cancelled = Votre participation est annulée.
my-events-title = Mes événements
my-events-empty = Vous ne participez à aucun événement à venir.
role-participant = Inscrit·e
role-creator = Organisateur·ice
role-administrator = Organisateur·ice
role-moderator = Organisateur·ice
role-not_approved = En attente d’approbation
role-not_confirmed = En attente de confirmation
role-rejected = Refusée

error-title = Un problème est survenu
error-not-found = Cette page n’existe pas, ou elle ne vous est pas visible.
error-forbidden = Vous n’avez pas le droit de faire cela.
error-csrf = Ce formulaire a expiré. Revenez en arrière, rechargez la page et réessayez.
error-internal = Une erreur s’est produite de notre côté. Elle a été enregistrée ; réessayez plus tard.
error-invalid = Vérifiez ce que vous avez saisi.
error-back-home = Retour aux événements à venir

skip-to-content = Aller au contenu
nav-home = Événements à venir
nav-search = Rechercher
nav-my-events = Mes événements
nav-new-event = Nouvel événement
nav-login = Se connecter
nav-register = S’inscrire
nav-logout = Se déconnecter
# Le menu de l’en-tête, pour une personne connectée (une liste qui s’ouvre, sans JavaScript).
nav-menu = Menu
footer-language = Langue
footer-change = Changer
footer-about = Une instance Convive : les événements des collectifs, sans pistage.

home-title = Événements à venir
home-empty = Aucun événement public à venir pour l’instant.
search-title = Rechercher des événements
search-term = Mots
search-place = Ville ou code postal
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
search-unknown-place = Aucune ville ni aucun code postal « { $place } » n’est connu : les résultats ne sont pas filtrés par lieu.
page-previous = Page précédente
page-next = Page suivante

event-origin = Publié sur { $instance }
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
    [0] Pas encore de participant·e
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
event-you-refused-by-its-instance = L’instance de l’événement a refusé votre demande : elle ne prend pas d’inscriptions venant d’autres instances.
event-you-organize = Vous organisez cet événement.
event-full = Cet événement est complet.
event-past = Cet événement est terminé.
event-rsvp-not-federated = L’instance de cet événement ne prend pas d’inscriptions venant d’autres instances : consultez l’événement sur son propre site.
event-cancelled-no-rsvp = Cet événement est annulé : il n’accepte plus de participants.
event-external = L’inscription se fait sur la page des organisateurs :
event-external-link = S’inscrire
event-restricted-note = Les organisateurs approuvent chaque participation.
event-invite-note = Sur invitation : les organisateurs approuvent chaque demande.
event-anonymous = Participer sans compte
event-email = Votre adresse e-mail
event-anonymous-submit = M’envoyer un lien de confirmation
event-login-to-join = Se connecter pour participer
event-anonymous-sent = Presque fini : nous avons envoyé un lien de confirmation à votre adresse.
event-joined = Vous participez à cet événement.
event-requested = Votre demande a été envoyée aux organisateurs.
event-left = Votre participation est annulée.
event-join-waitlist = M’inscrire sur la liste d’attente
event-full-waitlist-note = Toutes les places sont prises : vous rejoindrez la liste d’attente et recevrez une place dès qu’une se libère, dans l’ordre d’arrivée.
event-you-waitlisted = Vous êtes { $position } sur la liste d’attente.
event-waitlisted = Vous êtes sur la liste d’attente.
event-leave-waitlist = Quitter la liste d’attente

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
login-disabled = Ce compte a été désactivé par les administrateurs.
login-pending = Un modérateur n’a pas encore accepté ce compte : vous recevrez un message quand ce sera fait.
register-leave-empty = Laissez ce champ vide
register-accept-terms = J’accepte les conditions d’utilisation de cette instance
register-read-terms = Lire les conditions d’utilisation
register-refused = Ce formulaire n’a pas pu être accepté : attendez quelques secondes, puis envoyez-le de nouveau.
register-not-allowed = Les inscriptions ne sont ouvertes qu’à certaines adresses, et celle-ci n’en fait pas partie.
register-invitation-invalid = Cette invitation n’est pas valable : elle a déjà servi ou a expiré. Demandez-en une nouvelle.
register-mode-closed = Les inscriptions sont fermées sur cette instance.
register-mode-approval = Un modérateur accepte chaque nouveau compte avant qu’il puisse se connecter.
register-mode-allowlist = Les inscriptions ne sont ouvertes qu’à certaines adresses électroniques.
register-mode-invitation = Les inscriptions sur cette instance demandent une invitation de ses modérateurs.
register-mode-invited = Vous avez été invité·e : ce lien permet à une personne de s’inscrire.
register-sent-approval = Un modérateur acceptera ensuite votre compte ; vous recevrez un message quand ce sera fait.
validate-title = Confirmez votre compte
validate-intro = Un clic et votre compte est prêt.
validate-submit = Confirmer mon compte
validate-done = Votre compte est confirmé. Bienvenue !
validate-email-title = Confirmez votre nouvelle adresse
validate-email-intro = Un clic et votre compte utilise cette adresse.
validate-email-submit = Utiliser cette adresse
validate-email-done = Votre compte utilise désormais cette adresse.
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
role-waitlisted = Sur la liste d’attente

error-title = Un problème est survenu
error-title-not-found = Page introuvable
error-not-found = Cette page n’existe pas, ou elle ne vous est pas visible.
error-forbidden = Vous n’avez pas le droit de faire cela.
error-csrf = Ce formulaire a expiré. Revenez en arrière, rechargez la page et réessayez.
error-internal = Une erreur s’est produite de notre côté. Elle a été enregistrée ; réessayez plus tard.
error-invalid = Vérifiez ce que vous avez saisi.
error-back-home = Retour aux événements à venir

form-new-event = Nouvel événement
form-edit-event = Modifier l’événement
form-title = Titre
form-description = Description
form-description-hint = Affichée telle que vous l’écrivez : les retours à la ligne sont gardés et les adresses web deviennent des liens. Le Markdown fonctionne aussi : **gras**, *italique*, une ligne commençant par « - » pour une liste.
form-begins = Début (heure locale du fuseau ci-dessous)
form-ends = Fin
form-timezone = Fuseau horaire
form-group = Publié par le groupe
form-no-group = Moi-même, pas un groupe
form-where = Où
form-place-name = Nom du lieu
form-online = Adresse en ligne
form-participation = Participation
form-join = Qui peut participer
form-join-free = Tout le monde, directement
form-join-restricted = Sur approbation
form-join-invite = Sur invitation
form-join-external = Sur un autre site
form-external = Adresse d’inscription (autre site)
form-capacity = Places (0 pour illimité)
form-anonymous = Participation possible sans compte (par e-mail)
form-show-remaining = Afficher le nombre de places restantes
form-hide-count = Masquer le nombre de participant·es
form-waitlist = Quand l’événement est complet, inscrire les suivant·es sur une liste d’attente
form-visibility = Visibilité
form-visibility-public = Public : listé et trouvable
form-visibility-unlisted = Non listé : seulement avec le lien
form-visibility-restricted = Restreint : membres du groupe et participant·es accepté·es
form-visibility-private = Privé : membres du groupe et participant·es
form-status = Statut
form-status-confirmed = Confirmé
form-status-tentative = Provisoire
form-draft = Brouillon (pas encore publié)
form-publish = Publier
form-save = Enregistrer
form-cancel-event = Annuler l’événement
form-delete-event = Supprimer l’événement
form-bad-date = Indiquez une date et une heure.
event-edit = Modifier
event-manage-participants = Participant·es
participants-title = Participant·es
participants-approve = Approuver
participants-reject = Refuser

group-leave = Quitter le groupe
group-follow = Suivre (e-mail à chaque nouvel événement)
group-unfollow = Ne plus suivre
group-login = Se connecter pour rejoindre ou suivre
group-members = Membres
group-upcoming = Événements à venir
group-past = Événements passés
group-calendar = Agenda des événements (iCal)
actor-events-title = Événements de { $name }
actor-events-past-title = Événements passés de { $name }
actor-events-empty = Aucun événement à venir.
actor-events-past-empty = Aucun événement passé.
actor-events-see-past = Voir les événements passés
actor-events-see-upcoming = Voir les événements à venir
actor-events-all = Tous les événements
interact-title = Trouver un événement, un groupe ou une personne
interact-missing = Donnez l’adresse d’un événement, d’un groupe ou d’une personne (par exemple ?uri=https://evenements.example.org/events/…).
interact-malformed = Ce n’est pas une adresse web (http ou https) d’un événement, d’un groupe ou d’une personne.
interact-blocked = Cette instance est bloquée ici.
interact-not-found = Rien n’a été trouvé à cette adresse : ni événement, ni groupe, ni personne, ou son instance n’a pas répondu.
group-join = Rejoindre
group-ask-join = Demander à rejoindre
group-invite-only = Sur invitation seulement
group-open = Tout le monde peut rejoindre
group-moderated = Les modérateur·ices approuvent les nouveaux membres
group-openness = Qui peut rejoindre
group-name = Nom
group-create = Créer un groupe
group-you-member = Vous êtes membre.
group-you-pending = Votre demande d’adhésion attend les modérateur·ices.
group-you-invited = Vous êtes invité·e à rejoindre ce groupe.
group-facts = { $count ->
    [one] un membre
   *[other] { $count } membres
}
members-invite = Inviter
members-invite-username = Nom d’utilisateur à inviter
members-promote = Nommer modérateur·ice
members-remove = Retirer
member-role-member = Membre
member-role-moderator = Modérateur·ice
member-role-administrator = Administrateur·ice
member-role-creator = Administrateur·ice (créateur·ice)
member-role-not_approved = En attente d’approbation
member-role-invited = Invité·e
member-role-rejected = Refusé·e
nav-settings = Paramètres
settings-title = Paramètres
settings-on-day = M’écrire à 8 h le jour de mes événements
settings-before-event = M’écrire une heure avant chaque événement
settings-pending = Demandes de participation à mes événements
settings-pending-none = Ne pas me prévenir
settings-pending-direct = Me prévenir tout de suite
settings-pending-one_hour = Au plus une fois par heure
settings-pending-one_day = Au plus une fois par jour
settings-pending-one_week = Au plus une fois par semaine
settings-saved = Vos paramètres sont enregistrés.
settings-groups = Mes groupes
forgot-link = Mot de passe oublié ?
forgot-title = Mot de passe oublié
forgot-submit = M’envoyer un lien
forgot-sent = Si un compte utilise cette adresse, un lien pour choisir un nouveau mot de passe est en route.
reset-title = Choisir un nouveau mot de passe
reset-new-password = Nouveau mot de passe
reset-submit = Enregistrer mon nouveau mot de passe
reset-done = Votre mot de passe est changé et vous êtes connecté·e.
event-attendance = Participant·es
settings-feeds = Mon agenda privé
settings-feeds-intro = Une adresse secrète à laquelle abonner votre agenda : les événements auxquels vous participez ou attendez une réponse. Quiconque a l’adresse les voit ; révoquez-la si elle fuite.
settings-feed-create = Créer une adresse d’agenda privée
settings-feed-revoke = Révoquer
settings-feed-address = Adresse de l’agenda privé
group-edit = Modifier le groupe
settings-identities = Mes identités
settings-identity-add = Ajouter une identité
settings-delete = Supprimer mon compte
settings-delete-intro = Votre compte, ses identités et leurs participations sont supprimés pour de bon.
settings-delete-submit = Supprimer mon compte
settings-deleted = Votre compte est supprimé.
form-picture = Image
form-picture-current = L'image de l'événement actuellement :
form-picture-choose = Choisir une image
form-picture-replace = Choisir une autre image
form-picture-remove = Retirer cette image
form-picture-hint = JPEG, PNG, WebP ou GIF. Elle est redimensionnée et ses métadonnées (comme le lieu de la prise de vue) sont retirées.
form-picture-alt = Description de l'image
form-picture-alt-hint = Ce qu'elle montre, pour les personnes qui ne la voient pas. Nécessaire avec une image.
form-picture-alt-needed = Merci de décrire l'image pour les personnes qui ne la voient pas (choisissez de nouveau le fichier).
form-picture-not-saved = L'événement est enregistré, mais pas son image : { $reason }
group-avatar = Avatar
group-avatar-current = L'avatar du groupe actuellement :
group-banner = Bannière
group-banner-current = La bannière du groupe actuellement :
group-picture-not-saved = Le groupe est enregistré, mais pas son image : { $reason }

comments-title = Commentaires
comments-none = Pas encore de commentaire.
comments-your-comment = Votre commentaire ou question
comments-send = Commenter
comments-reply = Répondre
comments-your-reply = Votre réponse
comments-send-reply = Envoyer la réponse
comments-login = Connectez-vous pour commenter
comments-deleted = Ce commentaire a été supprimé.
comments-edited = modifié
comments-delete = Supprimer
comments-closed = Les organisateurs ont fermé les commentaires.
comments-moderated = Les organisateurs modèrent les commentaires : eux seuls écrivent ici.
comments-cancelled = Cet événement est annulé : il ne prend plus de commentaires.

## Recurring events
form-repeats = Répétition
form-repeats-none = Ne se répète pas
form-repeats-daily = Chaque jour
form-repeats-weekly = Chaque semaine, le même jour
form-repeats-monthly-nth = Chaque mois, le même jour de la semaine (comme le deuxième mardi)
form-repeats-monthly-day = Chaque mois, à la même date
form-repeats-yearly = Chaque année
form-repeat-count = Nombre de dates (vide : sans fin)
form-repeat-until = Ou jusqu’au (jour)
form-repeat-interval = Tous les combien (vide ou 1 : chaque fois)
form-repeat-interval-hint = 2 avec « Chaque semaine » fait une semaine sur deux ; 3 avec « Chaque mois », un mois sur trois.
form-repeat-except = Sauf ces jours
form-repeat-except-hint = Les jours où l’événement n’a pas lieu, écrits comme 2027-02-23, séparés par des virgules.
form-error-repeats = Choisissez dans la liste comment l’événement se répète.
form-error-repeat_interval = Donnez un nombre de 1 à 99.
form-error-repeat_count = Donnez un nombre de dates de 1 à 1000, ou laissez vide.
form-error-repeat_until = Donnez un jour après la première date, dans les 10 ans.
form-error-repeat_except = Écrivez chaque jour comme 2027-02-23, 200 jours au plus, et gardez au moins une date.
form-preview = Voir les dates
form-apply-to = Appliquer les modifications à
form-apply-this = Cette date seulement
form-apply-following = Cette date et les suivantes
form-apply-all = Toutes les dates à venir
form-apply-hint = Chaque date garde son jour : pour cette date et les suivantes ou toutes les dates, changez l’heure, pas le jour.
form-error-apply-to = Choisissez à quelles dates s’appliquent les modifications.
form-preview-title = Les premières dates, { $rule } :
repeats-daily = chaque jour
repeats-weekly = chaque semaine le { $day }
repeats-monthly-nth-1 = le premier { $day } de chaque mois
repeats-monthly-nth-2 = le deuxième { $day } de chaque mois
repeats-monthly-nth-3 = le troisième { $day } de chaque mois
repeats-monthly-nth-4 = le quatrième { $day } de chaque mois
repeats-monthly-nth-last = le dernier { $day } de chaque mois
repeats-monthly-day = chaque mois le { $day }
repeats-yearly = chaque année
repeats-times = { $count ->
    [one] une fois
   *[other] { $count } fois
}
repeats-until = jusqu’au { $day }
repeats-daily-n = tous les { $count } jours
repeats-weekly-n = toutes les { $count } semaines le { $day }
repeats-every-months = un mois sur { $count }
repeats-every-years = une année sur { $count }
repeats-except = sauf le { $days }
event-date-opens-later = pas encore ouverte aux inscriptions
event-remote-series = fait partie d’une série sur son instance d’origine
event-repeats = Répétition
event-next-dates = Prochaines dates
# Problems of a submitted form, next to their field.
form-error-title = Donnez à l’événement un titre de 3 à 200 caractères.
form-error-description = La description est trop longue : 50 000 caractères au plus.
form-error-begins = Le début doit être une date entre les années 1970 et 9999.
form-error-begins-missing = Indiquez quand l’événement commence : une date et une heure.
form-error-datetime = Indiquez une date et une heure, par exemple 14/07/2027 19:00.
form-error-time-skipped = Cette heure n’existe pas dans ce fuseau horaire (les horloges la sautent cette nuit-là) ; choisissez-en une autre.
form-error-ends = La fin doit venir après le début, avant l’an 10000.
form-error-timezone = Choisissez un fuseau horaire dans la liste, ou tapez une ville comme Paris.
form-error-group = Vous ne pouvez pas publier pour ce groupe : choisissez-en un autre, ou aucun.
form-error-picture = Cette image n’a pas pu être utilisée.
form-error-picture_alt = Merci de décrire l'image pour les personnes qui ne la voient pas (choisissez de nouveau le fichier).
form-error-place = Le nom du lieu est trop long ou contient des caractères non autorisés.
form-error-address = L'adresse est trop longue ou contient des caractères non autorisés ; saisissez-la de nouveau et cherchez-la.
form-error-online = Indiquez une adresse web commençant par https://.
form-error-join = Choisissez comment participer.
form-error-external = Indiquez l’adresse web, commençant par https://, où l’on s’inscrit.
form-error-external-needed = On s’inscrit ailleurs : indiquez l’adresse web où le faire.
form-error-capacity = Indiquez un nombre de places de 1 à 1 000 000, ou laissez vide pour ne pas limiter.
form-error-visibility = Choisissez qui peut voir l’événement.
form-error-status = Choisissez si l’événement est confirmé.
form-error-category = Choisissez une catégorie dans la liste.
form-error-tags = 10 mots-clés au plus, séparés par des virgules, de 40 caractères au plus chacun.
form-error-other = Un élément du formulaire n’a pas pu être accepté ; vérifiez les champs et réessayez.
form-error-refused = L’enregistrement a été refusé :
form-errors-title = { $count ->
    [one] Une chose à corriger avant d’enregistrer :
   *[other] { $count } choses à corriger avant d’enregistrer :
}
picture-refused-unsupported = ce n’est pas une image JPEG, PNG, WebP ou GIF.
picture-refused-unreadable = le fichier est incomplet ou abîmé.
picture-refused-too-big = elle est trop grande.
picture-refused-quota = votre compte n’a plus de place pour elle.
picture-refused-other = elle n’a pas pu être lue.

# Notices after an action, and the pages that confirm what cannot be undone.
done-published = Votre événement est publié.
done-draft = Votre événement est enregistré comme brouillon : seuls vous et ses organisateurs le voient.
done-saved = Vos modifications sont enregistrées.
done-saved-following = Vos modifications sont enregistrées pour cette date et toutes les dates suivantes de la série.
done-saved-all = Vos modifications sont enregistrées pour toutes les dates à venir de la série.
done-cancelled = L’événement est annulé ; ses participants sont prévenus par courriel.
done-deleted = L’événement est supprimé ; ses participants sont prévenus par courriel.
confirm-back = Non, revenir
confirm-cancel-question = Annuler « { $title } » ?
confirm-told-of-cancel = { $count ->
    [0] Personne ne s’est encore inscrit : personne n’est à prévenir.
    [one] Un participant sera prévenu par courriel.
   *[other] { $count } participants seront prévenus par courriel.
}
confirm-cancel-stays = L’événement reste visible, marqué comme annulé, et plus personne ne peut s’inscrire. C’est définitif.
confirm-cancel-button = Oui, annuler l’événement
confirm-delete-question = Supprimer « { $title } » ?
confirm-told-of-delete = { $count ->
    [0] Personne ne s’est encore inscrit : personne n’est à prévenir.
    [one] Un participant sera prévenu par courriel de la suppression.
   *[other] { $count } participants seront prévenus par courriel de la suppression.
}
confirm-delete-gone = L’événement, sa liste de participants et ses commentaires sont effacés pour de bon. C’est définitif.
confirm-delete-button = Oui, supprimer l’événement
confirm-leave-question = Annuler votre participation à « { $title } » ?
confirm-leave-seat = Votre place est libérée ; si des personnes attendent, la première de la file la prend. Vous pourrez vous réinscrire tant qu’il reste des places.
confirm-leave-button = Oui, annuler ma participation
confirm-leave-waitlist-question = Quitter la liste d’attente de « { $title } » ?
confirm-leave-waitlist-place = Vous perdez votre place dans la file ; en vous réinscrivant, vous passez en dernier.
confirm-leave-waitlist-button = Oui, quitter la liste d’attente
event-seats-taken = { $taken ->
    [0] Aucune place prise
    [one] 1 place prise
   *[other] { $taken } places prises
} sur { $count }
event-published-by = Publié par
event-share = Partager
event-share-link = Adresse de cet événement, à copier
# Affiché seulement là où le navigateur sait partager lui-même (le partage d’un téléphone).
event-share-native = Partager…
event-share-qr = QR code de l’adresse de cet événement
event-share-qr-hint = Scannez-le avec un téléphone pour ouvrir cet événement.
validate-continue = Revenir à la page où vous étiez

# Rules of the domain that refused a request, in words.
rule-last_administrator = Un groupe garde au moins un administrateur : nommez un autre membre administrateur avant de partir.
rule-event_full = Cet événement est complet.
rule-event_cancelled = Cet événement est annulé : il ne prend plus de participants.
rule-event_past = Cet événement est terminé.
rule-creator_cannot_leave = Vous avez créé cet événement : vous ne pouvez pas le quitter, mais vous pouvez l’annuler.
rule-event_draft = Cet événement n’est pas encore publié.
rule-anonymous_participation_disabled = Cet événement ne prend pas de participants sans compte.
rule-event_external = On s’inscrit à cet événement sur la page de l’organisateur.
nav-new-group = Créer un groupe
group-you-administrator = Vous administrez ce groupe : vous pouvez le modifier, gérer ses membres et publier ses événements.
group-you-moderator = Vous modérez ce groupe : vous pouvez publier ses événements et accepter les nouveaux membres.
group-only-administrator = Vous êtes le seul administrateur de ce groupe : nommez un autre membre administrateur avant de pouvoir le quitter.
confirm-leave-group-question = Quitter « { $name } » ?
confirm-leave-group-after = Vous ne verrez plus ses événements réservés aux membres ; vous pourrez demander à le rejoindre plus tard.
confirm-leave-group-button = Oui, quitter le groupe
form-timezone-hint = Tapez une ville (Paris, Montréal) ou choisissez un fuseau dans la liste.
form-zone-check = Ce fuseau n’est pas le vôtre : le début, { $times }.
form-zone-check-again = Vérifiez-le, puis publiez de nouveau.

# Categories (Mobilizon's), as people name them.
category-ARTS = Arts
category-BOOK_CLUBS = Clubs de lecture
category-BUSINESS = Entreprises
category-CAUSES = Causes
category-COMEDY = Humour
category-CRAFTS = Artisanat
category-FOOD_DRINK = Cuisine et boissons
category-HEALTH = Santé
category-MUSIC = Musique
category-AUTO_BOAT_AIR = Autos, bateaux et avions
category-COMMUNITY = Vie locale
category-FAMILY_EDUCATION = Famille et éducation
category-FASHION_BEAUTY = Mode et beauté
category-FILM_MEDIA = Cinéma et médias
category-GAMES = Jeux
category-LANGUAGE_CULTURE = Langues et cultures
category-LEARNING = Apprentissage
category-LGBTQ = LGBTQ+
category-MOVEMENTS_POLITICS = Mouvements et politique
category-NETWORKING = Réseautage
category-PARTY = Fête
category-PERFORMING_VISUAL_ARTS = Arts du spectacle et arts visuels
category-PETS = Animaux de compagnie
category-PHOTOGRAPHY = Photographie
category-OUTDOORS_ADVENTURE = Plein air et aventure
category-SPIRITUALITY_RELIGION_BELIEFS = Spiritualité, religions et croyances
category-SCIENCE_TECH = Sciences et techniques
category-SPORTS = Sports
category-THEATRE = Théâtre
category-MEETING = Réunion
participant-anonymous = Participant·e anonyme (par e-mail)
nav-label = Menu principal
pager-label = Pages de la liste
done-approved = Accepté·e : la personne est prévenue par courriel.
done-declined = Refusé·e : la personne est prévenue par courriel.

footer-nav-label = À propos de cette instance
footer-about-link = À propos
footer-terms = Conditions d’utilisation
footer-privacy = Confidentialité
about-rules = Règles
about-contact = Contact
about-administrators = Administrateurs
about-no-contact = Les administrateurs n’ont pas publié d’adresse de contact.
about-numbers = En chiffres
about-people = { $count ->
    [one] { $count } personne a un compte ici.
   *[other] { $count } personnes ont un compte ici.
}
about-events = { $count ->
    [one] { $count } événement public a été publié ici.
   *[other] { $count } événements publics ont été publiés ici.
}
about-groups = { $count ->
    [one] { $count } groupe public vit ici.
   *[other] { $count } groupes publics vivent ici.
}
about-software = Cette instance fonctionne avec Convive { $version }, un logiciel libre.
terms-title = Conditions d’utilisation
privacy-title = Confidentialité
document-elsewhere = Les administrateurs publient ce texte sur un autre site.
terms-default-1 = Les administrateurs de cette instance n’ont pas encore écrit leurs propres conditions.
terms-default-2 = Soyez respectueux : un contenu contraire à la loi ou aux règles de l’instance peut être retiré, et les comptes qui le publient suspendus.
terms-default-3 = Les événements et groupes que vous publiez publiquement sont visibles par tout le monde et partagés avec les autres instances du réseau fédéré.
privacy-default-intro = Les administrateurs n’ont pas écrit leur propre politique de confidentialité. Voici ce que le logiciel Convive conserve sur cette instance, et combien de temps.
privacy-default-account = Votre compte : votre adresse électronique, une empreinte de votre mot de passe (jamais le mot de passe lui-même), vos réglages et vos profils, conservés jusqu’à la suppression du compte.
privacy-default-unconfirmed = { $count ->
    [one] Un compte dont l’adresse n’est pas confirmée dans l’heure est supprimé.
   *[other] Un compte dont l’adresse n’est pas confirmée dans les { $count } heures est supprimé.
}
privacy-default-sessions = { $count ->
    [one] Les sessions (pour rester connecté) durent { $count } jour et sont supprimées un jour après leur fin.
   *[other] Les sessions (pour rester connecté) durent jusqu’à { $count } jours et sont supprimées un jour après leur fin.
}
privacy-default-participations = Vos participations aux événements et vos adhésions aux groupes, conservées jusqu’à ce que vous les annuliez ou supprimiez votre compte.
privacy-default-anonymous = Les personnes qui participent sans compte laissent une adresse électronique ; elle est supprimée une semaine après l’événement.
privacy-default-mail = { $count ->
    [one] Les courriels à envoyer (avec l’adresse du destinataire) sont supprimés { $count } jour après leur envoi.
   *[other] Les courriels à envoyer (avec l’adresse du destinataire) sont supprimés { $count } jours après leur envoi.
}
privacy-default-logs = Les journaux du serveur n’enregistrent pas l’adresse IP des visiteurs ; les limites contre les abus comptent les requêtes sous une empreinte à clé de l’adresse, supprimée après un jour.
privacy-default-federation = Ce que vous publiez publiquement (événements, groupes, profils publics, commentaires) est envoyé aux autres instances qui le suivent ; elles le conservent selon leurs propres règles.
privacy-default-delete = Vous pouvez supprimer votre compte à tout moment depuis vos réglages ; vos profils sont alors supprimés ici et sur les instances qui les ont reçus.
# The administration (/admin) and reporting from pages
nav-admin = Administration
login-suspended = Ce compte a été suspendu par l'équipe de modération de l'instance : il ne peut plus se connecter. Écrivez au contact de l'instance (voir la page À propos) pour en savoir plus.
admin-nav-label = Administration
admin-nav-dashboard = Tableau de bord
admin-nav-reports = Signalements
admin-nav-log = Journal de modération
admin-nav-users = Comptes
admin-nav-jobs = Tâches échouées
admin-dashboard-title = Administration
admin-waiting = En attente
admin-holdings = Ce que contient cette instance
admin-count-events = Événements : { $local } d'ici, { $remote } d'autres instances
admin-count-people = Personnes : { $local } d'ici, { $remote } d'autres instances
admin-count-groups = Groupes : { $local } d'ici, { $remote } d'autres instances
admin-open-reports = { $count ->
    [one] { $count } signalement ouvert
   *[other] { $count } signalements ouverts
}
admin-dead-jobs = { $count ->
    [one] { $count } tâche a définitivement échoué (courriel non envoyé ou activité non livrée)
   *[other] { $count } tâches ont définitivement échoué (courriels non envoyés ou activités non livrées)
}
admin-follows-waiting = { $count ->
    [one] { $count } instance demande à suivre celle-ci
   *[other] { $count } instances demandent à suivre celle-ci
}
admin-suspended-profiles = { $count ->
    [one] { $count } profil est suspendu
   *[other] { $count } profils sont suspendus
}
admin-reports-title = Signalements
admin-reports-by-status = Signalements par état
admin-reports-total = { $count ->
    [one] { $count } signalement
   *[other] { $count } signalements
}
admin-report-status-open = Ouverts
admin-report-status-resolved = Résolus
admin-report-status-closed = Fermés
admin-report-number = Signalement
admin-report-reported = Signalé
admin-report-reporter = Signalé par
admin-report-reason = Motif
admin-report-when = Reçu
admin-report-status = État
admin-report-origin = Origine
admin-report-title = Signalement n° { $id }
admin-report-anonymous = Une personne sans compte (elle apprendra la décision par courriel)
admin-report-unknown = Inconnu
admin-report-from-peer = Envoyé par une autre instance
admin-report-forwarded = Aussi envoyé à { $domain }, à la demande de la personne qui signale
admin-report-no-reason = Aucun motif n'a été donné.
admin-report-events = Événements signalés
admin-report-comments = Commentaires signalés
admin-report-see-comment = Le voir sous son événement
admin-report-decide = Décider
admin-report-resolve = Marquer comme résolu
admin-report-close = Fermer sans suite
admin-report-reopen = Rouvrir
admin-report-status-changed = Le signalement est maintenant : { $status }. Une personne d'ici qui l'a fait en est informée par courriel.
admin-report-notes = Notes de modération
admin-report-no-notes = Aucune note pour l'instant.
admin-note-label = Une note pour les autres modérateur·ices
admin-note-add = Ajouter la note
admin-note-delete = Supprimer cette note
form-error-note = Écrivez une note d'au plus 5 000 caractères.
admin-public-page = Page publique
admin-profile-suspended = Suspendu
admin-profile-manage = Gérer la suspension
admin-suspension = Suspension
admin-suspend-profile = Suspendre ce profil
admin-suspend-question = Suspendre { $name } ?
admin-suspend-hides = Ses événements, commentaires et son profil disparaissent de toutes les pages, listes, recherches, flux et de l'API.
admin-suspend-account = Le compte derrière ce profil est déconnecté et ne peut plus se connecter ; on lui dit pourquoi.
admin-suspend-remote = Ce profil appartient à une autre instance : il n'est masqué qu'ici.
admin-suspend-undo = Lever la suspension rétablit tout.
admin-suspend-reason = Pourquoi (gardé dans le journal de modération)
admin-suspend-confirm = Suspendre
admin-suspend-back = Revenir
admin-suspended-by = par { $moderator }
admin-suspended-by-instance = par l'instance
admin-hidden-by-block = Masqué parce que son instance est bloquée ; débloquer l'instance le rétablit.
admin-not-suspended = Ce profil n'est pas suspendu.
admin-unsuspend = Lever la suspension
admin-notice-suspended = Le profil est suspendu.
admin-notice-unsuspended = Le profil n'est plus suspendu.
admin-open-reports-about = { $count ->
    [one] { $count } signalement ouvert sur ce profil
   *[other] { $count } signalements ouverts sur ce profil
}
admin-kind-local-person = personne d'ici
admin-kind-remote-person = personne d'une autre instance
admin-kind-local-group = groupe d'ici
admin-kind-remote-group = groupe d'une autre instance
admin-log-title = Journal de modération
admin-log-empty = Rien n'a encore été fait.
admin-log-when = Quand
admin-log-who = Qui
admin-log-what = Quoi
admin-log-object = Sur quoi
admin-log-why = Pourquoi
admin-log-instance = L'instance
admin-action-report-closed = a fermé un signalement
admin-action-report-opened = a rouvert un signalement
admin-action-report-resolved = a résolu un signalement
admin-action-note-created = a ajouté une note
admin-action-note-deleted = a supprimé une note
admin-action-event-deleted = a supprimé un événement
admin-action-comment-deleted = a supprimé un commentaire
admin-action-event-updated = a modifié un événement
admin-action-suspended = a suspendu un profil
admin-action-unsuspended = a levé la suspension d'un profil
admin-action-user-deleted = a supprimé un compte
admin-action-user-role-changed = a changé le rôle d'un compte
admin-action-user-email-changed = a changé l'adresse électronique d'un compte
admin-action-user-confirmed = a confirmé un compte
admin-action-user-disabled = a désactivé un compte
admin-action-user-enabled = a réactivé un compte
admin-action-user-approved = a approuvé une inscription
admin-action-invitation-created = a créé un lien d'invitation
admin-action-registration-changed = a changé les règles d'inscription
admin-jobs-title = Tâches échouées
admin-job-kind = Type
admin-job-failed = Échec
admin-job-attempts = Tentatives
admin-job-error = Dernière erreur
admin-job-retry = Relancer
admin-notice-retried = La tâche va être relancée sous peu.
admin-previous = Page précédente
admin-next = Page suivante
report-event-link = Signaler cet événement
report-comment-link = Signaler
report-person-link = Signaler cette personne
report-group-link = Signaler ce groupe
report-title = Signaler à la modération
report-what-event = L'événement « { $title } »
report-what-comment = Un commentaire de { $name }
report-what-profile = Le profil de { $name }
report-reason = Quel est le problème ?
report-reason-hint = L'équipe de modération de cette instance le lit ; la personne signalée ne voit pas qui l'a signalée.
form-error-reason = Écrivez le motif en 5 000 caractères au plus.
report-forward = Envoyer aussi ce signalement à son instance
report-forward-hint = Sa modération pourra agir là-bas aussi. Votre nom n'est pas transmis, seulement le fait que cette instance signale
report-email = Votre adresse électronique
report-email-hint = Seulement pour vous dire ce que la modération décide ; elle n'est montrée à personne.
form-error-email = Donnez une adresse telle que nom@exemple.org, pour connaître la décision.
report-submit = Envoyer le signalement
report-cancel = Annuler
report-thanks = Merci : l'équipe de modération va examiner votre signalement.
report-thanks-next = Vous recevrez un courriel quand elle aura décidé.
report-back = Revenir à la page précédente

nav-messages = Messages
nav-messages-unread = { $count ->
    [one] 1 conversation non lue
   *[other] { $count } conversations non lues
}
event-write-participants = Écrire aux participant·es
write-title = Écrire aux participant·es
write-who = Qui reçoit le message
write-to-all = Toutes les personnes qui ont demandé à participer
write-to-going = Les personnes qui participent
write-to-waiting = Les personnes en attente (d’approbation ou d’une place)
write-to-declined = Les personnes refusées
write-text = Message
write-hint = Chaque personne le reçoit par e-mail et, si elle a un compte ici, dans Messages ; ses réponses ne viennent qu’à vous.
write-next = Suivant : voir qui le reçoit
write-send = Envoyer le message
write-confirm = { $count ->
    [one] Ce message part à 1 personne.
   *[other] Ce message part à { $count } personnes.
}
write-problem-empty = Écrivez d’abord un message.
write-problem-nobody = Personne n’a ce statut : choisissez d’autres destinataires.
messages-title = Messages
messages-none = Pas encore de message. Quand les organisateurs d’un événement auquel vous participez vous écrivent, leur message s’affiche ici.
messages-unread = { $count ->
    [one] 1 message non lu
   *[other] { $count } messages non lus
}
messages-sent = { $count ->
    [one] Votre message est parti à 1 personne.
   *[other] Votre message est parti à { $count } personnes.
}
conversation-title = Conversation
conversation-messages = Messages
conversation-your-answer = Votre réponse
conversation-send = Envoyer la réponse
rule-no_recipients = Aucun·e participant·e n’a le statut choisi.

## L’administration des comptes
admin-users-title = Comptes
admin-users-search = L’adresse contient
admin-users-search-hint = Une partie d’une adresse électronique. Les adresses de connexion ne sont pas conservées, elles ne peuvent donc pas être recherchées.
admin-users-search-submit = Chercher
admin-users-only-waiting = Seulement les inscriptions en attente d’acceptation
admin-users-total = Comptes trouvés :
admin-users-role = Rôle
admin-users-state = État
admin-users-pages = Pages de comptes
admin-users-previous = Page précédente
admin-users-next = Page suivante
admin-users-role-user = Utilisateur
admin-users-role-moderator = Modérateur
admin-users-role-administrator = Administrateur
admin-users-state-active = Actif
admin-users-state-unconfirmed = Adresse non confirmée
admin-users-state-waiting = En attente d’acceptation
admin-users-state-disabled = Désactivé
admin-users-invitations = Invitations
admin-users-invitations-intro = Un lien d’invitation permet à une personne de s’inscrire dans les 14 jours, quel que soit le mode d’inscription, sauf fermé.
admin-users-invite = Créer un lien d’invitation
admin-users-invitation-made = Donnez ce lien à la personne invitée ; il n’est affiché qu’une fois :
admin-users-registrations = Qui peut s’inscrire
admin-users-mode = Mode d’inscription
admin-users-mode-open = Tout le monde
admin-users-mode-approval = Tout le monde, accepté par un modérateur
admin-users-mode-allowlist = Seulement les adresses et domaines ci-dessous
admin-users-mode-invitation = Seulement sur invitation
admin-users-mode-closed = Personne
admin-users-allowlist = Domaines et adresses autorisés
admin-users-allowlist-hint = Un par ligne, comme example.org ou quelquun@example.net.
admin-users-rules-saved = Qui peut s’inscrire est enregistré.
admin-users-back = Tous les comptes
admin-users-created = Créé
admin-users-last-login = Dernière connexion
admin-users-never = Jamais
admin-users-identities = Identités
admin-users-approve = Accepter cette inscription
admin-users-approved = L’inscription est acceptée ; le compte a été prévenu par courriel.
admin-users-notify = Prévenir le compte par courriel
admin-users-email = Adresse électronique
admin-users-access = Accès
admin-users-confirm = Confirmer l’adresse
admin-users-disable = Désactiver le compte
admin-users-enable = Réactiver le compte
admin-users-saved = Le compte est enregistré.
admin-users-delete = Supprimer le compte
admin-users-delete-question = Supprimer le compte { $email } ?
admin-users-delete-identities = Ses identités sont supprimées, ici et sur les instances qui les connaissaient.
admin-users-delete-address = Le compte reste désactivé, pour que son adresse ne puisse pas s’inscrire de nouveau.
admin-users-keep = Le garder
rule-account_disabled = Ce compte a été désactivé par les administrateurs.
rule-registration_pending = Un modérateur n’a pas encore accepté ce compte.
rule-user_already_disabled = Ce compte est déjà supprimé.
rule-not_awaiting_approval = Ce compte n’attend pas d’acceptation.
# Billets des groupes
group-posts = Billets
group-posts-empty = Pas encore de billet.
post-write = Écrire un billet
post-edit = Modifier le billet
post-delete = Supprimer le billet
post-draft = Brouillon : seuls les membres du groupe le voient.
post-members-only = Réservé aux membres
post-unlisted = Non listé : seulement avec le lien
post-title = Titre
post-body = Texte
post-body-hint = Le Markdown fonctionne : **gras**, *italique*, listes, liens. Les retours à la ligne sont gardés.
post-visibility-public = Public : sur la page du groupe, dans son flux, et envoyé à ses abonnés
post-visibility-unlisted = Non listé : seulement avec le lien
post-visibility-private = Réservé aux membres du groupe
post-visibility-hint = Les abonnés d’autres instances reçoivent les billets publics et non listés une fois publiés.
post-draft-box = Garder en brouillon
post-draft-hint = Un brouillon n’est vu que par les membres du groupe, jusqu’à sa publication.
post-picture-current = L’image du billet actuellement :
post-picture-not-saved = Le billet est enregistré, mais pas son image : { $reason }
form-error-post_title = Donnez au billet un titre de 1 à 200 caractères.
form-error-post_body = Écrivez un texte, de 50 000 caractères au plus.
confirm-delete-post-question = Supprimer le billet « { $title } » ?
confirm-delete-post-after = Il disparaît de la page et du flux du groupe, ici et sur les instances qui l’ont reçu.
confirm-delete-post-button = Oui, supprimer le billet
comments-not-federated = L’instance de cet événement ne prend pas de commentaires venant d’autres instances : commentez sur son propre site.
admin-action-job-retried = a relancé une tâche en échec
settings-new-report = M’écrire à chaque nouveau signalement (modération)
group-discussions = Discussions
discussions-of = Discussions de { $group }
discussions-count = { $count ->
    [0] pas encore de discussion
    [one] une discussion
   *[other] { $count } discussions
}
discussions-none = Personne n’a encore lancé de discussion. Lancez la première ci-dessous.
discussions-all = Toutes les discussions
discussions-mail-title = Courriels sur les discussions
discussions-mail-on = Vous recevez un courriel quand quelqu’un lance une discussion de ce groupe ou y répond.
discussions-mail-off = Vous ne recevez aucun courriel sur les discussions de ce groupe.
discussions-mail-stop = Ne plus recevoir ces courriels
discussions-mail-start = Recevoir ces courriels
discussion-start = Lancer une discussion
discussion-title-label = Titre
discussion-first-comment = Votre premier message
discussion-start-button = Lancer la discussion
discussion-comments = Messages de la discussion
discussion-earlier = Messages précédents
discussion-later = Messages suivants
discussion-edit-comment = Modifier
discussion-your-comment = Votre message
discussion-save-comment = Enregistrer le message
discussion-your-answer = Votre réponse
discussion-answer = Répondre
discussion-rename = Renommer
discussion-delete = Supprimer la discussion
confirm-delete-discussion-question = Supprimer la discussion « { $title } » ?
confirm-delete-discussion-after = Tous ses messages disparaissent avec elle, pour tous les membres.
confirm-delete-discussion-button = Oui, supprimer la discussion

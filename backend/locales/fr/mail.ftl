## Account confirmation
confirm-subject = Confirmez votre compte sur { $instance }
confirm-title = Bienvenue sur { $instance }
confirm-intro = Vous (ou quelqu’un utilisant votre adresse) avez créé un compte sur { $instance }. Confirmez-le pour commencer à participer à des événements et à en organiser.
confirm-button = Confirmer mon compte
confirm-expiry = Ce lien est valable 48 heures. Passé ce délai, le compte non confirmé est supprimé.
confirm-not-you = Si vous n’avez pas créé ce compte, ignorez ce message : il ne se passera rien.

## Password reset
reset-subject = Réinitialisez votre mot de passe sur { $instance }
reset-title = Choisissez un nouveau mot de passe
reset-intro = Quelqu’un a demandé à réinitialiser le mot de passe de votre compte sur { $instance }.
reset-button = Choisir un nouveau mot de passe
reset-expiry = Ce lien est valable 2 heures et ne fonctionne qu’une fois.
reset-not-you = Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.

## Facts about an event, shown in every mail about it
event-title = Événement
event-when = Quand
event-where = Où
event-online = En ligne
event-open = Voir l’événement
footer-participant = Vous recevez ce message parce que vous participez à cet événement sur { $instance }.
footer-group = Vous recevez ce message parce que vous êtes membre ou abonné·e de { $group } sur { $instance }. Modifiez ce choix dans vos paramètres.
footer-organizer = Vous recevez ce message parce que vous organisez des événements sur { $instance }. Choisissez la fréquence dans vos paramètres.

## To participants, about the event
event-cancelled-subject = Annulé : { $title }
event-cancelled-title = Cet événement est annulé
event-cancelled-intro = Les organisateurs ont annulé « { $title } ». Il n’aura pas lieu.
event-deleted-subject = Supprimé : { $title }
event-deleted-title = Cet événement a été supprimé
event-deleted-intro = Les organisateurs ont supprimé « { $title } ». Il n’aura pas lieu comme annoncé.
event-hidden-subject = Plus affiché : { $title }
event-hidden-title = Cet événement n’est plus affiché
event-hidden-intro = Les modérateurs de { $instance } ont suspendu les organisateurs de « { $title } » : l’événement n’y est plus affiché et pourrait ne pas avoir lieu comme prévu. Renseignez-vous auprès des organisateurs avant d’y aller.
event-updated-subject = Modifié : { $title }
event-updated-title = Un événement auquel vous participez a changé
event-updated-intro = Les organisateurs ont modifié « { $title } ». Voici ce qui change :
changed-title = Nouveau titre (c’était « { $before } »).
changed-time = Nouvel horaire (c’était { $before }).
changed-place = Nouveau lieu (c’était { $before }).
changed-status-confirmed = L’événement est maintenant confirmé.
changed-status-tentative = L’événement est maintenant provisoire : il peut encore changer.
changed-status-cancelled = L’événement est annulé.

## To participants, about several dates of a recurring event
series-updated-subject = Modifié : { $title }, plusieurs dates
series-updated-title = Un événement récurrent auquel vous participez a changé
series-updated-intro = Les organisateurs ont modifié « { $title } » pour plusieurs de ses dates à la fois.
series-cancelled-subject = Annulé : { $title }, plusieurs dates
series-cancelled-title = Des dates d’un événement récurrent sont annulées
series-cancelled-intro = Les organisateurs ont annulé plusieurs dates de « { $title } ». Elles n’auront pas lieu.
series-dates = Cela concerne { $count ->
    [one] une date
   *[other] { $count } dates
} auxquelles vous participez ; la première est ci-dessous.

## To a group's members and followers
new-group-event-subject = Nouvel événement de { $group } : { $title }
new-group-event-title = { $group } a publié un nouvel événement
new-group-event-intro = « { $title } » vient d’être publié par { $group }.

## Participations
participation-confirmed-subject = Vous participez à « { $title } »
participation-confirmed-title = À bientôt !
participation-confirmed-intro = Votre participation à « { $title } » est confirmée. L’événement est joint : ouvrez-le pour l’ajouter à votre agenda.
participation-pending-subject = Votre demande pour « { $title } » est en attente
participation-pending-title = Votre demande attend les organisateurs
participation-pending-intro = Les organisateurs de « { $title } » approuvent chaque participation. Vous recevrez un message quand ils auront décidé.
participation-approved-subject = Approuvée : vous participez à « { $title } »
participation-approved-title = Votre participation est approuvée
participation-approved-intro = Les organisateurs ont approuvé votre participation à « { $title } ». L’événement est joint : ouvrez-le pour l’ajouter à votre agenda.
participation-rejected-subject = Votre demande pour « { $title } » a été refusée
participation-rejected-title = Votre demande a été refusée
participation-rejected-intro = Les organisateurs de « { $title } » n’ont pas pu accepter votre participation.
participation-anonymous-subject = Confirmez votre participation à « { $title } »
participation-anonymous-title = Confirmez votre participation
participation-anonymous-intro = Quelqu’un (sans doute vous) a demandé à participer à « { $title } » avec cette adresse. Confirmez avec le bouton ci-dessous ; si ce n’était pas vous, ignorez ce message.
participation-confirm-button = Confirmer ma participation
participation-cancel-button = Annuler ma participation

## To organizers
pending-subject = { $count ->
    [one] Une participation attend votre approbation
   *[other] { $count } participations attendent votre approbation
}
pending-title = Des participations attendent votre approbation
pending-intro = Des personnes ont demandé à participer à vos événements sur { $instance }. Acceptez ou refusez-les :
pending-line = { $title } : { $count } en attente

## Reminders
reminder-before-subject = Bientôt : { $title }
reminder-before-title = Votre événement commence dans une heure
reminder-before-intro = « { $title } » commence bientôt.
reminder-day-subject = { $count ->
    [one] Aujourd’hui : votre événement
   *[other] Aujourd’hui : vos { $count } événements
}
reminder-day-title = Vos événements du jour
reminder-day-intro = { $count ->
    [one] Voici l’événement auquel vous participez aujourd’hui.
   *[other] Voici les { $count } événements auxquels vous participez aujourd’hui.
}
participation-waitlisted-subject = Vous êtes sur la liste d’attente de « { $title } »
participation-waitlisted-title = Vous êtes { $position } sur la liste d’attente
participation-waitlisted-intro = Toutes les places de « { $title } » sont prises : vous êtes { $position } sur la liste d’attente. Quand une place se libère, la première personne de la liste la reçoit, et vous recevrez un message.
participation-promoted-subject = Une place est à vous : vous participez à « { $title } »
participation-promoted-title = Une place s’est libérée pour vous
participation-promoted-intro = Quelqu’un a quitté « { $title } » et vous étiez premier sur la liste d’attente : vous participez désormais. L’événement est joint : ouvrez-le pour l’ajouter à votre agenda.

report-outcome-subject = Votre signalement sur { $instance }
report-outcome-title = La suite donnée à votre signalement
report-resolved = L’équipe de modération de { $instance } a examiné votre signalement concernant { $reported } et a agi en conséquence.
report-closed = L’équipe de modération de { $instance } a examiné votre signalement concernant { $reported } et l’a clos sans autre mesure.
report-outcome-thanks = Merci de contribuer à faire de { $instance } un lieu agréable.

private-message-subject = Un message des organisateurs de « { $title } »
private-message-title = Les organisateurs de « { $title } » vous ont écrit
private-message-intro = Les organisateurs de « { $title } » ont écrit :
private-message-answer = Leur répondre
## Ce que les administrateurs ont fait à un compte
account-changed-subject = Votre compte sur { $instance } a été modifié
account-changed-title = Un administrateur a modifié votre compte
account-changed-email = L’adresse électronique de votre compte est désormais { $email }.
account-changed-role-user = Votre compte est désormais un compte d’utilisateur ordinaire.
account-changed-role-moderator = Votre compte est désormais celui d’un modérateur.
account-changed-role-administrator = Votre compte est désormais celui d’un administrateur.
account-changed-confirmed = Votre compte est confirmé : vous pouvez vous connecter.
account-changed-disabled = Votre compte est désactivé : vous ne pouvez plus vous connecter.
account-changed-enabled = Votre compte est de nouveau activé : vous pouvez vous connecter.
account-changed-contact = Pour toute question, écrivez au contact indiqué sur la page « À propos » de { $instance }.
account-approved-subject = Votre inscription sur { $instance } est acceptée
account-approved-title = Bienvenue sur { $instance }
account-approved-intro = Un modérateur de { $instance } a accepté votre inscription.
account-approved-confirm-first = Confirmez votre adresse avec le lien du premier message que nous vous avons envoyé, puis connectez-vous.
account-approved-button = Se connecter

## Aux modérateurs, quand un signalement arrive
report-new-subject = Nouveau signalement sur { $instance }
report-new-title = Un signalement est arrivé
report-new-intro = Quelqu’un a signalé { $reported } aux modérateurs de { $instance }.
report-new-button = Ouvrir l’administration
report-new-why = Vous recevez ce message parce que vous modérez { $instance }.

## Aux membres d'un groupe, à propos de ses discussions
discussion-started-subject = { $group } : { $author } a lancé « { $title } »
discussion-started-intro = { $author } a lancé une discussion dans { $group } :
discussion-reply-subject = { $group } : { $author } a répondu dans « { $title } »
discussion-reply-intro = { $author } a répondu dans une discussion de { $group } :
discussion-open = Ouvrir la discussion
discussion-why = Vous recevez ce message parce que vous êtes membre de { $group } sur { $instance }. La page des discussions du groupe vous permet de ne plus les recevoir.

# Un commentaire mentionne une personne de cette instance (`@nom`).
comment-mention-subject = { $author } vous a mentionné sous « { $title } »
comment-mention-intro = { $author } vous a mentionné dans un commentaire sous l'événement « { $title } » :
comment-mention-open = Voir le commentaire
comment-mention-why = Vous recevez ce message parce que { $author } vous a mentionné sur { $instance }.

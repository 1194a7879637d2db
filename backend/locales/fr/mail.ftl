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

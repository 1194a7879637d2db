## Changer l'adresse électronique d'un compte

email-change-subject = Confirmez votre nouvelle adresse sur { $instance }
email-change-title = Confirmez votre nouvelle adresse
email-change-intro = Vous avez demandé à utiliser cette adresse pour votre compte sur { $instance }. Confirmez-la pour y recevoir vos messages désormais.
email-change-button = Utiliser cette adresse
email-change-expiry = Ce lien est valable 48 heures et ne sert qu'une fois.
email-change-not-you = Si vous n'avez rien demandé, ignorez ce message : rien ne changera.
email-change-notice-subject = Votre adresse sur { $instance } va changer
email-change-notice-title = Une nouvelle adresse a été demandée
email-change-notice-intro = Une personne connectée à votre compte sur { $instance } a demandé à utiliser { $email } à la place de cette adresse. Elle changera quand le lien envoyé là-bas sera suivi.
email-change-notice-not-you = Si ce n'était pas vous, changez votre mot de passe maintenant : la personne qui a fait la demande le connaît.

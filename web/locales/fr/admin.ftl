# The administration's pages for administrators: the instance's settings and other instances.
admin-nav-settings = Réglages
admin-nav-instances = Instances
admin-action-settings-changed = a modifié la présentation de l'instance
admin-action-domain-blocked = a bloqué une instance
admin-action-domain-unblocked = a débloqué une instance
admin-action-instance-followed = a fait suivre une autre instance par la nôtre
admin-action-instance-unfollowed = a fait cesser notre instance de suivre une autre
admin-action-instance-follow-accepted = a accepté qu'une autre instance suive la nôtre
admin-action-instance-follow-refused = a refusé qu'une autre instance suive la nôtre
admin-action-instance-follower-removed = a retiré une instance de celles qui suivent la nôtre

admin-settings-title = Réglages de l'instance
admin-settings-saved = Les réglages sont enregistrés : toutes les pages les montrent désormais.
admin-settings-identity = L'instance
admin-settings-identity-hint = Tant que vous ne les changez pas ici, ces valeurs viennent de convive.toml (les clés [instance]) ; une fois enregistrées ici, tous les nœuds montrent les vôtres.
admin-settings-timezone-hint = Un nom de fuseau horaire comme Europe/Paris : pour les comptes qui n'en ont pas et leurs nouveaux événements.
admin-settings-name = Nom
admin-settings-description = Description courte
admin-settings-contact = Adresse de contact
admin-settings-language = Langue par défaut
admin-settings-timezone = Fuseau horaire par défaut
admin-settings-registrations = Qui peut s'inscrire se règle sur la page des comptes.
admin-settings-presentation = Ce que l'instance dit d'elle-même
admin-settings-slogan = Slogan
admin-settings-long-description = Description longue (sur la page « À propos »)
admin-settings-text-hint = Les retours à la ligne sont gardés et le Markdown fonctionne (**gras**, listes, liens).
admin-settings-rules = Règles
admin-settings-terms = Conditions d'utilisation
admin-settings-privacy = Politique de confidentialité
admin-settings-kind-default = Le texte par défaut de Convive
admin-settings-kind-url = Publiées ailleurs, à une adresse
admin-settings-kind-custom = Notre propre texte, ci-dessous
admin-settings-url = Adresse (https://…)
admin-settings-text = Texte
admin-settings-colours = Couleurs
admin-settings-colour-hint = Pour les applications qui montrent l'instance à ses couleurs : une couleur comme #1e7d97, ou rien.
admin-settings-primary-colour = Couleur principale
admin-settings-secondary-colour = Seconde couleur
form-error-settings-name = Donnez à l'instance un nom d'au plus 100 caractères.
form-error-settings-description = La description courte est trop longue : au plus 500 caractères.
form-error-settings-contact = Donnez une adresse électronique comme contact@example.org, ou laissez vide.
form-error-settings-language = Choisissez une des langues proposées.
form-error-settings-timezone = Donnez un nom de fuseau horaire comme Europe/Paris.
form-error-settings-slogan = Écrivez un slogan de 255 caractères au plus.
form-error-settings-long_description = La description longue est trop longue : 20 000 caractères au plus.
form-error-settings-rules = Les règles sont trop longues : 20 000 caractères au plus.
form-error-settings-terms_kind = Choisissez où sont les conditions d'utilisation.
form-error-settings-terms_url = Donnez l'adresse où les conditions sont publiées, commençant par https://.
form-error-settings-terms = Écrivez les conditions (100 000 caractères au plus), ou choisissez une autre option.
form-error-settings-privacy_kind = Choisissez où est la politique de confidentialité.
form-error-settings-privacy_url = Donnez l'adresse où la politique de confidentialité est publiée, commençant par https://.
form-error-settings-privacy = Écrivez la politique de confidentialité (100 000 caractères au plus), ou choisissez une autre option.
form-error-settings-primary_color = Donnez une couleur comme #1e7d97, ou laissez vide.
form-error-settings-secondary_color = Donnez une couleur comme #f7c948, ou laissez vide.

admin-instances-title = Autres instances
admin-instances-follow-title = Suivre une autre instance
admin-instances-domain = Domaine
admin-instances-follow-hint = Son domaine, comme evenements.example.org. Dès qu'elle accepte, ses événements publics arrivent ici.
admin-instances-follow = Suivre
admin-instances-known = Instances connues
admin-instances-total = { $count ->
    [one] { $count } instance suit la nôtre ou est suivie par elle
   *[other] { $count } instances suivent la nôtre ou sont suivies par elle
}
admin-instances-instance = Instance
admin-instances-we-follow = Nous la suivons
admin-instances-follows-us = Elle nous suit
admin-instances-stored = Gardé ici
admin-instances-actions = Actions
admin-instances-yes = Oui
admin-instances-pending = Demandé, pas encore de réponse
admin-instances-no = Non
admin-instances-holdings = Événements : { $events } · Personnes : { $people } · Groupes : { $groups }
admin-instances-unfollow = Ne plus suivre
admin-instances-accept = Accepter
admin-instances-reject = Refuser
admin-instances-remove-follower = Qu'elle ne nous suive plus
admin-instances-blocked = Instances bloquées
admin-instances-none-blocked = Aucune instance n'est bloquée.
admin-instances-since = Bloquée le
admin-instances-unblock = Débloquer
admin-instances-block-title = Bloquer une instance
admin-instances-block-hint = Plus rien n'est reçu d'elle ni ne lui est envoyé ; ses événements, les participations et abonnements de ses membres ici et les images copiées depuis elle sont supprimés ; ses profils sont masqués jusqu'à ce qu'elle soit débloquée.
admin-instances-block-reason = Pourquoi (gardé dans le journal)
admin-instances-block = Bloquer
admin-instances-done-followed = Notre instance a demandé à la suivre : « Nous la suivons » dira Oui dès qu'elle accepte.
admin-instances-done-unfollowed = Notre instance ne la suit plus.
admin-instances-done-accepted = Elle suit notre instance désormais.
admin-instances-done-rejected = Elle ne suit pas notre instance.
admin-instances-done-blocked = L'instance est bloquée.
admin-instances-done-unblocked = L'instance est débloquée.
admin-block-question = Bloquer { $domain } ?
admin-block-cut = Plus rien ne sera reçu d'elle ni envoyé vers elle. Ses profils sont masqués ici jusqu'à ce qu'elle soit débloquée ; ses commentaires ici et les images copiées depuis elle sont supprimés.
admin-block-follows = { $count ->
    [0] Aucun de ses membres, groupes ni son instance ne suit quelqu'un ici.
    [one] 1 abonnement de ses membres, groupes ou de son instance prend fin ici.
   *[other] { $count } abonnements de ses membres, groupes ou de son instance prennent fin ici.
}
admin-block-actors = { $count ->
    [0] Aucun de ses profils n'est connu ici.
    [one] 1 de ses profils connus ici (personne, groupe ou instance) est masqué.
   *[other] { $count } de ses profils connus ici (personnes, groupes, son instance) sont masqués.
}
admin-block-events = { $count ->
    [0] Aucun de ses événements n'est conservé ici.
    [one] 1 de ses événements conservés ici est supprimé, avec ses participations.
   *[other] { $count } de ses événements conservés ici sont supprimés, avec leurs participations.
}
admin-block-undo = Débloquer montre de nouveau ses profils ; ses événements et abonnements ne reviennent que lorsqu'elle les envoie de nouveau.
admin-block-back = Ne pas la bloquer
form-error-instances-follow_domain = Aucune instance Convive ou Mobilizon ne répond à ce domaine : vérifiez-le, comme evenements.example.org.
form-error-instances-block_domain = Donnez un domaine comme spam.example, autre que celui de cette instance.
form-taken-instances-block_domain = Ce domaine est déjà bloqué.
form-error-instances-block_reason = Écrivez la raison en 1 000 caractères au plus.

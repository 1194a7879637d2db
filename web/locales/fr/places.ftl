# Les champs du lieu du formulaire d’événement (web/templates/event_place_fields.html).
place-name-hint = Facultatif : une salle, un café, un parc…
place-address = Adresse
place-address-hint = Saisissez l’adresse, puis cherchez-la et choisissez le lieu trouvé.
place-look-up = Chercher l’adresse
place-choose = Lieux trouvés
place-pick-one = Choisissez le bon lieu ci-dessous, puis publiez.
place-nothing-found = Aucun lieu trouvé pour cette adresse. Vérifiez-la, ou gardez-la telle quelle (elle n’apparaîtra pas sur les cartes ni dans les recherches par distance).
place-as-typed = Garder l’adresse telle que saisie, sans position

# La vue du mois (web/templates/month.html).
month-title = Événements de { $month }
month-title-of = Événements de { $name }
month-nav = Mois
month-empty = Aucun événement ce mois-ci.
month-back-home = Événements à venir
month-cancelled = annulé
month-day-events = { $count ->
    [one] un événement
   *[other] { $count } événements
}
month-link = Vue du mois

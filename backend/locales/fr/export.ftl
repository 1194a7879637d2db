## Listes de participant·es exportées pour les organisateur·ices

export-column-name = Nom du ou de la participant·e
export-column-status = Statut du ou de la participant·e
export-column-registered = Date d'inscription du ou de la participant·e
export-column-message = Message du ou de la participant·e
export-anonymous = Participant·e anonyme
export-role-creator = Créateur·ice
export-role-administrator = Administrateur·ice
export-role-moderator = Modérateur·ice
export-role-participant = Participant·e
export-role-not-approved = Non approuvé·e
export-role-not-confirmed = Non confirmé·e
export-role-rejected = Refusé·e
export-role-waitlisted = Sur liste d'attente
export-file-name = { $event }_participants

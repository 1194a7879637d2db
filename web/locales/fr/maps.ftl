# La carte du lieu d’un événement.
event-map-label = Carte du lieu : { $place }
event-map-attribution = Carte : { $attribution }
event-map-coordinates = Coordonnées :
event-map-open = Ouvrir dans une application de cartes

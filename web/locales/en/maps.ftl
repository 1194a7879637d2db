# The map of an event's place.
event-map-label = Map of the place: { $place }
event-map-attribution = Map: { $attribution }
event-map-coordinates = Coordinates:
event-map-open = Open in a map app

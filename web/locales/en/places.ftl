# The place fields of the event form (web/templates/event_place_fields.html).
place-name-hint = Optional: a hall, a café, a park…
place-address = Address
place-address-hint = Type the address, then look it up and pick the place found.
place-look-up = Look it up
place-choose = Places found
place-pick-one = Pick the right place below, then publish.
place-nothing-found = No place found for this address. Check it, or keep it as typed (it will not be on maps or in searches by distance).
place-as-typed = Keep the address as typed, without a position

# The month view (web/templates/month.html).
month-title = Events in { $month }
month-title-of = Events of { $name }
month-nav = Months
month-empty = No event this month.
month-back-home = Upcoming events
month-cancelled = cancelled
month-day-events = { $count ->
    [one] one event
   *[other] { $count } events
}
month-link = Month view

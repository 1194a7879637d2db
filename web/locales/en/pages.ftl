skip-to-content = Skip to content
nav-home = Upcoming events
nav-search = Search
nav-my-events = My events
nav-new-event = New event
nav-login = Log in
nav-register = Sign up
nav-logout = Log out
footer-language = Language
footer-change = Change
footer-about = A Convive instance: events of collectives, without tracking.

home-title = Upcoming events
home-empty = No upcoming public event yet.
search-title = Search events
search-term = Words
search-place = Place (a town known here)
search-radius = Within (km)
search-from = From
search-to = Until
search-tags = Tags (comma-separated)
search-category = Category
search-any-category = Any category
search-submit = Search
search-results = { $count ->
    [one] One event
   *[other] { $count } events
}
search-unknown-place = No known place is called “{ $place }”: results are not filtered by place.
page-previous = Previous page
page-next = Next page

event-status-cancelled = This event is cancelled.
event-status-tentative = This event is tentative: it may still change.
event-when = When
event-your-time = In your time zone
event-where = Where
event-map = See on OpenStreetMap
event-online = Online
event-organizer = Organized by
event-group = Group
event-participants = { $count ->
    [one] One participant
   *[other] { $count } participants
}
event-seats-left = { $count ->
    [0] No seat left
    [one] One seat left
   *[other] { $count } seats left
}
event-add-calendar = Add to calendar
event-download-ics = Download (.ics)
event-subscribe = Subscribe (webcal)
event-google = Google Calendar
event-rsvp = Take part
event-message = Message to the organizers (optional)
event-join = I’ll be there
event-request = Ask to take part
event-leave = Cancel my participation
event-you-going = You take part in this event.
event-you-pending = Your request waits for the organizers’ approval.
event-you-rejected = The organizers declined your request.
event-you-organize = You organize this event.
event-full = This event is full.
event-past = This event is over.
event-cancelled-no-rsvp = This event is cancelled: it takes no more participants.
event-external = People register on the organizer’s page:
event-external-link = Register
event-restricted-note = The organizers approve each participant.
event-anonymous = Take part without an account
event-email = Your email address
event-anonymous-submit = Send me a confirmation link
event-login-to-join = Log in to take part
event-anonymous-sent = Almost there: we sent a confirmation link to your address.
event-joined = You take part in this event.
event-requested = Your request was sent to the organizers.
event-left = Your participation is cancelled.

login-title = Log in
login-email = Email
login-password = Password
login-submit = Log in
login-no-account = No account yet?
login-failed = Wrong email or password.
login-unconfirmed = This account is not confirmed yet: follow the link in the confirmation mail.
register-title = Sign up
register-username = Username (letters, digits, _)
register-password-hint = At least 8 characters.
register-submit = Create my account
register-sent = Check your mailbox: we sent you a link to confirm your account.
validate-title = Confirm your account
validate-intro = One click and your account is ready.
validate-submit = Confirm my account
validate-done = Your account is confirmed. Welcome!
participation-confirm-title = Confirm your participation
participation-confirm-submit = Confirm my participation
participation-confirmed = Your participation is confirmed.
participation-pending = Your participation is confirmed and waits for the organizers’ approval.
participation-cancel-title = Cancel your participation
participation-cancel-submit = Cancel my participation
participation-cancelled = Your participation is cancelled.
my-events-title = My events
my-events-empty = You take part in no upcoming event.
role-participant = Going
role-creator = Organizer
role-administrator = Organizer
role-moderator = Organizer
role-not_approved = Waiting for approval
role-not_confirmed = Waiting for confirmation
role-rejected = Declined

error-title = Something went wrong
error-not-found = This page does not exist, or it is not visible to you.
error-forbidden = You are not allowed to do this.
error-csrf = This form expired. Go back, reload the page and try again.
error-internal = An error occurred on our side. It has been logged; please try again later.
error-invalid = Please check what you entered.
error-back-home = Back to upcoming events

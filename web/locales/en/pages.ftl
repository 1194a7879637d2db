skip-to-content = Skip to content
nav-home = Upcoming events
nav-search = Search
nav-my-events = My events
nav-new-event = New event
nav-login = Log in
nav-register = Sign up
nav-logout = Log out
# The header's menu of a logged-in person's pages (a list that opens, without JavaScript).
nav-menu = Menu
footer-language = Language
footer-change = Change
footer-about = A Convive instance: events of collectives, without tracking.

home-title = Upcoming events
home-empty = No upcoming public event yet.
search-title = Search events
search-term = Words
search-place = Town or postal code
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
search-unknown-place = No town or postal code “{ $place }” is known: results are not filtered by place.
page-previous = Previous page
page-next = Next page

event-origin = From { $instance }
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
    [0] No participant yet
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
event-you-refused-by-its-instance = The event’s instance refused your request: it takes no RSVPs from other instances.
event-you-organize = You organize this event.
event-full = This event is full.
event-past = This event is over.
event-rsvp-not-federated = This event’s instance takes no RSVPs from other instances: see the event on its own site.
event-cancelled-no-rsvp = This event is cancelled: it takes no more participants.
event-external = People register on the organizer’s page:
event-external-link = Register
event-restricted-note = The organizers approve each participant.
event-invite-note = On invitation: the organizers approve each request.
event-anonymous = Take part without an account
event-email = Your email address
event-anonymous-submit = Send me a confirmation link
event-login-to-join = Log in to take part
event-anonymous-sent = Almost there: we sent a confirmation link to your address.
event-joined = You take part in this event.
event-requested = Your request was sent to the organizers.
event-left = Your participation is cancelled.
event-join-waitlist = Join the waitlist
event-full-waitlist-note = Every seat is taken: you will be put on the waitlist, and get a seat when one frees, first come first served.
event-you-waitlisted = You are { $position } on the waitlist.
event-waitlisted = You are on the waitlist.
event-leave-waitlist = Leave the waitlist

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
login-disabled = This account was disabled by the administrators.
login-pending = A moderator has not approved this account yet: you will get a mail when they do.
register-leave-empty = Leave this field empty
register-accept-terms = I accept the terms of service of this instance
register-read-terms = Read the terms of service
register-refused = This form could not be accepted: wait a few seconds, then send it again.
register-not-allowed = Registrations are only open to some email addresses, and this one is not among them.
register-invitation-invalid = This invitation is not valid: it was used already, or has expired. Ask for a new one.
register-mode-closed = Registrations are closed on this instance.
register-mode-approval = A moderator approves each new account before it can log in.
register-mode-allowlist = Registrations are only open to some email addresses.
register-mode-invitation = Registrations on this instance need an invitation from its moderators.
register-mode-invited = You were invited: this link lets one person sign up.
register-sent-approval = A moderator will then approve your account; you will get a mail when they do.
validate-title = Confirm your account
validate-intro = One click and your account is ready.
validate-submit = Confirm my account
validate-done = Your account is confirmed. Welcome!
validate-email-title = Confirm your new address
validate-email-intro = One click and your account uses this address.
validate-email-submit = Use this address
validate-email-done = Your account now uses this address.
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
role-waitlisted = On the waitlist

error-title = Something went wrong
error-title-not-found = Page not found
error-not-found = This page does not exist, or it is not visible to you.
error-forbidden = You are not allowed to do this.
error-csrf = This form expired. Go back, reload the page and try again.
error-internal = An error occurred on our side. It has been logged; please try again later.
error-invalid = Please check what you entered.
error-back-home = Back to upcoming events

form-new-event = New event
form-edit-event = Edit the event
form-title = Title
form-description = Description
form-description-hint = Written as you type it: line breaks are kept and web addresses become links. Markdown works too: **bold**, *italics*, a line starting with "- " for a list.
form-begins = Starts (local time of the zone below)
form-ends = Ends
form-timezone = Time zone
form-group = Published by the group
form-no-group = Myself, not a group
form-where = Where
form-place-name = Name of the place
form-online = Online address
form-participation = Participation
form-join = Who can take part
form-join-free = Anyone, at once
form-join-restricted = On approval
form-join-invite = On invitation
form-join-external = On another site
form-external = Registration address (for another site)
form-capacity = Seats (0 for no limit)
form-anonymous = People may take part without an account (by email)
form-show-remaining = Show how many seats are left
form-hide-count = Hide the number of participants
form-waitlist = When the event is full, put newcomers on a waitlist
form-visibility = Visibility
form-visibility-public = Public: listed and searchable
form-visibility-unlisted = Unlisted: only with the link
form-visibility-restricted = Restricted: group members and the participants the organizers accepted
form-visibility-private = Private: group members and participants
form-status = Status
form-status-confirmed = Confirmed
form-status-tentative = Tentative
form-draft = Draft (not published yet)
form-publish = Publish
form-save = Save
form-cancel-event = Cancel the event
form-delete-event = Delete the event
form-bad-date = Please give a date and time.
event-edit = Edit
event-manage-participants = Participants
participants-title = Participants
participants-approve = Approve
participants-reject = Decline

group-leave = Leave the group
group-follow = Follow (mail about new events)
group-unfollow = Stop following
group-login = Log in to join or follow
group-members = Members
group-upcoming = Upcoming events
group-past = Past events
group-calendar = Calendar of the events (iCal)
actor-events-title = Events of { $name }
actor-events-past-title = Past events of { $name }
actor-events-empty = No upcoming event.
actor-events-past-empty = No past event.
actor-events-see-past = See past events
actor-events-see-upcoming = See upcoming events
actor-events-all = All events
interact-title = Find an event, group or person
interact-missing = Give the address of an event, a group or a person (for example ?uri=https://events.example.org/events/…).
interact-malformed = This is not a web address (http or https) of an event, a group or a person.
interact-blocked = This instance is blocked here.
interact-not-found = Nothing was found at this address: no event, group or person, or its instance did not answer.
group-join = Join
group-ask-join = Ask to join
group-invite-only = On invitation only
group-open = Anyone can join
group-moderated = Moderators approve new members
group-openness = Who can join
group-name = Name
group-create = Create a group
group-you-member = You are a member.
group-you-pending = Your request to join waits for the moderators.
group-you-invited = You are invited to join.
group-facts = { $count ->
    [one] one member
   *[other] { $count } members
}
members-invite = Invite
members-invite-username = Username to invite
members-promote = Make moderator
members-remove = Remove
member-role-member = Member
member-role-moderator = Moderator
member-role-administrator = Administrator
member-role-creator = Administrator (creator)
member-role-not_approved = Waiting for approval
member-role-invited = Invited
member-role-rejected = Declined
nav-settings = Settings
settings-title = Settings
settings-on-day = Mail me at 08:00 on the day of my events
settings-before-event = Mail me one hour before each event
settings-pending = Requests to take part in my events
settings-pending-none = Don’t tell me
settings-pending-direct = Tell me at once
settings-pending-one_hour = At most once an hour
settings-pending-one_day = At most once a day
settings-pending-one_week = At most once a week
settings-saved = Your settings are saved.
settings-groups = My groups
forgot-link = Forgot your password?
forgot-title = Forgot your password
forgot-submit = Send me a link
forgot-sent = If an account uses this address, a link to choose a new password is on its way.
reset-title = Choose a new password
reset-new-password = New password
reset-submit = Save my new password
reset-done = Your password is changed and you are logged in.
event-attendance = Participants
settings-feeds = My private calendar
settings-feeds-intro = A secret address that calendar apps subscribe to: the events you take part in, going or waiting. Anyone with the address sees them; revoke it if it leaks.
settings-feed-create = Create a private calendar address
settings-feed-revoke = Revoke
settings-feed-address = Private calendar address
group-edit = Edit the group
settings-identities = My identities
settings-identity-add = Add an identity
settings-delete = Delete my account
settings-delete-intro = Your account, its identities and their participations are deleted for good.
settings-delete-submit = Delete my account
settings-deleted = Your account is deleted.
form-picture = Picture
form-picture-current = The event's picture now:
form-picture-choose = Choose a picture
form-picture-replace = Choose another picture
form-picture-remove = Remove this picture
form-picture-hint = JPEG, PNG, WebP or GIF. It is resized and its metadata (such as the place it was taken) removed.
form-picture-alt = Description of the picture
form-picture-alt-hint = What it shows, for people who cannot see it. Needed with a picture.
form-picture-alt-needed = Please describe the picture for people who cannot see it (choose the file again).
form-picture-not-saved = The event was saved, but not its picture: { $reason }
group-avatar = Avatar
group-avatar-current = The group's avatar now:
group-banner = Banner
group-banner-current = The group's banner now:
group-picture-not-saved = The group was saved, but not its picture: { $reason }

comments-title = Comments
comments-none = No comments yet.
comments-your-comment = Your comment or question
comments-send = Comment
comments-reply = Reply
comments-your-reply = Your reply
comments-send-reply = Send the reply
comments-login = Log in to comment
comments-deleted = This comment was deleted.
comments-edited = edited
comments-delete = Delete
comments-closed = The organizers closed the comments.
comments-moderated = The organizers moderate the comments: only they write here.
comments-cancelled = This event is cancelled: it takes no more comments.

## Recurring events
form-repeats = Repeats
form-repeats-none = Does not repeat
form-repeats-daily = Every day
form-repeats-weekly = Every week, on the same day
form-repeats-monthly-nth = Every month, on the same weekday (such as the second Tuesday)
form-repeats-monthly-day = Every month, on the same date
form-repeats-yearly = Every year
form-repeat-count = Number of dates (empty: no end)
form-repeat-until = Or until (day)
form-repeat-interval = Every how many (empty or 1: every one)
form-repeat-interval-hint = 2 with "Every week" is every other week; 3 with "Every month" is one month in three.
form-repeat-except = Without these days
form-repeat-except-hint = Days the event skips, written like 2027-02-23, separated by commas.
form-error-repeats = Choose how the event repeats from the list.
form-error-repeat_interval = Give a number from 1 to 99.
form-error-repeat_count = Give a number of dates from 1 to 1000, or leave it empty.
form-error-repeat_until = Give a day after the first date, within 10 years.
form-error-repeat_except = Write each day like 2027-02-23, at most 200 days, and keep at least one date.
form-preview = Show the dates
form-apply-to = Apply the changes to
form-apply-this = This date only
form-apply-following = This date and the following ones
form-apply-all = Every date to come
form-apply-hint = Several dates keep their own day: with the following ones or every date, change the time of day, not the day.
form-error-apply-to = Choose which dates the changes apply to.
form-preview-title = The first dates, { $rule }:
repeats-daily = every day
repeats-weekly = every week on { $day }
repeats-monthly-nth-1 = the first { $day } of each month
repeats-monthly-nth-2 = the second { $day } of each month
repeats-monthly-nth-3 = the third { $day } of each month
repeats-monthly-nth-4 = the fourth { $day } of each month
repeats-monthly-nth-last = the last { $day } of each month
repeats-monthly-day = each month on day { $day }
repeats-yearly = every year
repeats-times = { $count ->
    [one] once
   *[other] { $count } times
}
repeats-until = until { $day }
repeats-daily-n = every { $count } days
repeats-weekly-n = every { $count } weeks on { $day }
repeats-every-months = one month in { $count }
repeats-every-years = one year in { $count }
repeats-except = except { $days }
event-date-opens-later = not open for taking part yet
event-remote-series = part of a series on the instance it comes from
event-repeats = Repeats
event-next-dates = Next dates
# Problems of a submitted form, next to their field.
form-error-title = Give the event a title of 3 to 200 characters.
form-error-description = The description is too long: at most 50 000 characters.
form-error-begins = The start must be a date between the years 1970 and 9999.
form-error-begins-missing = Say when the event starts: a date and a time.
form-error-datetime = Give a date and a time, such as 14/07/2027 19:00.
form-error-time-skipped = This time does not exist in this time zone (the clocks skip it that night); choose another.
form-error-ends = The end must come after the start, before the year 10000.
form-error-timezone = Choose a time zone from the list, or type a city such as Paris.
form-error-group = You cannot publish for this group: choose another, or none.
form-error-picture = This picture could not be used.
form-error-picture_alt = Please describe the picture for people who cannot see it (choose the file again).
form-error-place = The place's name is too long or holds characters that are not allowed.
form-error-address = The address is too long or holds characters that are not allowed; type it again and look it up.
form-error-online = Give a web address starting with https://.
form-error-join = Choose how people take part.
form-error-external = Give the web address, starting with https://, where people register.
form-error-external-needed = People register elsewhere: give the web address where they do.
form-error-capacity = Give a number of seats from 1 to 1 000 000, or leave it empty for no limit.
form-error-visibility = Choose who can see the event.
form-error-status = Choose whether the event is confirmed.
form-error-category = Choose a category from the list.
form-error-tags = At most 10 tags, separated by commas, of at most 40 characters each.
form-error-other = Something in the form could not be accepted; check the fields and try again.
form-error-refused = This could not be saved:
form-errors-title = { $count ->
    [one] One thing to fix before saving:
   *[other] { $count } things to fix before saving:
}
picture-refused-unsupported = it is not a JPEG, PNG, WebP or GIF picture.
picture-refused-unreadable = the file is incomplete or damaged.
picture-refused-too-big = it is too large.
picture-refused-quota = your account has no storage left for it.
picture-refused-other = it could not be read.

# Notices after an action, and the pages that confirm what cannot be undone.
done-published = Your event is published.
done-draft = Your event is saved as a draft: only you and its organizers see it.
done-saved = Your changes are saved.
done-saved-following = Your changes are saved for this date and every following date of the series.
done-saved-all = Your changes are saved for every date of the series to come.
done-cancelled = The event is cancelled; its participants are being told by mail.
done-deleted = The event is deleted; its participants are being told by mail.
confirm-back = No, go back
confirm-cancel-question = Cancel “{ $title }”?
confirm-told-of-cancel = { $count ->
    [0] Nobody has signed up yet: nobody needs to be told.
    [one] One participant will be told by mail.
   *[other] { $count } participants will be told by mail.
}
confirm-cancel-stays = The event stays visible, marked as cancelled, and nobody can sign up any more. This cannot be undone.
confirm-cancel-button = Yes, cancel the event
confirm-delete-question = Delete “{ $title }”?
confirm-told-of-delete = { $count ->
    [0] Nobody has signed up yet: nobody needs to be told.
    [one] One participant will be told by mail that it is deleted.
   *[other] { $count } participants will be told by mail that it is deleted.
}
confirm-delete-gone = The event, its list of participants and its comments are removed for good. This cannot be undone.
confirm-delete-button = Yes, delete the event
confirm-leave-question = Cancel your participation in “{ $title }”?
confirm-leave-seat = Your place is given up; if people are waiting, the first in line takes it. You can sign up again while seats remain.
confirm-leave-button = Yes, cancel my participation
confirm-leave-waitlist-question = Leave the waitlist of “{ $title }”?
confirm-leave-waitlist-place = You lose your place in line; signing up again puts you at the end.
confirm-leave-waitlist-button = Yes, leave the waitlist
event-seats-taken = { $taken } of { $count ->
    [one] one seat
   *[other] { $count } seats
} taken
event-published-by = Published by
event-share = Share
event-share-link = Address of this event, to copy
# Shown only where the browser has its own way to share (a phone's share sheet).
event-share-native = Share…
event-share-qr = QR code of this event’s address
event-share-qr-hint = Scan it with a phone to open this event.
validate-continue = Continue to the page you were on

# Rules of the domain that refused a request, in words.
rule-last_administrator = A group keeps at least one administrator: make another member an administrator before leaving.
rule-event_full = This event is full.
rule-event_cancelled = This event is cancelled: it takes no more participants.
rule-event_past = This event is over.
rule-creator_cannot_leave = You created this event: you cannot leave it, but you can cancel it.
rule-event_draft = This event is not published yet.
rule-anonymous_participation_disabled = This event does not take participants without an account.
rule-event_external = People register for this event on the organizer’s page.
nav-new-group = Create a group
group-you-administrator = You are an administrator of this group: you can edit it, manage its members and publish its events.
group-you-moderator = You are a moderator of this group: you can publish its events and approve new members.
group-only-administrator = You are this group’s only administrator: make another member an administrator before you can leave.
confirm-leave-group-question = Leave “{ $name }”?
confirm-leave-group-after = You will no longer see its members-only events; you can ask to join again later.
confirm-leave-group-button = Yes, leave the group
form-timezone-hint = Type a city (Paris, Montréal) or pick a zone from the list.
form-zone-check = This zone is not yours: the start, { $times }.
form-zone-check-again = Check it, then publish again.

# Categories (Mobilizon's), as people name them.
category-ARTS = Arts
category-BOOK_CLUBS = Book clubs
category-BUSINESS = Business
category-CAUSES = Causes
category-COMEDY = Comedy
category-CRAFTS = Crafts
category-FOOD_DRINK = Food & drink
category-HEALTH = Health
category-MUSIC = Music
category-AUTO_BOAT_AIR = Cars, boats & planes
category-COMMUNITY = Community
category-FAMILY_EDUCATION = Family & education
category-FASHION_BEAUTY = Fashion & beauty
category-FILM_MEDIA = Film & media
category-GAMES = Games
category-LANGUAGE_CULTURE = Language & culture
category-LEARNING = Learning
category-LGBTQ = LGBTQ+
category-MOVEMENTS_POLITICS = Movements & politics
category-NETWORKING = Networking
category-PARTY = Party
category-PERFORMING_VISUAL_ARTS = Performing & visual arts
category-PETS = Pets
category-PHOTOGRAPHY = Photography
category-OUTDOORS_ADVENTURE = Outdoors & adventure
category-SPIRITUALITY_RELIGION_BELIEFS = Spirituality, religion & beliefs
category-SCIENCE_TECH = Science & tech
category-SPORTS = Sports
category-THEATRE = Theatre
category-MEETING = Meeting
participant-anonymous = Anonymous participant (by email)
nav-label = Main menu
pager-label = Pages of the list
done-approved = Approved: they are told by mail.
done-declined = Declined: they are told by mail.

footer-nav-label = About this instance
footer-about-link = About
footer-terms = Terms of service
footer-privacy = Privacy
about-rules = Rules
about-contact = Contact
about-administrators = Administrators
about-no-contact = The administrators have not published a contact address.
about-numbers = In numbers
about-people = { $count ->
    [one] { $count } person has an account here.
   *[other] { $count } people have an account here.
}
about-events = { $count ->
    [one] { $count } public event was published here.
   *[other] { $count } public events were published here.
}
about-groups = { $count ->
    [one] { $count } public group lives here.
   *[other] { $count } public groups live here.
}
about-software = This instance runs Convive { $version }, free software.
terms-title = Terms of service
privacy-title = Privacy
document-elsewhere = The administrators publish this text on another site.
terms-default-1 = The administrators of this instance have not written terms of their own yet.
terms-default-2 = Be respectful: content that breaks the law or the instance's rules may be removed, and accounts that publish it may be suspended.
terms-default-3 = Events and groups you publish publicly can be seen by anyone and are shared with other instances of the federated network.
privacy-default-intro = The administrators have not written a privacy policy of their own. This is what the Convive software stores on this instance, and for how long.
privacy-default-account = Your account: your email address, a hash of your password (never the password itself), your settings and your profiles, kept until you delete the account.
privacy-default-unconfirmed = { $count ->
    [one] An account whose email address is not confirmed within { $count } hour is deleted.
   *[other] An account whose email address is not confirmed within { $count } hours is deleted.
}
privacy-default-sessions = { $count ->
    [one] Sessions (to keep you logged in) last { $count } day and are deleted a day after they end.
   *[other] Sessions (to keep you logged in) last up to { $count } days and are deleted a day after they end.
}
privacy-default-participations = Your participations in events and memberships of groups, kept until you cancel them or delete your account.
privacy-default-anonymous = People who join an event without an account leave an email address; it is deleted a week after the event.
privacy-default-mail = { $count ->
    [one] Mail waiting to be sent (with its recipient's address) is deleted { $count } day after it was sent.
   *[other] Mail waiting to be sent (with its recipient's address) is deleted { $count } days after it was sent.
}
privacy-default-logs = The server's logs do not record visitors' IP addresses; limits against abuse count requests under a keyed hash of the address, deleted after a day.
privacy-default-federation = What you publish publicly (events, groups, public profiles, comments) is sent to other instances that follow it; they keep it under their own rules.
privacy-default-delete = You can delete your account at any time from your settings; your profiles are then deleted here and on the instances that received them.
# The administration (/admin) and reporting from pages
nav-admin = Administration
login-suspended = This account was suspended by the instance's moderators, so it cannot log in. Write to the instance's contact (see the About page) to know more.
admin-nav-label = Administration
admin-nav-dashboard = Dashboard
admin-nav-reports = Reports
admin-nav-log = Action log
admin-nav-users = Accounts
admin-nav-jobs = Failed jobs
admin-dashboard-title = Administration
admin-waiting = Waiting for you
admin-holdings = What this instance holds
admin-count-events = Events: { $local } from here, { $remote } from other instances
admin-count-people = People: { $local } from here, { $remote } from other instances
admin-count-groups = Groups: { $local } from here, { $remote } from other instances
admin-open-reports = { $count ->
    [one] { $count } open report
   *[other] { $count } open reports
}
admin-dead-jobs = { $count ->
    [one] { $count } job failed for good (mail not sent or activity not delivered)
   *[other] { $count } jobs failed for good (mail not sent or activities not delivered)
}
admin-follows-waiting = { $count ->
    [one] { $count } instance asks to follow this one
   *[other] { $count } instances ask to follow this one
}
admin-suspended-profiles = { $count ->
    [one] { $count } profile is suspended
   *[other] { $count } profiles are suspended
}
admin-reports-title = Reports
admin-reports-by-status = Reports by status
admin-reports-total = { $count ->
    [one] { $count } report
   *[other] { $count } reports
}
admin-report-status-open = Open
admin-report-status-resolved = Resolved
admin-report-status-closed = Closed
admin-report-number = Report
admin-report-reported = Reported
admin-report-reporter = Reported by
admin-report-reason = Reason
admin-report-when = Received
admin-report-status = Status
admin-report-origin = Origin
admin-report-title = Report #{ $id }
admin-report-anonymous = A visitor without an account (they hear the outcome by mail)
admin-report-unknown = Unknown
admin-report-from-peer = Sent by another instance
admin-report-forwarded = Also sent to { $domain }, at the reporter's request
admin-report-no-reason = The reporter gave no reason.
admin-report-events = Events reported
admin-report-comments = Comments reported
admin-report-see-comment = See it under its event
admin-report-decide = Decide
admin-report-resolve = Mark resolved
admin-report-close = Close without action
admin-report-reopen = Open again
admin-report-status-changed = The report is now: { $status }. A reporter from here is told by mail.
admin-report-notes = Moderators' notes
admin-report-no-notes = No notes yet.
admin-note-label = A note for the other moderators
admin-note-add = Add the note
admin-note-delete = Delete this note
form-error-note = Write a note of at most 5 000 characters.
admin-public-page = Public page
admin-profile-suspended = Suspended
admin-profile-manage = Manage the suspension
admin-suspension = Suspension
admin-suspend-profile = Suspend this profile
admin-suspend-question = Suspend { $name }?
admin-suspend-hides = Their events, comments and profile disappear from every page, list, search, feed and from the API.
admin-suspend-account = The account behind this profile is logged out and cannot log in again; it is told why.
admin-suspend-remote = This profile belongs to another instance: it is hidden here only.
admin-suspend-undo = Unsuspending brings everything back.
admin-suspend-reason = Why (kept in the action log)
admin-suspend-confirm = Suspend
admin-suspend-back = Go back
admin-suspended-by = by { $moderator }
admin-suspended-by-instance = by the instance
admin-hidden-by-block = Hidden because its instance is blocked; unblocking the instance shows it again.
admin-not-suspended = This profile is not suspended.
admin-unsuspend = Unsuspend
admin-notice-suspended = The profile is suspended.
admin-notice-unsuspended = The profile is no longer suspended.
admin-open-reports-about = { $count ->
    [one] { $count } open report about this profile
   *[other] { $count } open reports about this profile
}
admin-kind-local-person = person from here
admin-kind-remote-person = person from another instance
admin-kind-local-group = group from here
admin-kind-remote-group = group from another instance
admin-log-title = Action log
admin-log-empty = Nothing was done yet.
admin-log-when = When
admin-log-who = Who
admin-log-what = What
admin-log-object = On what
admin-log-why = Why
admin-log-instance = The instance
admin-action-report-closed = closed a report
admin-action-report-opened = opened a report again
admin-action-report-resolved = resolved a report
admin-action-note-created = added a note
admin-action-note-deleted = deleted a note
admin-action-event-deleted = deleted an event
admin-action-comment-deleted = deleted a comment
admin-action-event-updated = changed an event
admin-action-suspended = suspended a profile
admin-action-unsuspended = unsuspended a profile
admin-action-user-deleted = deleted an account
admin-action-user-role-changed = changed an account's role
admin-action-user-email-changed = changed an account's email address
admin-action-user-confirmed = confirmed an account
admin-action-user-disabled = disabled an account
admin-action-user-enabled = enabled an account again
admin-action-user-approved = approved a registration
admin-action-invitation-created = made an invitation link
admin-action-registration-changed = changed how people sign up
admin-jobs-title = Failed jobs
admin-job-kind = Kind
admin-job-failed = Failed
admin-job-attempts = Attempts
admin-job-error = Last error
admin-job-retry = Run again
admin-notice-retried = The job will run again shortly.
admin-previous = Previous page
admin-next = Next page
report-event-link = Report this event
report-comment-link = Report
report-person-link = Report this person
report-group-link = Report this group
report-title = Report to the moderators
report-what-event = The event “{ $title }”
report-what-comment = A comment by { $name }
report-what-profile = The profile of { $name }
report-reason = What is wrong?
report-reason-hint = The moderators of this instance read it; the person you report does not see who reported them.
form-error-reason = Write the reason in at most 5 000 characters.
report-forward = Also send this report to their instance
report-forward-hint = Its moderators can act there too. Your name is not sent, only that this instance reports it
report-email = Your email address
report-email-hint = Only to tell you what the moderators decide; it is not shown to anyone.
form-error-email = Give an email address such as name@example.org, to hear the outcome.
report-submit = Send the report
report-cancel = Cancel
report-thanks = Thank you: the moderators will look at your report.
report-thanks-next = You will get an email when they have decided.
report-back = Back to where you were

nav-messages = Messages
nav-messages-unread = { $count ->
    [one] 1 conversation unread
   *[other] { $count } conversations unread
}
event-write-participants = Write to participants
write-title = Write to participants
write-who = Who gets the message
write-to-all = Everyone who asked to take part
write-to-going = People going
write-to-waiting = People waiting (for approval or a seat)
write-to-declined = People declined
write-text = Message
write-hint = Each person gets it by mail and, with an account here, under Messages; their answers come to you alone.
write-next = Next: see who gets it
write-send = Send the message
write-confirm = { $count ->
    [one] This message goes to 1 person.
   *[other] This message goes to { $count } people.
}
write-problem-empty = Write a message first.
write-problem-nobody = Nobody has this status: pick other recipients.
messages-title = Messages
messages-none = No messages yet. When the organizers of an event you take part in write to you, their message shows here.
messages-unread = { $count ->
    [one] 1 unread message
   *[other] { $count } unread messages
}
messages-sent = { $count ->
    [one] Your message went to 1 person.
   *[other] Your message went to { $count } people.
}
conversation-title = Conversation
conversation-messages = Messages
conversation-your-answer = Your answer
conversation-send = Send the answer
rule-no_recipients = No participant has the status you picked.

## The accounts' administration
admin-users-title = Accounts
admin-users-search = Address contains
admin-users-search-hint = Part of an email address. Addresses of connections are not kept, so they cannot be searched.
admin-users-search-submit = Search
admin-users-only-waiting = Only registrations waiting for approval
admin-users-total = Accounts found:
admin-users-role = Role
admin-users-state = State
admin-users-pages = Pages of accounts
admin-users-previous = Previous page
admin-users-next = Next page
admin-users-role-user = User
admin-users-role-moderator = Moderator
admin-users-role-administrator = Administrator
admin-users-state-active = Active
admin-users-state-unconfirmed = Address not confirmed
admin-users-state-waiting = Waiting for approval
admin-users-state-disabled = Disabled
admin-users-invitations = Invitations
admin-users-invitations-intro = An invitation link lets one person sign up within 14 days, whatever the registration mode but closed.
admin-users-invite = Make an invitation link
admin-users-invitation-made = Give this link to the person you invite; it is shown only once:
admin-users-registrations = Who may register
admin-users-mode = Registration mode
admin-users-mode-open = Anyone
admin-users-mode-approval = Anyone, approved by a moderator
admin-users-mode-allowlist = Only the addresses and domains below
admin-users-mode-invitation = Only with an invitation
admin-users-mode-closed = Nobody
admin-users-allowlist = Allowed domains and addresses
admin-users-allowlist-hint = One a line, such as example.org or someone@example.net.
admin-users-rules-saved = Who may register is saved.
admin-users-back = All accounts
admin-users-created = Created
admin-users-last-login = Last login
admin-users-never = Never
admin-users-identities = Identities
admin-users-approve = Approve this registration
admin-users-approved = The registration is approved; the account was told by mail.
admin-users-notify = Tell the account by mail
admin-users-email = Email address
admin-users-access = Access
admin-users-confirm = Confirm the address
admin-users-disable = Disable the account
admin-users-enable = Enable the account
admin-users-saved = The account is saved.
admin-users-delete = Delete the account
admin-users-delete-question = Delete the account { $email }?
admin-users-delete-identities = Its identities are deleted, here and on the instances that knew them.
admin-users-delete-address = The account stays disabled, so that its address cannot sign up again.
admin-users-keep = Keep it
rule-account_disabled = This account was disabled by the administrators.
rule-registration_pending = A moderator has not approved this account yet.
rule-user_already_disabled = This account is already deleted.
rule-not_awaiting_approval = This account does not wait for an approval.
# Group posts
group-posts = Posts
group-posts-empty = No posts yet.
post-write = Write a post
post-edit = Edit the post
post-delete = Delete the post
post-draft = Draft: only the group's members see it.
post-members-only = Members only
post-unlisted = Unlisted: only with the link
post-title = Title
post-body = Text
post-body-hint = Markdown works: **bold**, *italics*, lists, links. Line breaks are kept.
post-visibility-public = Public: on the group's page, in its feed, and sent to its followers
post-visibility-unlisted = Unlisted: only with the link
post-visibility-private = Members only: the group's members
post-visibility-hint = Followers on other instances receive public and unlisted posts once they are published.
post-draft-box = Keep as a draft
post-draft-hint = A draft is seen by the group's members only, until you publish it.
post-picture-current = The post's picture now:
post-picture-not-saved = The post was saved, but not its picture: { $reason }
form-error-post_title = Give the post a title of 1 to 200 characters.
form-error-post_body = Write some text, at most 50,000 characters.
confirm-delete-post-question = Delete the post «{ $title }»?
confirm-delete-post-after = It disappears from the group's page and feed, here and on the instances that received it.
confirm-delete-post-button = Yes, delete the post
comments-not-federated = This event’s instance takes no comments from other instances: comment on its own site.
admin-action-job-retried = ran a failed job again
settings-new-report = Mail me each new report (moderators)
group-discussions = Discussions
discussions-of = Discussions of { $group }
discussions-count = { $count ->
    [0] no discussion yet
    [one] one discussion
   *[other] { $count } discussions
}
discussions-none = Nobody started a discussion yet. Start the first one below.
discussions-all = All discussions
discussions-mail-title = Mail about discussions
discussions-mail-on = You receive a mail when someone starts or answers a discussion of this group.
discussions-mail-off = You receive no mail about the discussions of this group.
discussions-mail-stop = Stop these mails
discussions-mail-start = Receive these mails
discussion-start = Start a discussion
discussion-title-label = Title
discussion-first-comment = Your first message
discussion-start-button = Start the discussion
discussion-comments = Messages of the discussion
discussion-earlier = Earlier messages
discussion-later = Later messages
discussion-edit-comment = Edit
discussion-your-comment = Your message
discussion-save-comment = Save the message
discussion-your-answer = Your answer
discussion-answer = Answer
discussion-rename = Rename
discussion-delete = Delete the discussion
confirm-delete-discussion-question = Delete the discussion «{ $title }»?
confirm-delete-discussion-after = All its messages go with it, for every member.
confirm-delete-discussion-button = Yes, delete the discussion

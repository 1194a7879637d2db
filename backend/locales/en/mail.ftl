## Account confirmation
confirm-subject = Confirm your account on { $instance }
confirm-title = Welcome to { $instance }
confirm-intro = You (or someone using your address) created an account on { $instance }. Confirm it to start joining and organizing events.
confirm-button = Confirm my account
confirm-expiry = This link is valid for 48 hours. After that, the unconfirmed account is deleted.
confirm-not-you = If you did not create this account, ignore this message: nothing will happen.

## Password reset
reset-subject = Reset your password on { $instance }
reset-title = Choose a new password
reset-intro = Someone asked to reset the password of your account on { $instance }.
reset-button = Choose a new password
reset-expiry = This link is valid for 2 hours and works once.
reset-not-you = If you did not ask for this, ignore this message: your password stays the same.

## Facts about an event, shown in every mail about it
event-title = Event
event-when = When
event-where = Where
event-online = Online
event-open = See the event
footer-participant = You receive this message because you take part in this event on { $instance }.
footer-group = You receive this message because you are a member or a follower of { $group } on { $instance }. Change this in your settings.
footer-organizer = You receive this message because you organize events on { $instance }. Change how often in your settings.

## To participants, about the event
event-cancelled-subject = Cancelled: { $title }
event-cancelled-title = This event is cancelled
event-cancelled-intro = The organizers cancelled “{ $title }”. It will not take place.
event-deleted-subject = Deleted: { $title }
event-deleted-title = This event was deleted
event-deleted-intro = The organizers deleted “{ $title }”. It will not take place as announced.
event-hidden-subject = No longer shown: { $title }
event-hidden-title = This event is no longer shown
event-hidden-intro = The moderators of { $instance } suspended the organizers of “{ $title }”: the event is no longer shown there, and it may not take place as planned. Check with the organizers before you go.
event-updated-subject = Changed: { $title }
event-updated-title = An event you take part in changed
event-updated-intro = The organizers changed “{ $title }”. Here is what is new:
changed-title = New title (it was “{ $before }”).
changed-time = New time (it was { $before }).
changed-place = New place (it was { $before }).
changed-status-confirmed = The event is now confirmed.
changed-status-tentative = The event is now tentative: it may still change.
changed-status-cancelled = The event is cancelled.

## To participants, about several dates of a recurring event
series-updated-subject = Changed: { $title }, several dates
series-updated-title = A recurring event you take part in changed
series-updated-intro = The organizers changed “{ $title }” for several of its dates at once.
series-cancelled-subject = Cancelled: { $title }, several dates
series-cancelled-title = Dates of a recurring event are cancelled
series-cancelled-intro = The organizers cancelled several dates of “{ $title }”. They will not take place.
series-dates = This applies to { $count ->
    [one] one date
   *[other] { $count } dates
} you take part in, the first of them below.

## To a group's members and followers
new-group-event-subject = New event by { $group }: { $title }
new-group-event-title = { $group } published a new event
new-group-event-intro = “{ $title }” was just published by { $group }.

## Participations
participation-confirmed-subject = You take part in “{ $title }”
participation-confirmed-title = See you there!
participation-confirmed-intro = Your participation in “{ $title }” is confirmed. The event is attached: open it to add it to your calendar.
participation-pending-subject = Your request for “{ $title }” is waiting
participation-pending-title = Your request is waiting for the organizers
participation-pending-intro = The organizers of “{ $title }” approve each participant. You will receive a message when they decide.
participation-approved-subject = Approved: you take part in “{ $title }”
participation-approved-title = Your participation is approved
participation-approved-intro = The organizers approved your participation in “{ $title }”. The event is attached: open it to add it to your calendar.
participation-rejected-subject = Your request for “{ $title }” was declined
participation-rejected-title = Your request was declined
participation-rejected-intro = The organizers of “{ $title }” could not accept your participation.
participation-anonymous-subject = Confirm your participation in “{ $title }”
participation-anonymous-title = Confirm your participation
participation-anonymous-intro = Someone (probably you) asked to take part in “{ $title }” with this address. Confirm it with the button below; if it was not you, ignore this message.
participation-confirm-button = Confirm my participation
participation-cancel-button = Cancel my participation

## To organizers
pending-subject = { $count ->
    [one] A participation waits for your approval
   *[other] { $count } participations wait for your approval
}
pending-title = Participations wait for your approval
pending-intro = People asked to take part in your events on { $instance }. Approve or decline them:
pending-line = { $title }: { $count } waiting

## Reminders
reminder-before-subject = Soon: { $title }
reminder-before-title = Your event starts in one hour
reminder-before-intro = “{ $title }” starts soon.
reminder-day-subject = { $count ->
    [one] Today: your event
   *[other] Today: your { $count } events
}
reminder-day-title = Your events today
reminder-day-intro = { $count ->
    [one] Here is the event you take part in today.
   *[other] Here are the { $count } events you take part in today.
}
participation-waitlisted-subject = You are on the waitlist of “{ $title }”
participation-waitlisted-title = You are { $position } on the waitlist
participation-waitlisted-intro = Every seat of “{ $title }” is taken, so you are { $position } on the waitlist. When a seat frees, the first in line gets it, and you will receive a message.
participation-promoted-subject = A seat is yours: you take part in “{ $title }”
participation-promoted-title = A seat freed up for you
participation-promoted-intro = Someone left “{ $title }” and you were first on the waitlist: you take part now. The event is attached: open it to add it to your calendar.

report-outcome-subject = Your report on { $instance }
report-outcome-title = What became of your report
report-resolved = The moderators of { $instance } looked at your report about { $reported } and acted on it.
report-closed = The moderators of { $instance } looked at your report about { $reported } and closed it without further action.
report-outcome-thanks = Thank you for helping keep { $instance } a good place.

private-message-subject = A message from the organizers of “{ $title }”
private-message-title = The organizers of “{ $title }” wrote to you
private-message-intro = The organizers of “{ $title }” wrote:
private-message-answer = Answer them
## What administrators did to an account
account-changed-subject = Your account on { $instance } was changed
account-changed-title = An administrator changed your account
account-changed-email = Your account's email address is now { $email }.
account-changed-role-user = Your account is now a plain user's account.
account-changed-role-moderator = Your account is now a moderator's.
account-changed-role-administrator = Your account is now an administrator's.
account-changed-confirmed = Your account is confirmed: you can log in.
account-changed-disabled = Your account is disabled: you cannot log in any more.
account-changed-enabled = Your account is enabled again: you can log in.
account-changed-contact = If you have questions, answer the contact given on the about page of { $instance }.
account-approved-subject = Your registration on { $instance } is approved
account-approved-title = Welcome to { $instance }
account-approved-intro = A moderator of { $instance } approved your registration.
account-approved-confirm-first = Confirm your address with the link of the first mail we sent you, then log in.
account-approved-button = Log in

## To moderators, when a report arrives
report-new-subject = New report on { $instance }
report-new-title = A report arrived
report-new-intro = Someone reported { $reported } to the moderators of { $instance }.
report-new-button = Open the administration
report-new-why = You receive this message because you moderate { $instance }.

## To a group's members, about its discussions
discussion-started-subject = { $group }: { $author } started “{ $title }”
discussion-started-intro = { $author } started a discussion in { $group }:
discussion-reply-subject = { $group }: { $author } answered in “{ $title }”
discussion-reply-intro = { $author } answered in a discussion of { $group }:
discussion-open = Open the discussion
discussion-why = You receive this message because you are a member of { $group } on { $instance }. The group's discussions page lets you stop these messages.

# A comment mentions a person of this instance (`@name`).
comment-mention-subject = { $author } mentioned you under “{ $title }”
comment-mention-intro = { $author } mentioned you in a comment under the event “{ $title }”:
comment-mention-open = See the comment
comment-mention-why = You receive this message because { $author } mentioned you on { $instance }.

## Changing an account's email address

email-change-subject = Confirm your new email address on { $instance }
email-change-title = Confirm your new address
email-change-intro = You asked to use this address for your account on { $instance }. Confirm it to receive your messages here from now on.
email-change-button = Use this address
email-change-expiry = This link is valid for 48 hours and works once.
email-change-not-you = If you did not ask for this, ignore this message: nothing will change.
email-change-notice-subject = Your email address on { $instance } is about to change
email-change-notice-title = A new address was asked for
email-change-notice-intro = Someone logged in to your account on { $instance } asked to use { $email } instead of this address. It will change once the link sent there is followed.
email-change-notice-not-you = If this was not you, change your password now: whoever asked knows it.

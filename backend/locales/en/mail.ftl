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

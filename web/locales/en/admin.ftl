# The administration's pages for administrators: the instance's settings and other instances.
admin-nav-settings = Settings
admin-nav-instances = Instances
admin-action-settings-changed = changed what the instance says about itself
admin-action-domain-blocked = blocked an instance
admin-action-domain-unblocked = unblocked an instance
admin-action-instance-followed = made our instance follow another
admin-action-instance-unfollowed = made our instance stop following another
admin-action-instance-follow-accepted = let another instance follow ours
admin-action-instance-follow-refused = refused another instance's request to follow ours
admin-action-instance-follower-removed = removed an instance from our followers

admin-settings-title = The instance's settings
admin-settings-saved = The settings are saved: every page shows them now.
admin-settings-identity = The instance
admin-settings-identity-hint = Until you change them here, these come from convive.toml (the [instance] keys); once saved here, every node shows yours.
admin-settings-timezone-hint = A time zone name such as Europe/Paris: for accounts that have none and their new events.
admin-settings-name = Name
admin-settings-description = Short description
admin-settings-contact = Contact address
admin-settings-language = Default language
admin-settings-timezone = Default time zone
admin-settings-registrations = Who may sign up is chosen on the accounts page.
admin-settings-presentation = What the instance says about itself
admin-settings-slogan = Slogan
admin-settings-long-description = Long description (on the about page)
admin-settings-text-hint = Line breaks are kept and Markdown works (**bold**, lists, links).
admin-settings-rules = Rules
admin-settings-terms = Terms of service
admin-settings-privacy = Privacy policy
admin-settings-kind-default = Convive's default text
admin-settings-kind-url = Published elsewhere, at an address
admin-settings-kind-custom = Our own text, below
admin-settings-url = Address (https://…)
admin-settings-text = Text
admin-settings-colours = Colours
admin-settings-colour-hint = For the apps that show the instance in its colours: a colour such as #1e7d97, or nothing.
admin-settings-primary-colour = Main colour
admin-settings-secondary-colour = Second colour
form-error-settings-name = Give the instance a name of at most 100 characters.
form-error-settings-description = The short description is too long: at most 500 characters.
form-error-settings-contact = Give an email address such as contact@example.org, or leave it empty.
form-error-settings-language = Choose one of the languages offered.
form-error-settings-timezone = Give a time zone name such as Europe/Paris.
form-error-settings-slogan = Write a slogan of at most 255 characters.
form-error-settings-long_description = The long description is too long: at most 20 000 characters.
form-error-settings-rules = The rules are too long: at most 20 000 characters.
form-error-settings-terms_kind = Choose where the terms are.
form-error-settings-terms_url = Give the address where the terms are published, starting with https://.
form-error-settings-terms = Write the terms (at most 100 000 characters), or choose another option.
form-error-settings-privacy_kind = Choose where the privacy policy is.
form-error-settings-privacy_url = Give the address where the privacy policy is published, starting with https://.
form-error-settings-privacy = Write the privacy policy (at most 100 000 characters), or choose another option.
form-error-settings-primary_color = Give a colour such as #1e7d97, or leave it empty.
form-error-settings-secondary_color = Give a colour such as #f7c948, or leave it empty.

admin-instances-title = Other instances
admin-instances-follow-title = Follow another instance
admin-instances-domain = Domain
admin-instances-follow-hint = Its domain, such as events.example.org. Once it accepts, its public events come here.
admin-instances-follow = Follow
admin-instances-known = Instances we know
admin-instances-total = { $count ->
    [one] { $count } instance follows ours or is followed by it
   *[other] { $count } instances follow ours or are followed by it
}
admin-instances-instance = Instance
admin-instances-we-follow = We follow it
admin-instances-follows-us = It follows us
admin-instances-stored = Stored here
admin-instances-actions = Actions
admin-instances-yes = Yes
admin-instances-pending = Asked, no answer yet
admin-instances-no = No
admin-instances-holdings = Events: { $events } · People: { $people } · Groups: { $groups }
admin-instances-unfollow = Stop following
admin-instances-accept = Accept
admin-instances-reject = Refuse
admin-instances-remove-follower = Stop it following us
admin-instances-blocked = Blocked instances
admin-instances-none-blocked = No instance is blocked.
admin-instances-since = Blocked on
admin-instances-unblock = Unblock
admin-instances-block-title = Block an instance
admin-instances-block-hint = Nothing is received from it or sent to it any more; its events, its people's participations and follows here, and the pictures copied from it are deleted; its profiles are hidden until it is unblocked.
admin-instances-block-reason = Why (kept in the action log)
admin-instances-block = Block
admin-instances-done-followed = Our instance asked to follow it: "We follow it" says Yes once it accepts.
admin-instances-done-unfollowed = Our instance no longer follows it.
admin-instances-done-accepted = It follows our instance now.
admin-instances-done-rejected = It does not follow our instance.
admin-instances-done-blocked = The instance is blocked.
admin-instances-done-unblocked = The instance is unblocked.
admin-block-question = Block { $domain }?
admin-block-cut = Nothing will be received from it or sent to it any more. Its profiles are hidden here until it is unblocked; its comments here and the pictures copied from it are deleted.
admin-block-follows = { $count ->
    [0] None of its people, groups or instance follows anyone here.
    [one] 1 follow of its people, groups or instance here ends.
   *[other] { $count } follows of its people, groups or instance here end.
}
admin-block-actors = { $count ->
    [0] No profile of it is known here.
    [one] 1 known profile of it (person, group or instance) is hidden.
   *[other] { $count } known profiles of it (people, groups, its instance) are hidden.
}
admin-block-events = { $count ->
    [0] No event of it is stored here.
    [one] 1 of its events stored here is deleted, with its participations.
   *[other] { $count } of its events stored here are deleted, with their participations.
}
admin-block-undo = Unblocking shows its profiles again; its events and follows come back only as it sends them again.
admin-block-back = Do not block it
form-error-instances-follow_domain = No Convive or Mobilizon instance answers at this domain: check it, such as events.example.org.
form-error-instances-block_domain = Give a domain such as spam.example, other than this instance's.
form-taken-instances-block_domain = This domain is blocked already.
form-error-instances-block_reason = Write the reason in at most 1 000 characters.

## Lists of participants exported for organizers

export-column-name = Participant name
export-column-status = Participant status
export-column-registered = Participant registration date
export-column-message = Participant message
export-anonymous = Anonymous participant
export-role-creator = Creator
export-role-administrator = Administrator
export-role-moderator = Moderator
export-role-participant = Participant
export-role-not-approved = Not approved
export-role-not-confirmed = Not confirmed
export-role-rejected = Rejected
export-role-waitlisted = On the waitlist
export-file-name = { $event }_participants

#!/usr/bin/env python3
"""Walks through Convive's groups, events and RSVPs against a running instance.

Two people sign up, one creates a group and a restricted event with two seats that starts in
61 minutes; three people RSVP (one anonymously, by email); the organizer approves; the event is
full; someone leaves and frees a seat; a reminder lands in the mail outbox one minute later.

Usage: python3 tests/demo.py [URL] [MAIL_OUTBOX]
       (defaults: http://127.0.0.1:4000 and ./mail-outbox, what `cargo run --release` uses)
Only the Python standard library is needed.
"""

import datetime
import email
import email.policy
import json
import pathlib
import re
import sys
import time
import urllib.request
import uuid

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:4000"
OUTBOX = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else "mail-outbox")
RUN = uuid.uuid4().hex[:6]


def gql(query, variables=None, token=None, expect_error=None):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(URL + "/graphql", body, {"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as response:
        answer = json.load(response)
    errors = answer.get("errors")
    if expect_error:
        code = errors[0]["extensions"]["code"] if errors else None
        if code != expect_error:
            sys.exit(f"expected error {expect_error}, got {answer}")
        return errors[0]
    if errors:
        sys.exit(f"GraphQL error: {json.dumps(errors, indent=2)}")
    return answer["data"]


def wait_for_mail(to, subject_part, timeout=120):
    """The text of the first message in the outbox to `to` whose subject contains `subject_part`."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(OUTBOX.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message["To"] and to in message["To"] and subject_part in message["Subject"]:
                return message.get_body(preferencelist=("plain",)).get_content()
        time.sleep(0.5)
    sys.exit(f"no mail to {to} about {subject_part!r} in {OUTBOX} after {timeout}s")


def link(text, path):
    found = re.search(r"https?://\S*" + re.escape(path) + r"\S*", text)
    if not found:
        sys.exit(f"no {path} link in:\n{text}")
    return found.group(0)


def person(name):
    address = f"{name}-{RUN}@example.org"
    gql('mutation($e: String!) { createUser(email: $e, password: "demo password 123") { id } }', {"e": address})
    token = link(wait_for_mail(address, "Confirm"), "/validate/").rsplit("/", 1)[1]
    access = gql("mutation($t: String!) { validateUser(token: $t) { accessToken } }", {"t": token})["validateUser"]["accessToken"]
    gql("mutation($u: String!) { createPerson(preferredUsername: $u, name: $u) { id } }", {"u": f"{name}_{RUN}"}, access)
    print(f"  {name} signed up and confirmed ({address})")
    return address, access


def step(text):
    print(f"\n== {text}")


step("two organizers-to-be and a guest sign up")
alice, alice_token = person("alice")
bob, bob_token = person("bob")
dave, dave_token = person("dave")
gql("mutation { setUserSettings(notificationBeforeEvent: true, timezone: \"Europe/Paris\") { notificationBeforeEvent } }", token=dave_token)
print("  dave asked for a reminder one hour before his events")

step("alice creates a group and a restricted event with 2 seats, starting in 61 minutes")
group = gql('mutation($u: String!) { createGroup(preferredUsername: $u, name: "Repair collective") { id } }',
            {"u": f"repair_{RUN}"}, alice_token)["createGroup"]
begins = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=61)).replace(microsecond=0)
event = gql(
    """mutation($g: ID!, $b: DateTime!) {
        createEvent(attributedToId: $g, title: "Repair café", beginsOn: $b, joinOptions: RESTRICTED,
            physicalAddress: { description: "Maison des associations", locality: "Lyon", geom: "4.8357;45.7640" },
            options: { maximumAttendeeCapacity: 2, anonymousParticipation: true, timezone: "Europe/Paris" }) { id uuid url }
    }""",
    {"g": group["id"], "b": begins.isoformat()}, alice_token)["createEvent"]
print(f"  {event['url']}")

step("three RSVPs: bob, dave, and carol by email without an account")
join = "mutation($e: ID!, $a: ID, $m: String, $email: String) { joinEvent(eventId: $e, actorId: $a, message: $m, email: $email) { id role } }"
print("  bob:", gql(join, {"e": event["id"], "m": "I can fix bikes"}, bob_token)["joinEvent"]["role"])
print("  dave:", gql(join, {"e": event["id"]}, dave_token)["joinEvent"]["role"])
anonymous_actor = gql("{ config { anonymous { actorId } } }")["config"]["anonymous"]["actorId"]
carol = f"carol-{RUN}@example.org"
print("  carol:", gql(join, {"e": event["id"], "a": anonymous_actor, "email": carol})["joinEvent"]["role"])
token = link(wait_for_mail(carol, "Confirm your participation"), "/participation/email/confirm/").rsplit("/", 1)[1]
print("  carol follows the link in her mail:",
      gql("mutation($t: String!) { confirmParticipation(confirmationToken: $t) { role } }", {"t": token})["confirmParticipation"]["role"])
wait_for_mail(alice, "wait")
print("  alice was told that requests wait for her")

step("alice approves bob and carol; the event is then full")
participants = gql("""query($u: UUID!) { event(uuid: $u) { participants(roles: "not_approved") {
    elements { id actor { preferredUsername } } } } }""", {"u": event["uuid"]}, alice_token)["event"]["participants"]["elements"]
by_name = {p["actor"]["preferredUsername"]: p["id"] for p in participants}
update = "mutation($id: ID!, $r: ParticipantRoleEnum!) { updateParticipation(id: $id, role: $r) { role } }"
gql(update, {"id": by_name[f"bob_{RUN}"], "r": "PARTICIPANT"}, alice_token)
gql(update, {"id": by_name["anonymous"], "r": "PARTICIPANT"}, alice_token)
error = gql(update, {"id": by_name[f"dave_{RUN}"], "r": "PARTICIPANT"}, alice_token, expect_error="event_full")
print(f"  approving dave: {error['extensions']['code']} ({error['message']})")
wait_for_mail(bob, "Approved")
print("  bob got his approval, with the event's .ics attached")

step("bob leaves, which frees a seat for dave")
gql("mutation($e: ID!) { leaveEvent(eventId: $e) { id } }", {"e": event["id"]}, bob_token)
print("  dave:", gql(update, {"id": by_name[f"dave_{RUN}"], "r": "PARTICIPANT"}, alice_token)["updateParticipation"]["role"])
stats = gql("query($u: UUID!) { event(uuid: $u) { participantStats { going participant } } }", {"u": event["uuid"]})
print("  participants:", stats["event"]["participantStats"])

step("one minute later (one hour before the start), dave's reminder is in the outbox")
text = wait_for_mail(dave, "Soon", timeout=150)
print("  " + "\n  ".join(line for line in text.splitlines()[:8] if line.strip()))
print("\nDone.")

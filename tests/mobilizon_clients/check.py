#!/usr/bin/env python3
"""Two Mobilizon clients written by others, unchanged, against a running Convive at `/api`.

1. calendar-event-engine (PyPI; the publisher of the EventScraper bot) logs in with an email and
   a password the way it does with Mobilizon (`login`, then `identities` for the bot's actor,
   through `gql`, which first reads our schema by introspection and validates every document
   against it), finds the group it posts for by `loggedUser { memberships(name: "eventbot") }`,
   uploads the event's picture from an address (Absinthe's multipart upload: `variables` as a
   JSON string naming the file's part), creates an event in that group with that picture, a
   place and a category (`createEvent` written inline, as it writes it), and logs out.
2. mobilizon-reshare (PyPI; reshares a group's events to Mastodon, Telegram, …), configured as
   its users do (environment variables), runs its own command line: `pull` reads the group's
   future events (`group { organizedEvents(afterDatetime:) }`, one JSON `POST /api`) into its
   database, `event list` prints them.

The event they made and read is then checked through our own GraphQL and the event's page.

Usage:
  check.py URL --email E --password P      (a confirmed user with an identity)
  check.py URL --mail-outbox DIR           (signs up; the file mail transport)
Run with the interpreter of calendar-event-engine's virtual environment; `--reshare` names
mobilizon-reshare's command (both installed by `.ci/install`). Exits non-zero on any failure.
"""

import argparse
import datetime
import email
import email.policy
import http.server
import json
import os
import pathlib
import re
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
import zlib

from calendar_event_engine.publishers.mobilizon.api import MobilizonAPI
from calendar_event_engine.publishers.mobilizon.types import EventParameters, MobilizonEvent

RUN = uuid.uuid4().hex[:6]
TIMEOUT = 60
PASSWORD = "a client's password 123"
# calendar-event-engine looks for the groups whose name contains this word.
GROUP = f"eventbot_{RUN}"


class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)
    print(f"ok: {what}")


class Convive:
    """Our side: setting up what the clients need, and checking what they did."""

    def __init__(self, url):
        self.url = url.rstrip("/")
        self.token = None

    def gql(self, query, variables=None):
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(self.url + "/api", body, {"Content-Type": "application/json"})
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            answer = json.load(response)
        if answer.get("errors"):
            raise Failure(f"GraphQL error: {json.dumps(answer['errors'])}")
        return answer["data"]

    def log_in(self, address, password):
        login = self.gql(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
            {"e": address, "p": password},
        )
        self.token = login["login"]["accessToken"]

    def sign_up(self, outbox):
        address = f"client-{RUN}@example.org"
        self.gql("mutation($e: String!, $p: String!) { createUser(email: $e, password: $p) { id } }", {"e": address, "p": PASSWORD})
        deadline = time.time() + TIMEOUT
        text = None
        while text is None and time.time() < deadline:
            for path in sorted(pathlib.Path(outbox).glob("*.eml")):
                message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                if message["To"] and address in message["To"] and "Confirm" in message["Subject"]:
                    text = message.get_body(preferencelist=("plain",)).get_content()
            time.sleep(0.2)
        if text is None:
            raise Failure(f"no confirmation mail to {address} in {outbox}")
        link = re.search(r"https?://\S*/validate/(\S+)", text)
        if not link:
            raise Failure("no /validate/ link in the confirmation mail")
        validated = self.gql("mutation($t: String!) { validateUser(token: $t) { accessToken } }", {"t": link.group(1)})
        self.token = validated["validateUser"]["accessToken"]
        self.gql("mutation($u: String!) { createPerson(preferredUsername: $u, name: $u) { id } }", {"u": f"client_{RUN}"})
        return address, PASSWORD

    def create_group(self):
        created = self.gql(
            'mutation($u: String!) { createGroup(preferredUsername: $u, name: "Event bot", visibility: PUBLIC) { id } }',
            {"u": GROUP},
        )
        return created["createGroup"]["id"]

    def page(self, path):
        with urllib.request.urlopen(self.url + path, timeout=TIMEOUT) as response:
            return response.read().decode()


def png(width, height):
    """A small picture, made here (the bot fetches the pictures of the events it scrapes)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 4 % 256, y * 5 % 256, 90)) for x in range(width)) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def serve_picture():
    """The scraped site's picture, at an address of its own on loopback."""
    picture = png(64, 48)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(picture)))
            self.end_headers()
            self.wfile.write(picture)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/banner.png"


def post_with_calendar_event_engine(api_url, address, password, begins, ends):
    """What the bot does for each event it scraped: log in, find its group, upload the
    event's picture, post, log out."""
    api = MobilizonAPI(api_url, address, password)
    check(api.bot_actor.id > 0, f"calendar-event-engine logged in and found its actor {api.bot_actor.preferredUsername}")
    memberships = api.getGroups()["loggedUser"]["memberships"]["elements"]
    groups = [m["parent"] for m in memberships if m["parent"]["preferredUsername"] == GROUP]
    check(len(groups) == 1, "calendar-event-engine found the group it posts for among its memberships")
    group_id = int(groups[0]["id"])
    site, picture_url = serve_picture()
    try:
        media_id = api.upload_file(picture_url)
    finally:
        site.shutdown()
    check(media_id != "", "calendar-event-engine uploaded the event's picture")
    event = MobilizonEvent(
        attributedToId=group_id,
        title=f"Repair café {RUN}",
        description="Bring what is broken; we fix it together.",
        beginsOn=begins.isoformat(),
        endsOn=ends.isoformat(),
        physicalAddress=EventParameters.Address(
            locality="New Haven", postalCode="06510", street="250 State St", country="United States"
        ),
        category=EventParameters.Categories.crafts,
        picture=EventParameters.MediaInput(mediaId=media_id),
    )
    created = api.bot_created_event(event)
    check(bool(created["uuid"]), f"calendar-event-engine created event {created['uuid']}")
    api.logout()
    return created, group_id


def read_with_mobilizon_reshare(reshare, api_url, work):
    """mobilizon-reshare's own command line, with the configuration file its users write (no
    platform to publish to: `pull` and `event list` only read)."""
    version = subprocess.run([reshare, "--version"], capture_output=True, text=True, timeout=TIMEOUT)
    config = work / "config" / "mobilizon-reshare" / version.stdout.strip()
    config.mkdir(parents=True)
    platforms = ["telegram", "facebook", "twitter", "mastodon", "zulip"]
    (config / "mobilizon_reshare.toml").write_text(
        "\n".join(
            [
                "[default]",
                f'local_state_dir = "{work / "state"}"',
                'log_dir = "@format {this.local_state_dir}"',
                'db_url = "@format sqlite://{this.local_state_dir}/events.db"',
                'locale = "en-us"',
                "[default.source.mobilizon]",
                f'url = "{api_url}"',
                f'group = "{GROUP}"',
                "[default.selection]",
                'strategy = "next_event"',
                "[default.selection.strategy_options]",
                "break_between_events_in_minutes = 60",
                *[f"[default.publisher.{name}]\nactive = false" for name in platforms],
                *[f"[default.notifier.{name}]\nactive = false" for name in platforms],
                "[default.logging]",
                "version = 1",
                "disable_existing_loggers = false",
                "[default.logging.handlers.console]",
                'class = "logging.StreamHandler"',
                'stream = "ext://sys.stderr"',
                "[default.logging.root]",
                'level = "INFO"',
                "handlers = ['console']",
                "",
            ]
        )
    )
    (work / "state").mkdir()
    env = dict(os.environ, XDG_CONFIG_HOME=str(work / "config"), TZ="UTC")  # it prints local times
    outputs = []
    for command in (["pull"], ["event", "list"]):
        done = subprocess.run([reshare, *command], env=env, capture_output=True, text=True, timeout=TIMEOUT)
        output = done.stdout + done.stderr
        if done.returncode != 0:
            raise Failure(f"mobilizon-reshare {' '.join(command)} exited with {done.returncode}:\n{output}")
        outputs.append(output)
    return outputs


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", help="the instance's address, http://127.0.0.1:PORT")
    parser.add_argument("--email", help="a confirmed user with an identity")
    parser.add_argument("--password")
    parser.add_argument("--mail-outbox", help="the instance's file mail outbox, to sign up")
    parser.add_argument("--reshare", required=True, help="mobilizon-reshare's command")
    args = parser.parse_args()
    convive = Convive(args.url)
    if args.mail_outbox:
        address, password = convive.sign_up(args.mail_outbox)
    elif args.email and args.password:
        address, password = args.email, args.password
        convive.log_in(address, password)
    else:
        parser.error("give --email and --password, or --mail-outbox")
    api_url = convive.url + "/api"
    try:
        convive.create_group()
        # Whole seconds, as the bot writes them (an offset, not `Z`).
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        begins = now + datetime.timedelta(days=3)
        ends = begins + datetime.timedelta(hours=2)
        created, group_id = post_with_calendar_event_engine(api_url, address, password, begins, ends)

        seen = convive.gql(
            """query($uuid: UUID!) { event(uuid: $uuid) { title beginsOn endsOn category
                attributedTo { id preferredUsername } organizerActor { preferredUsername }
                physicalAddress { locality postalCode street country } picture { url } } }""",
            {"uuid": created["uuid"]},
        )["event"]
        check(seen["title"] == f"Repair café {RUN}", "the event has the title the client sent")
        check(seen["attributedTo"]["preferredUsername"] == GROUP, "the event is the group's")
        check(int(seen["attributedTo"]["id"]) == group_id, "in the group the client found")
        check(seen["category"] == "CRAFTS", "with the client's category")
        check(seen["physicalAddress"]["locality"] == "New Haven", "and its place")
        check(bool(seen["picture"] and seen["picture"]["url"]), "and the picture it uploaded")
        check(
            datetime.datetime.fromisoformat(seen["beginsOn"].replace("Z", "+00:00")) == begins,
            "at the time the client sent",
        )
        page = convive.page(f"/events/{created['uuid']}")
        check(f"Repair café {RUN}" in page, "its page shows it")

        with tempfile.TemporaryDirectory() as work:
            pulled, listed = read_with_mobilizon_reshare(args.reshare, api_url, pathlib.Path(work))
        check("Pulled 1 events from Mobilizon" in pulled, "mobilizon-reshare pulled the group's one event")
        check(created["uuid"] in listed, "mobilizon-reshare lists it by its uuid")
        check(f"Repair café {RUN}" in listed, "with its title")
        check(begins.isoformat() in listed, "and its start")
    except Failure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    print("both Mobilizon clients work against Convive")
    return 0


if __name__ == "__main__":
    sys.exit(main())

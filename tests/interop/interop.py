#!/usr/bin/env python3
"""Convive's federation checked by independent implementations, against a running instance.

1. fediverse-pasture's `verify_actor` (its own actors on localhost) fetches one of our groups,
   posts to its inbox unsigned (alice, dean: must be refused) and signed (bob, claire, emily,
   frank: must be accepted; claire and frank also require our fetches of their actors to be
   signed), and checks that WebFinger agrees with the actor document.
2. A small peer written with bovine follows that group with a signed `Follow`, must receive a
   signed `Accept`, then a signed `Create` of the `Event` we publish through GraphQL, then joins
   that free event (`Join`, answered by a signed `Accept`) and leaves it (`Leave`); it verifies
   both signatures with bovine (key fetched from our server).
3. The same peer then undoes its Follow with an RFC 9421 signature (`Signature-Input`,
   rsa-v1_5-sha256, `Content-Digest`) made by the `http-message-signatures` library: accepted,
   the group has one follower less; the same request with another body is refused (401).

The instance must run with `federation.debug = true` (plain http and loopback peers) and a
public URL with a host name (`http://localhost:PORT`, not an IP address).

Usage:
  python tests/interop/interop.py URL --token ACCESS_TOKEN   (a confirmed user with an identity)
  python tests/interop/interop.py URL --mail-outbox DIR      (signs up; the file mail transport)
Exits non-zero on any failure. Needs .ci/.venv (`.ci/install`): fediverse-pasture, bovine and
http-message-signatures.
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

import aiohttp
from aiohttp import web
from bovine import BovineActor
from bovine.activitystreams import Actor
from bovine.crypto import build_validate_http_signature_raw, generate_rsa_public_private_key
from bovine.crypto.types import CryptographicIdentifier
from http_message_signatures import HTTPMessageSigner, algorithms
from http_message_signatures.resolvers import HTTPSignatureKeyResolver

RUN = uuid.uuid4().hex[:6]
TIMEOUT = 60


class Failure(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process=None, timeout=TIMEOUT):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise Failure(f"the process meant to listen on {port} exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise Failure(f"nothing listens on port {port} after {timeout}s")


class Convive:
    """The instance under test, through GraphQL and its public documents."""

    def __init__(self, url, token=None, outbox=None):
        self.url = url.rstrip("/")
        self.host = urllib.parse.urlparse(self.url).netloc
        self.token = token
        self.outbox = pathlib.Path(outbox) if outbox else None

    def gql(self, query, variables=None):
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(self.url + "/graphql", body, {"Content-Type": "application/json"})
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            answer = json.load(response)
        if answer.get("errors"):
            raise Failure(f"GraphQL error: {json.dumps(answer['errors'])}")
        return answer["data"]

    def sign_up(self):
        address = f"interop-{RUN}@example.org"
        self.gql('mutation($e: String!) { createUser(email: $e, password: "interop password 123") { id } }', {"e": address})
        deadline = time.time() + TIMEOUT
        text = None
        while text is None and time.time() < deadline:
            for path in sorted(self.outbox.glob("*.eml")):
                message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                if message["To"] and address in message["To"] and "Confirm" in message["Subject"]:
                    text = message.get_body(preferencelist=("plain",)).get_content()
            time.sleep(0.3)
        if text is None:
            raise Failure(f"no confirmation mail to {address} in {self.outbox}")
        link = re.search(r"https?://\S*/validate/(\S+)", text)
        if not link:
            raise Failure("no /validate/ link in the confirmation mail")
        validated = self.gql("mutation($t: String!) { validateUser(token: $t) { accessToken } }", {"t": link.group(1)})
        self.token = validated["validateUser"]["accessToken"]
        self.gql("mutation($u: String!) { createPerson(preferredUsername: $u, name: $u) { id } }", {"u": f"interop_{RUN}"})

    def create_group(self):
        username = f"interop_group_{RUN}"
        created = self.gql(
            'mutation($u: String!) { createGroup(preferredUsername: $u, name: "Interop group", openness: OPEN, visibility: PUBLIC) { id } }',
            {"u": username},
        )
        resource = urllib.parse.quote(f"acct:{username}@{self.host}")
        with urllib.request.urlopen(f"{self.url}/.well-known/webfinger?resource={resource}", timeout=TIMEOUT) as response:
            finger = json.load(response)
        actor_id = next(link["href"] for link in finger["links"] if link.get("rel") == "self")
        return created["createGroup"]["id"], actor_id

    def create_event(self, group_id, title):
        begins = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3 * 86400))
        self.gql(
            """mutation($g: ID!, $b: DateTime!, $t: String!) {
                createEvent(attributedToId: $g, title: $t, description: "<p>Checked by bovine</p>",
                    beginsOn: $b, options: { timezone: "Europe/Paris" }) { id }
            }""",
            {"g": group_id, "b": begins, "t": title},
        )


def check_verify_actor(actor_id):
    """fediverse-pasture's verify_actor against `actor_id`; returns a list of problems."""
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="pasture-")  # it writes its keys to ./data.toml
    log = open(pathlib.Path(workdir) / "verify_actor.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "fediverse_pasture.verify_actor", "--port", str(port), "--domain", f"localhost:{port}"],
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process)
        query = urllib.parse.urlencode({"actor_uri": actor_id})
        request = urllib.request.Request(f"http://localhost:{port}/?{query}", headers={"Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=4 * TIMEOUT) as response:
            answer = json.load(response)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
    result = answer["result"]
    problems = []
    expected = {
        "alice": (True, False),
        "dean": (True, False),
        "bob": (True, True),
        "claire": (True, True),
        "emily": (True, True),
        "frank": (True, True),
    }
    for name, (get_actor, post_inbox) in expected.items():
        got = result.get(name)
        if got is None:
            problems.append(f"verify_actor: no result for {name}")
            continue
        if got["get_actor"] != get_actor:
            problems.append(f"verify_actor: {name} get_actor is {got['get_actor']}, expected {get_actor}")
        if got["post_inbox"] != post_inbox:
            what = "accepted" if post_inbox else "refused"
            problems.append(f"verify_actor: {name}'s post to the inbox should be {what}")
    if result.get("webfinger") is not True:
        problems.append("verify_actor: WebFinger does not agree with the actor document")
    print("verify_actor results:", json.dumps(result))
    if problems:
        print("verify_actor messages:", answer.get("messages"))
        print(f"(its log: {workdir}/verify_actor.log)")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return problems


class Peer:
    """A fediverse actor on localhost, built with bovine, that records what it receives once
    bovine has verified the HTTP signature (the key fetched from its `keyId`)."""

    def __init__(self):
        self.port = free_port()
        self.actor_id = f"http://localhost:{self.port}/peer"
        public, private = generate_rsa_public_private_key()
        self.document = Actor(
            id=self.actor_id,
            preferred_username="peer",
            name="bovine peer",
            inbox=f"{self.actor_id}/inbox",
            outbox=f"{self.actor_id}/outbox",
            public_key=public,
            public_key_name="main-key",
        ).build()
        self.private_pem = private
        self.client = BovineActor(actor_id=self.actor_id, public_key_url=f"{self.actor_id}#main-key", secret=private)
        self.received = []  # (activity, verified signer)
        self.refused = []
        self.validate = build_validate_http_signature_raw(self.retrieve_key)

    async def retrieve_key(self, key_id):
        document = await self.client.get(key_id)
        key = document.get("publicKey", {})
        if isinstance(key, list):
            key = next((k for k in key if k.get("id") == key_id), {})
        if not key.get("publicKeyPem") or not key.get("owner"):
            return None
        return CryptographicIdentifier.from_pem(key["publicKeyPem"], key["owner"])

    async def actor(self, request):
        return web.json_response(self.document, content_type="application/activity+json")

    async def inbox(self, request):
        body = await request.read()

        async def get_body():
            return body

        signer = await self.validate("post", str(request.url), request.headers, get_body)
        activity = json.loads(body)
        if signer is None:
            self.refused.append(activity)
            return web.Response(status=401, text="signature not verified")
        self.received.append((activity, signer))
        return web.Response(status=202)

    async def start(self, session):
        await self.client.init(session=session)
        app = web.Application()
        app.router.add_get("/peer", self.actor)
        app.router.add_post("/peer/inbox", self.inbox)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def wait_for(self, what, matches):
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            for activity, signer in self.received:
                if matches(activity):
                    return activity, signer
            await asyncio.sleep(0.2)
        raise Failure(f"bovine peer: no {what} after {TIMEOUT}s; received {[a.get('type') for a, _ in self.received]}, refused {len(self.refused)}")


async def check_bovine_peer(convive, group_id, group_actor_id):
    async with aiohttp.ClientSession() as session:
        peer = Peer()
        await peer.start(session)
        try:
            group = await peer.client.get(group_actor_id)
            follow_id = f"{peer.actor_id}#follows/{RUN}"
            follow = {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": follow_id,
                "type": "Follow",
                "actor": peer.actor_id,
                "object": group_actor_id,
            }
            try:
                await peer.client.post(group["inbox"], follow)
            except aiohttp.ClientResponseError as error:
                raise Failure(f"bovine peer: our signed Follow was refused ({error.status})")

            def is_accept(activity):
                inner = activity.get("object")
                inner_id = inner.get("id") if isinstance(inner, dict) else inner
                return activity.get("type") == "Accept" and inner_id == follow_id

            accept, signer = await peer.wait_for("Accept of the Follow", is_accept)
            if accept.get("actor") != group_actor_id or signer != group_actor_id:
                raise Failure(f"bovine peer: the Accept is from {accept.get('actor')}, signed by {signer}")
            print("bovine peer: Follow accepted, Accept signed by the group")

            title = f"Interop event {RUN}"
            await asyncio.to_thread(convive.create_event, group_id, title)

            def is_create(activity):
                event = activity.get("object")
                return activity.get("type") == "Create" and isinstance(event, dict) and event.get("name") == title

            create, signer = await peer.wait_for("Create of the event", is_create)
            event = create["object"]
            if event.get("type") != "Event":
                raise Failure(f"bovine peer: the Create carries a {event.get('type')}, not an Event")
            if signer != create.get("actor"):
                raise Failure(f"bovine peer: the Create of {create.get('actor')} is signed by {signer}")
            if group_actor_id not in (create.get("actor"), event.get("attributedTo")):
                raise Failure("bovine peer: the event is not the group's")
            print(f"bovine peer: signed Create of the Event received from {signer}")

            # RSVP from the peer: Join of the free event, answered by a signed Accept; Leave.
            async def participant_count():
                document = await peer.client.get(event["id"])
                return document.get("participantCount")

            before = await participant_count()
            join_id = f"{peer.actor_id}#joins/{RUN}"
            join = {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": join_id,
                "type": "Join",
                "actor": peer.actor_id,
                "object": event["id"],
                "participationMessage": "I can bring tools",
            }
            try:
                await peer.client.post(group["inbox"], join)
            except aiohttp.ClientResponseError as error:
                raise Failure(f"bovine peer: our signed Join was refused ({error.status})")

            def is_join_accept(activity):
                inner = activity.get("object")
                inner_id = inner.get("id") if isinstance(inner, dict) else inner
                return activity.get("type") == "Accept" and inner_id == join_id

            accept, signer = await peer.wait_for("Accept of the Join", is_join_accept)
            if signer != accept.get("actor") or signer != group_actor_id:
                raise Failure(f"bovine peer: the Accept of the Join is from {accept.get('actor')}, signed by {signer}")
            going = await participant_count()
            if going != before + 1:
                raise Failure(f"bovine peer: participantCount went from {before} to {going} after the Join")
            print("bovine peer: Join of a free event accepted, signed by the group")

            leave = {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": f"{peer.actor_id}#leaves/{RUN}",
                "type": "Leave",
                "actor": peer.actor_id,
                "object": event["id"],
            }
            try:
                await peer.client.post(group["inbox"], leave)
            except aiohttp.ClientResponseError as error:
                raise Failure(f"bovine peer: our signed Leave was refused ({error.status})")
            after = await participant_count()
            if after != before:
                raise Failure(f"bovine peer: participantCount is {after} after the Leave, not {before}")
            print("bovine peer: Leave took the seat back")

            await check_rfc9421_undo(session, peer, group, follow)
        finally:
            await peer.runner.cleanup()


class PeerKey(HTTPSignatureKeyResolver):
    def __init__(self, private_pem):
        self.private_pem = private_pem

    def resolve_private_key(self, key_id):
        return self.private_pem.encode()

    def resolve_public_key(self, key_id):
        return None


class OutgoingRequest:
    """What http-message-signatures signs: method, absolute URL and headers."""

    def __init__(self, url, body):
        self.method = "POST"
        self.url = url
        self.headers = {"Content-Type": "application/activity+json"}
        self.body = body


async def check_rfc9421_undo(session, peer, group, follow):
    async def followers():
        async with session.get(group["followers"], headers={"Accept": "application/activity+json"}) as response:
            return (await response.json()).get("totalItems")

    before = await followers()
    undo = json.dumps({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{peer.actor_id}#undo-follows/{RUN}",
        "type": "Undo",
        "actor": peer.actor_id,
        "object": follow,
    }).encode()
    signer = HTTPMessageSigner(signature_algorithm=algorithms.RSA_V1_5_SHA256, key_resolver=PeerKey(peer.private_pem))

    def signed(body):
        request = OutgoingRequest(group["inbox"], body)
        signer.sign(
            request,
            key_id=f"{peer.actor_id}#main-key",
            label="sig1",
            covered_component_ids=("@method", "@target-uri", "content-type"),
            body=body,
        )
        return request

    # Signed for one body, sent with another: refused, nothing changes.
    forged = signed(undo)
    async with session.post(forged.url, data=undo.replace(b"Undo", b"Block"), headers=forged.headers) as response:
        answer = await response.text()
        if response.status != 401:
            raise Failure(f"RFC 9421: a request with another body got {response.status}, not 401: {answer}")
    if await followers() != before:
        raise Failure("RFC 9421: the forged request changed the followers")

    request = signed(undo)
    if "Signature-Input" not in request.headers and "signature-input" not in {k.lower() for k in request.headers}:
        raise Failure("RFC 9421: the library did not add Signature-Input")
    async with session.post(request.url, data=undo, headers=request.headers) as response:
        answer = await response.text()
        if response.status != 202:
            raise Failure(f"RFC 9421: our signed Undo was refused ({response.status}): {answer}")
    after = await followers()
    if after != before - 1:
        raise Failure(f"RFC 9421: the group has {after} followers after the Undo, not {before - 1}")
    print("http-message-signatures: RFC 9421-signed Undo of the Follow accepted; the forged one refused")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", help="the instance's public URL, http://localhost:PORT")
    parser.add_argument("--token", help="an access token of a confirmed user with an identity")
    parser.add_argument("--mail-outbox", help="the instance's file mail outbox, to sign up")
    args = parser.parse_args()
    if not args.token and not args.mail_outbox:
        parser.error("give --token or --mail-outbox")
    logging.basicConfig(level=logging.WARNING)
    # bovine keeps a JSON-LD context cache in the working directory: not in the repository.
    scratch = tempfile.mkdtemp(prefix="interop-")
    os.chdir(scratch)

    convive = Convive(args.url, token=args.token, outbox=args.mail_outbox)
    try:
        if not args.token:
            convive.sign_up()
        group_id, group_actor_id = convive.create_group()
        print(f"group {group_actor_id}")
        problems = check_verify_actor(group_actor_id)
        try:
            asyncio.run(check_bovine_peer(convive, group_id, group_actor_id))
        except Failure as failure:
            problems.append(str(failure))
    except Failure as failure:
        problems = [str(failure)]
    if problems:
        print("\nINTEROP FAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)
    shutil.rmtree(scratch, ignore_errors=True)
    print("\ninterop checks passed")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Checks Convive's feeds with parsers that share no code with it.

Calendars (.ics):
  - CRLF line ends and lines folded to 75 octets;
  - icalendar: parses with no error recorded on any component;
  - vobject: parses with validate=True;
  - every TZID parameter names a VTIMEZONE of the same calendar;
  - the start of each event, computed by vobject from our own VTIMEZONE data and by Mozilla's
    ical.js (through icaljs_check.mjs), equals the expected UTC time (a date of a recurring
    event overriding its series is expected under "<UID> <RECURRENCE-ID in UTC>");
  - recurring-ical-events expands each recurring series (RRULE, EXDATE, overriding VEVENTs
    with RECURRENCE-ID) between two instants to exactly the expected starts.
Atom (.atom):
  - feedparser reads it as Atom 1.0 with bozo == 0, and the elements RFC 4287 requires are
    there (feed id, title, updated, author, link rel=self; entry id, title, updated, link,
    summary).

Usage: validate_feeds.py --expected EXPECTED.json [--node NODE] FILE...
EXPECTED.json maps each event UID to its start in UTC: {"dtstart_utc": {"<UID>": "...Z"}}, and
may give the expansion of recurring ones: "occurrences_utc": {"<UID>": ["...Z", ...]} between
"occurrences_between": ["...Z", "...Z"].
Run with the interpreter of .ci/.venv (see .ci/install). Exits 1 on any problem.
"""

import argparse
import datetime as dt
import json
import pathlib
import subprocess
import sys

import feedparser
import icalendar
import recurring_ical_events
import vobject

HERE = pathlib.Path(__file__).resolve().parent
UTC = dt.timezone.utc


def utc_text(value):
    """A DATE-TIME as `YYYY-MM-DDTHH:MM:SSZ`, or None when it is floating or a DATE."""
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_lines(path, data, problems):
    """RFC 5545 3.1: CRLF line ends, and lines of at most 75 octets (the parsers accept more)."""
    if not data.endswith(b"\r\n"):
        problems.append(f"{path}: does not end with CRLF")
    lines = data.split(b"\r\n")
    for number, line in enumerate(lines, start=1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"{path}:{number}: a bare CR or LF")
        if len(line) > 75:
            problems.append(f"{path}:{number}: {len(line)} octets, more than 75")


def expected_key(uid, recurrence_id):
    """How EXPECTED.json names an event: its UID, and for a date overriding its series, the
    original start too."""
    return uid if recurrence_id is None else f"{uid} {recurrence_id}"


def check_expansion(path, calendar, occurrences, between, problems):
    """Expands the calendar's recurring events with recurring-ical-events and compares the
    starts of each series named in `occurrences` with ours."""
    uids = {str(e.get("UID")) for e in calendar.walk("VEVENT")}
    wanted = {uid: starts for uid, starts in occurrences.items() if uid in uids}
    if not wanted:
        return
    start, end = (dt.datetime.fromisoformat(t.replace("Z", "+00:00")) for t in between)
    found = {uid: [] for uid in wanted}
    for event in recurring_ical_events.of(calendar).between(start, end):
        uid = str(event.get("UID"))
        if uid in found:
            found[uid].append(utc_text(event.get("DTSTART").dt))
    for uid, starts in wanted.items():
        if sorted(found[uid]) != sorted(starts):
            problems.append(
                f"{path}: {uid}: recurring-ical-events expands it to {sorted(found[uid])}, "
                f"expected {sorted(starts)}"
            )
        else:
            print(f"recurring-ical-events: {path}: {uid}: {len(starts)} dates as expected")


def check_icalendar(path, data, expected, problems):
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as error:  # noqa: BLE001 - any failure is a finding
        problems.append(f"{path}: icalendar cannot parse it: {error}")
        return
    for component in calendar.walk():
        for error in getattr(component, "errors", []) or []:
            problems.append(f"{path}: icalendar: {component.name}: {error}")
    zones = {str(z.get("TZID")) for z in calendar.walk("VTIMEZONE")}
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID"))
        for name in ("DTSTART", "DTEND", "DUE", "RECURRENCE-ID"):
            prop = event.get(name)
            if prop is None:
                continue
            tzid = prop.params.get("TZID")
            if tzid is not None and str(tzid) not in zones:
                problems.append(f"{path}: {uid}: {name};TZID={tzid} has no VTIMEZONE")
        recurrence_id = event.get("RECURRENCE-ID")
        key = expected_key(uid, recurrence_id and utc_text(recurrence_id.dt))
        if key not in expected:
            problems.append(f"{path}: {key}: no expected start time")
        for name in ("DTSTAMP", "LAST-MODIFIED", "CREATED"):
            value = event.get(name)
            if value is not None and utc_text(value.dt) is None:
                problems.append(f"{path}: {uid}: {name} is not a UTC date-time")


def check_vobject(path, text, expected, problems):
    try:
        calendar = vobject.readOne(text, validate=True, ignoreUnreadable=False)
    except Exception as error:  # noqa: BLE001
        problems.append(f"{path}: vobject cannot read it with validate=True: {error}")
        return
    for event in getattr(calendar, "vevent_list", []):
        recurrence_id = getattr(event, "recurrence_id", None)
        uid = expected_key(event.uid.value, recurrence_id and utc_text(recurrence_id.value))
        # vobject builds the zone from the calendar's own VTIMEZONE, so this checks our
        # offsets and transitions, not a zone database's.
        start = utc_text(event.dtstart.value)
        if uid in expected and start != expected[uid]:
            problems.append(f"{path}: {uid}: vobject starts it at {start}, expected {expected[uid]}")


def check_icaljs(paths, expected_path, node, problems):
    script = HERE / "icaljs_check.mjs"
    if not (HERE / "node_modules" / "ical.js").is_dir():
        problems.append(f"ical.js is not installed in {HERE / 'node_modules'} (run .ci/install)")
        return
    try:
        result = subprocess.run(
            [node, str(script), str(expected_path), *map(str, paths)],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    except OSError as error:
        problems.append(f"cannot run {node}: {error}")
        return
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0:
        problems.extend(lines[:-1] or [f"ical.js check failed: {result.stderr.strip()}"])
    if lines:
        print(lines[-1])


def check_atom(path, data, problems):
    feed = feedparser.parse(data)
    if feed.bozo:
        problems.append(f"{path}: feedparser: {feed.get('bozo_exception')}")
        return
    if feed.version != "atom10":
        problems.append(f"{path}: read as {feed.version!r}, not Atom 1.0")
    meta = feed.feed
    for key in ("id", "title", "updated", "author"):
        if not meta.get(key):
            problems.append(f"{path}: the feed has no {key}")
    if not any(link.get("rel") == "self" for link in meta.get("links", [])):
        problems.append(f"{path}: the feed has no link rel=self")
    for entry in feed.entries:
        name = entry.get("id", "?")
        for key in ("id", "title", "updated", "summary"):
            if not entry.get(key):
                problems.append(f"{path}: entry {name} has no {key}")
        if not any(link.get("rel") == "alternate" for link in entry.get("links", [])):
            problems.append(f"{path}: entry {name} has no link rel=alternate")
        if not entry.get("author") and not meta.get("author"):
            problems.append(f"{path}: entry {name} has no author")
    print(f"feedparser: {path}: {len(feed.entries)} entries")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expected", required=True, type=pathlib.Path)
    parser.add_argument("--node", default="node")
    parser.add_argument("files", nargs="+", type=pathlib.Path)
    args = parser.parse_args()
    expectations = json.loads(args.expected.read_text(encoding="utf-8"))
    expected = expectations.get("dtstart_utc", {})
    occurrences = expectations.get("occurrences_utc", {})
    between = expectations.get("occurrences_between")
    problems = []
    calendars = []
    for path in args.files:
        data = path.read_bytes()
        if path.suffix == ".ics":
            calendars.append(path)
            check_lines(path, data, problems)
            check_icalendar(path, data, expected, problems)
            if occurrences and between:
                try:
                    calendar = icalendar.Calendar.from_ical(data)
                except Exception:  # noqa: BLE001 - reported by check_icalendar
                    calendar = None
                if calendar is not None:
                    check_expansion(path, calendar, occurrences, between, problems)
            check_vobject(path, data.decode("utf-8"), expected, problems)
        elif path.suffix == ".atom":
            check_atom(path, data, problems)
        else:
            problems.append(f"{path}: neither .ics nor .atom")
    if calendars:
        check_icaljs(calendars, args.expected, args.node, problems)
    for problem in problems:
        print(f"problem: {problem}")
    print(f"{len(args.files)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

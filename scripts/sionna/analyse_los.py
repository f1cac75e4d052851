"""Splits the kernel's line-of-sight offset against the Sionna maps into its two causes, from the fixtures alone.

For the cells in Sionna's line of sight (outdoors, >= 10 m from the transmitter) it prints, per scene and distance
band: what Sionna's reflections add to the direct path (full map - line-of-sight-only map), and the kernel's
line-of-sight formula (free space + the TR 38.901 two-slope excess beyond d'_BP, docs/MODELS.md) minus the full
map. The formula stands in for the kernel (SionnaComparisonTests measures the kernel itself; the two agree within
0.2 dB). Usage: python3 scripts/sionna/analyse_los.py [Tests/Fixtures/reference/sionna]
"""
import math
import os
import sys

import numpy as np

from scenes import CELL_M, FREQUENCY_HZ, RX_HEIGHT_M, TX_HEIGHT_M, SCENES

C = 299792458.0


def main(directory):
    dh = TX_HEIGHT_M - RX_HEIGHT_M
    # TR 38.901 Table 7.4.1-1 note 1: d'_BP = 4 h'_BS h'_UT f / c, h' = h - 1 m, c = 3e8 as there.
    dbp = 4 * (TX_HEIGHT_M - 1) * (RX_HEIGHT_M - 1) * FREQUENCY_HZ / 3e8
    print(f"d'_BP = {dbp:.0f} m")
    for name, (width, height, (tx, ty), boxes) in SCENES.items():
        full = np.genfromtxt(os.path.join(directory, f"{name}_pathgain_db.csv"), delimiter=",")
        los = np.genfromtxt(os.path.join(directory, f"{name}_los_pathgain_db.csv"), delimiter=",")
        rows, cols = full.shape
        inside = np.zeros(full.shape, dtype=bool)
        for x0, y0, x1, y1, _ in boxes:
            inside[int((height - y1) / CELL_M):int((height - y0) / CELL_M), int(x0 / CELL_M):int(x1 / CELL_M)] = True
        r, c = np.mgrid[0:rows, 0:cols]
        x, y = (c + 0.5) * CELL_M, height - (r + 0.5) * CELL_M
        d2 = np.hypot(x - tx, y - ty)
        d3 = np.hypot(d2, dh)
        fspl = 20 * np.log10(4 * math.pi * d3 * FREQUENCY_HZ / C)
        excess = np.where(d3 ** 2 > dbp ** 2 + dh ** 2, 9 * np.log10(d3 ** 2 / (dbp ** 2 + dh ** 2)), 0)
        kernel = -(fspl + excess)
        sel = ~inside & (d2 >= 10) & ~np.isnan(los)
        print(f"{name}: {sel.sum()} line-of-sight cells")
        for lo, hi in [(10, 40), (40, dbp), (dbp, 1e9), (10, 1e9)]:
            m = sel & (d2 >= lo) & (d2 < hi)
            if m.sum() == 0:
                continue
            multipath = (full - los)[m]
            offset = (kernel - full)[m]
            print(f"  {lo:4.0f}-{min(hi, d2[sel].max()):4.0f} m: n {m.sum():5d}  reflections add {multipath.mean():+5.2f} dB"
                  f"  two-slope excess {excess[m].mean():4.2f} dB  kernel formula - Sionna {offset.mean():+6.2f} dB"
                  f" (sd {offset.std():4.2f})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../Tests/Fixtures/reference/sionna"))

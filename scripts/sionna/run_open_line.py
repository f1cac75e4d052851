"""The two-ray check of Litfass's two-slope line-of-sight loss: Sionna RT's path solver (coherent paths) on flat
ground without buildings, one small cell and a line of receivers.

The radio-map solver (run_reference.py) adds the powers of the paths, so it cannot show the breakpoint of the
two-slope model, which comes from the direct and the ground-reflected wave cancelling at grazing incidence. Here
the paths are added with their phases over the 90 MHz n78 carrier (64 frequencies) and the power averaged over the
band, as a wideband RSRP is.

Usage:
    DRJIT_LIBLLVM_PATH=/usr/lib/x86_64-linux-gnu/libLLVM-19.so \
        python3 scripts/sionna/run_open_line.py Tests/Fixtures/reference/sionna/open_line.csv

Writes distance_m (horizontal), coherent_band_db (band-averaged |sum of paths|^2), incoherent_db (sum of |a|^2),
los_db (the direct path alone) — path gains in dB between isotropic antennas.
"""
import os
import sys
import tempfile

import mitsuba as mi
mi.set_variant("llvm_ad_mono_polarized")
import numpy as np  # noqa: E402
import sionna.rt as rt  # noqa: E402

from scenes import FREQUENCY_HZ, RX_HEIGHT_M, TX_HEIGHT_M, GROUND_MATERIAL  # noqa: E402
from run_reference import write_ply  # noqa: E402

BANDWIDTH_HZ = 90e6          # Telekom's n78 allocation (Data/assumptions.json)
FREQUENCIES = 64
TX_X, TX_Y = 1.0, 3.0        # the centre of the kernel's cell (0, 1) on a 2 m raster three rows high
DISTANCES_M = np.arange(10, 602, 2, dtype=float)


def main(out):
    with tempfile.TemporaryDirectory() as d:
        write_ply(os.path.join(d, "floor.ply"), [(-100, -100, 0), (800, -100, 0), (800, 100, 0), (-100, 100, 0)],
                  [(0, 1, 2), (0, 2, 3)])
        with open(os.path.join(d, "open.xml"), "w") as f:
            f.write('<scene version="2.1.0">'
                    f'<bsdf type="itu-radio-material" id="mat-ground"><string name="type" value="{GROUND_MATERIAL}"/>'
                    '<float name="thickness" value="1.0"/></bsdf>'
                    '<shape type="ply" id="floor"><string name="filename" value="floor.ply"/>'
                    '<boolean name="face_normals" value="true"/><ref id="mat-ground" name="bsdf"/></shape></scene>')
        scene = rt.load_scene(os.path.join(d, "open.xml"), merge_shapes=False)
    scene.frequency = FREQUENCY_HZ
    scene.tx_array = rt.PlanarArray(num_rows=1, num_cols=1, pattern="iso", polarization="V")
    scene.rx_array = rt.PlanarArray(num_rows=1, num_cols=1, pattern="iso", polarization="V")
    scene.add(rt.Transmitter(name="tx", position=mi.Point3f(TX_X, TX_Y, TX_HEIGHT_M)))
    for i, dist in enumerate(DISTANCES_M):
        scene.add(rt.Receiver(name=f"rx{i}", position=mi.Point3f(float(TX_X + dist), TX_Y, RX_HEIGHT_M)))
    paths = rt.PathSolver()(scene, max_depth=1, los=True, specular_reflection=True, diffuse_reflection=False,
                            refraction=False, synthetic_array=True, seed=1)
    offsets = (np.arange(FREQUENCIES) - (FREQUENCIES - 1) / 2) * BANDWIDTH_HZ / FREQUENCIES
    h = paths.cfr(frequencies=offsets, normalize_delays=False, out_type="numpy")   # complex [rx, 1, tx, 1, t, f]
    coherent = np.mean(np.abs(h[:, 0, 0, 0, 0, :]) ** 2, axis=-1)
    a, _ = paths.cir(normalize_delays=False, out_type="numpy")                     # complex [rx, 1, tx, 1, paths, t]
    amplitudes = np.abs(a[:, 0, 0, 0, :, 0]) ** 2
    incoherent = amplitudes.sum(axis=-1)
    interactions = np.array(paths.interactions.numpy())                            # [depth, rx, tx, paths]
    direct = np.where(interactions[0, :, 0, :] == 0, amplitudes, 0).sum(axis=-1)
    with open(out, "w") as f:
        f.write("distance_m,coherent_band_db,incoherent_db,los_db\n")
        for dist, c, i, l in zip(DISTANCES_M, coherent, incoherent, direct):
            f.write(f"{dist:.0f},{10 * np.log10(c):.2f},{10 * np.log10(i):.2f},{10 * np.log10(l):.2f}\n")


if __name__ == "__main__":
    main(sys.argv[1])

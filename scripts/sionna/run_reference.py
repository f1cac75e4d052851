"""Computes Sionna RT radio maps of the scenes in scenes.py and writes them as Litfass test fixtures.

Usage (CPU, Dr.Jit's LLVM backend):
    pip install sionna-rt==2.2.0
    DRJIT_LIBLLVM_PATH=/usr/lib/x86_64-linux-gnu/libLLVM-15.so \
        python3 scripts/sionna/run_reference.py Tests/Fixtures/reference/sionna

Writes, per scene, <scene>_pathgain_db.csv: one line per raster row (north first), one value per column,
the path gain 10 log10(P_rx / P_tx) in dB between isotropic antennas, empty where no ray reached the cell;
and scenes.csv (the boxes), transmitters.csv and settings.csv. Deterministic for a given seed.
"""
import csv
import os
import sys
import tempfile
import time

import mitsuba as mi
mi.set_variant("llvm_ad_mono_polarized")
import drjit as dr  # noqa: E402
import numpy as np  # noqa: E402
import sionna.rt as rt  # noqa: E402

from scenes import (CELL_M, FREQUENCY_HZ, RX_HEIGHT_M, TX_HEIGHT_M, BUILDING_MATERIAL, BUILDING_THICKNESS_M,
                    GROUND_MATERIAL, SCENES)  # noqa: E402

SAMPLES_PER_TX = int(os.environ.get("SIONNA_SAMPLES", "100000000"))
MAX_DEPTH = 5
SEED = int(os.environ.get("SIONNA_SEED", "1"))


def write_ply(path, vertices, faces):
    """ASCII PLY with shared vertices, so that Sionna finds the edges (wedges) between faces."""
    with open(path, "w") as f:
        f.write(f"ply\nformat ascii 1.0\nelement vertex {len(vertices)}\nproperty float x\nproperty float y\n"
                f"property float z\nelement face {len(faces)}\nproperty list uchar int vertex_indices\nend_header\n")
        for v in vertices:
            f.write("%g %g %g\n" % v)
        for t in faces:
            f.write("3 %d %d %d\n" % t)


# Triangles of a box whose vertex i + 2j + 4k has x = (x0, x1)[i], y = (y0, y1)[j], z = (0, h)[k];
# counter-clockwise seen from outside (outward normals).
BOX_FACES = [(0, 2, 3), (0, 3, 1), (4, 5, 7), (4, 7, 6), (0, 1, 5), (0, 5, 4),
             (2, 6, 7), (2, 7, 3), (0, 4, 6), (0, 6, 2), (1, 3, 7), (1, 7, 5)]


def scene_xml(directory, width, height, boxes):
    """Mitsuba scene: a ground rectangle (50 m beyond the area on every side) and one box mesh per building."""
    m = 50.0
    write_ply(os.path.join(directory, "floor.ply"),
              [(-m, -m, 0), (width + m, -m, 0), (width + m, height + m, 0), (-m, height + m, 0)], [(0, 1, 2), (0, 2, 3)])
    parts = ['<scene version="2.1.0">',
             f'<bsdf type="itu-radio-material" id="mat-building"><string name="type" value="{BUILDING_MATERIAL}"/>'
             f'<float name="thickness" value="{BUILDING_THICKNESS_M}"/></bsdf>',
             f'<bsdf type="itu-radio-material" id="mat-ground"><string name="type" value="{GROUND_MATERIAL}"/>'
             f'<float name="thickness" value="1.0"/></bsdf>',
             '<shape type="ply" id="floor"><string name="filename" value="floor.ply"/>'
             '<boolean name="face_normals" value="true"/><ref id="mat-ground" name="bsdf"/></shape>']
    for i, (x0, y0, x1, y1, h) in enumerate(boxes):
        vertices = [((x0, x1)[i_], (y0, y1)[j], (0, h)[k]) for k in (0, 1) for j in (0, 1) for i_ in (0, 1)]
        write_ply(os.path.join(directory, f"block{i}.ply"), vertices, BOX_FACES)
        parts.append(f'<shape type="ply" id="block{i}"><string name="filename" value="block{i}.ply"/>'
                     '<boolean name="face_normals" value="true"/><ref id="mat-building" name="bsdf"/></shape>')
    parts.append('</scene>')
    return "\n".join(parts)


# The two maps per scene: everything the radio-map solver models (line of sight, specular reflections of up to
# MAX_DEPTH bounces, first-order diffraction), and line of sight alone (which cells see the transmitter).
RUNS = {
    "pathgain_db": dict(max_depth=MAX_DEPTH, los=True, specular_reflection=True, diffuse_reflection=False,
                        refraction=False, diffraction=True, edge_diffraction=False),
    "los_pathgain_db": dict(max_depth=0, los=True, specular_reflection=False, diffuse_reflection=False,
                            refraction=False, diffraction=False, edge_diffraction=False),
}


def radio_map(name, width, height, tx_xy, boxes, options):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, f"{name}.xml")
        with open(path, "w") as f:
            f.write(scene_xml(d, width, height, boxes))
        scene = rt.load_scene(path, merge_shapes=False)
    scene.frequency = FREQUENCY_HZ
    scene.tx_array = rt.PlanarArray(num_rows=1, num_cols=1, pattern="iso", polarization="V")
    scene.rx_array = rt.PlanarArray(num_rows=1, num_cols=1, pattern="iso", polarization="V")
    scene.add(rt.Transmitter(name="tx", position=mi.Point3f(tx_xy[0], tx_xy[1], TX_HEIGHT_M), power_dbm=0.0))
    solver = rt.RadioMapSolver()
    start = time.time()
    rm = solver(scene, center=mi.Point3f(width / 2, height / 2, RX_HEIGHT_M), orientation=mi.Point3f(0, 0, 0),
                size=mi.Point2f(width, height), cell_size=mi.Point2f(CELL_M, CELL_M),
                samples_per_tx=SAMPLES_PER_TX, seed=SEED, **options)
    gain = np.array(rm.path_gain.numpy())[0]          # [cells_y, cells_x]
    centers = np.array(rm.cell_centers.numpy())       # [cells_y, cells_x, 3]
    print(f"{name} {options['max_depth']}: {gain.shape}, {time.time() - start:.1f} s", file=sys.stderr)
    columns, rows = int(round(width / CELL_M)), int(round(height / CELL_M))
    out = np.full((rows, columns), np.nan)
    for iy in range(gain.shape[0]):
        for ix in range(gain.shape[1]):
            x, y = centers[iy, ix, 0], centers[iy, ix, 1]
            col, row = int(x // CELL_M), int((height - y) // CELL_M)
            if 0 <= col < columns and 0 <= row < rows and gain[iy, ix] > 0:
                out[row, col] = 10 * np.log10(gain[iy, ix])
    return out


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "scenes.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["scene", "building", "x0_m", "y0_m", "x1_m", "y1_m", "height_m"])
        for name, (_, _, _, boxes) in SCENES.items():
            for i, b in enumerate(boxes):
                w.writerow([name, i, *b])
    with open(os.path.join(outdir, "transmitters.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["scene", "width_m", "height_m", "cell_m", "tx_x_m", "tx_y_m", "tx_height_m", "rx_height_m",
                    "frequency_hz"])
        for name, (width, height, (tx, ty), _) in SCENES.items():
            w.writerow([name, width, height, CELL_M, tx, ty, TX_HEIGHT_M, RX_HEIGHT_M, FREQUENCY_HZ])
    with open(os.path.join(outdir, "settings.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["key", "value"])
        for k, v in [("sionna_rt", rt.__version__), ("mitsuba", mi.__version__), ("drjit", dr.__version__),
                     ("variant", mi.variant()), ("samples_per_tx", SAMPLES_PER_TX), ("seed", SEED),
                     *[(f"{suffix}.{k}", v) for suffix, options in RUNS.items() for k, v in options.items()],
                     ("antennas", "iso, V polarisation, 1x1"), ("building_material", BUILDING_MATERIAL),
                     ("building_thickness_m", BUILDING_THICKNESS_M), ("ground_material", GROUND_MATERIAL)]:
            w.writerow([k, v])
    only = sys.argv[2:] or list(SCENES)
    for name in only:
        width, height, tx, boxes = SCENES[name]
        for suffix, options in RUNS.items():
            grid = radio_map(name, width, height, tx, boxes, options)
            with open(os.path.join(outdir, f"{name}_{suffix}.csv"), "w") as f:
                for row in grid:
                    f.write(",".join("" if np.isnan(v) else f"{v:.2f}" for v in row) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])

"""Draws docs/sionna-comparison.png: per scene the Sionna RT map, the kernel's map and kernel - Sionna.

The kernel's maps come from the comparison test:
    mkdir -p /tmp/kernel-maps
    LITFASS_SIONNA_KERNEL_MAPS=/tmp/kernel-maps swift test --skip-build --filter kernelAgainstSionna
    python3 scripts/sionna/plot_comparison.py /tmp/kernel-maps docs/sionna-comparison.png
"""
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from scenes import CELL_M, SCENES  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../Tests/Fixtures/reference/sionna")


def read(path):
    return np.genfromtxt(path, delimiter=",")


def main(kernel_dir, out):
    fig, axes = plt.subplots(len(SCENES), 3, figsize=(13, 4.2 * len(SCENES)), constrained_layout=True)
    for (name, (width, height, (tx, ty), boxes)), row in zip(SCENES.items(), axes):
        sionna = read(os.path.join(FIXTURES, f"{name}_pathgain_db.csv"))
        kernel = read(os.path.join(kernel_dir, f"{name}_kernel_db.csv"))
        # Building cells are not compared (a few of Sionna's rays leak into the boxes at their edges).
        for x0, y0, x1, y1, _ in boxes:
            sionna[int((height - y1) / CELL_M):int((height - y0) / CELL_M), int(x0 / CELL_M):int(x1 / CELL_M)] = np.nan
        extent = (0, width, 0, height)
        for ax, data, title in [(row[0], sionna, "Sionna RT"), (row[1], kernel, "Litfass kernel")]:
            im = ax.imshow(data, extent=extent, vmin=-140, vmax=-60, cmap="viridis")
            ax.set_title(f"{name}: {title}, path gain [dB]")
        fig.colorbar(im, ax=row[:2], shrink=0.8)
        diff = kernel - sionna
        im = row[2].imshow(diff, extent=extent, vmin=-30, vmax=30, cmap="RdBu_r")
        row[2].set_title(f"{name}: kernel - Sionna [dB]")
        fig.colorbar(im, ax=row[2], shrink=0.8)
        for ax in row:
            for x0, y0, x1, y1, _ in boxes:
                ax.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="0.4", linewidth=0.6))
            ax.plot([tx], [ty], marker="^", color="red", markersize=6)
            ax.set_xlabel("x [m]")
            ax.set_ylabel("y [m]")
    fig.suptitle("3.6 GHz, isotropic small cell at 4.5 m, receivers at 1.5 m; white: no value (building or not reached)")
    fig.savefig(out, dpi=72)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

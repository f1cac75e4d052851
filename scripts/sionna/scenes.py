"""The scenes Litfass compares with Sionna RT: flat ground, buildings as boxes.

Every coordinate is a multiple of the 2 m cell, so the same boxes drawn on Litfass's raster (a cell is a
building cell when it lies inside a box) are exactly the boxes Sionna traces. x east, y north, z up [m];
the raster's row 0 is the northern row (y = height - cell/2). Transmitters stand on a cell centre (odd
coordinates), because the kernel puts the antenna at the centre of its cell.
"""

CELL_M = 2.0
FREQUENCY_HZ = 3.6e9          # n78 centre, the Litfass small-cell carrier (Data/assumptions.json)
RX_HEIGHT_M = 1.5             # the kernel's default receiver height
TX_HEIGHT_M = 4.5             # smallCells.antennaHeightMeters in Data/assumptions.json
BUILDING_MATERIAL = "concrete"            # ITU-R P.2040 material as Sionna names it
BUILDING_THICKNESS_M = 0.3
GROUND_MATERIAL = "medium_dry_ground"     # ITU-R P.527 / P.2040 as Sionna names it

# name -> (width_m, height_m, transmitter (x, y), boxes [(x0, y0, x1, y1, height_m)])
SCENES = {
    # One straight street 20 m wide between two rows of 15/18 m buildings, cut by a 20 m cross street;
    # back streets 10 m wide behind both rows. The small cell stands in the main street.
    "canyon": (200.0, 100.0, (41.0, 49.0), [
        (0, 10, 90, 40, 15), (110, 10, 200, 40, 15),
        (0, 60, 90, 90, 18), (110, 60, 200, 90, 18),
    ]),
    # An open square 160 m x 160 m with one 40 m x 40 m block, 20 m high, east of the small cell.
    "square": (160.0, 160.0, (41.0, 81.0), [
        (90, 60, 130, 100, 20),
    ]),
    # Three by three blocks 40 m square, streets 16 m wide, heights 12-24 m; the small cell at a crossing.
    "grid": (184.0, 184.0, (63.0, 121.0), [
        (16, 128, 56, 168, 12), (72, 128, 112, 168, 18), (128, 128, 168, 168, 24),
        (16, 72, 56, 112, 15), (72, 72, 112, 112, 21), (128, 72, 168, 112, 12),
        (16, 16, 56, 56, 24), (72, 16, 112, 56, 15), (128, 16, 168, 56, 18),
    ]),
}

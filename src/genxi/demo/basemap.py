"""The demo's base layer, drawn from its own geography so that the maps read as maps with
no tiles (docs/maps.md): each estate's outline and name inside its community's block, the
roads in the strips between the blocks, 上塘河 in one of 金阊's strips, 京杭运河 west of
the city and 虎丘's hill. Deterministic: the same geography gives the same features."""

from __future__ import annotations

from genxi.regions.domain.basemap import Feature

from . import geography as geo
from .gazetteer import estates_of

# Per street: the names of its east-west lines (south to north) and north-south lines (west
# to east), one per strip between blocks and one each side. "河" names a river.
ROAD_NAMES: dict[str, tuple[list[str], list[str]]] = {
    "320508012000": (
        ["景德路", "西中市", "金门路", "上塘河", "留园路", "山塘街"],
        ["桐泾北路", "彩香路", "三元路", "白莲路", "西园路", "广济路", "阊胥路"],
    ),
    "320508013000": (["虎池路", "虎丘路", "北环西路"], ["西塘河路", "虎阜路", "仁安路", "新塘路"]),
    "320508011000": (["苏锦路", "北园路", "平泷路"], ["金筑路", "苏站路", "人民路"]),
    "320507001000": (["娄北路", "元和路", "御窑路"], ["富元路", "采莲路", "康桥路", "湖沁路"]),
    "320507002000": (["黄桥路", "张庄路", "旺庄路"], ["春申路", "北桥路", "胡湾路"]),
    "320571002000": (["东港路", "葑谊路", "金厍路"], ["夏家桥路", "娄葑路", "东环路"]),
}
SOURCE = "demo"
OVERHANG = 0.0012  # roads run a little past the last block
INSET = 0.00012  # an estate's fence stands back from its block's edge (~12 m)


def _layout(centre: tuple[float, float], count: int) -> tuple[float, float, int, int]:
    """The street's south-west corner and its blocks' columns and rows (as geography lays
    them out)."""
    cols = max(1, round(count**0.5 + 0.49))
    rows = -(-count // cols)
    return centre[0] - rows * geo.BLOCK_LAT / 2, centre[1] - cols * geo.BLOCK_LON / 2, cols, rows


def _blocks() -> list[tuple[str, float, float]]:
    """(street code, south, west) of every community block, for keeping roads off other
    streets' blocks."""
    return [
        (code, lat, lon)
        for _d, code, _n, centre, communities, _g in geo.STREETS
        for lat, lon in geo.community_blocks(centre, len(communities))
    ]


def _inside_other(blocks, street: str, lat: float, lon: float) -> bool:
    return any(
        code != street
        and lat0 < lat < lat0 + geo.BLOCK_LAT - geo.GAP
        and lon0 < lon < lon0 + geo.BLOCK_LON - geo.GAP
        for code, lat0, lon0 in blocks
    )


def _pieces(blocks, street, start, end, fixed, along_lat: bool, steps: int) -> list:
    """A line cut into `steps` pieces, without the pieces that cross another street's block."""
    pieces: list[list[list[float]]] = []
    run: list[list[float]] = []
    for i in range(steps + 1):
        t = start + (end - start) * i / steps
        lat, lon = (fixed, t) if along_lat else (t, fixed)
        point = [round(lon, 6), round(lat, 6)]
        if _inside_other(blocks, street, lat, lon):
            if len(run) > 1:
                pieces.append(run)
            run = []
            continue
        run.append(point)
    if len(run) > 1:
        pieces.append(run)
    return pieces


def _line(pieces: list) -> dict[str, object]:
    if len(pieces) == 1:
        return {"type": "LineString", "coordinates": pieces[0]}
    return {"type": "MultiLineString", "coordinates": pieces}


def _band(pieces: list, half: float, along_lat: bool) -> dict[str, object]:
    """A river as an area: each piece of its line widened by `half` degrees each side."""
    polygons = []
    for run in pieces:
        if along_lat:
            ring = [[x, y - half] for x, y in run] + [[x, y + half] for x, y in reversed(run)]
        else:
            ring = [[x - half, y] for x, y in run] + [[x + half, y] for x, y in reversed(run)]
        ring.append(ring[0])
        polygons.append([[[round(x, 6), round(y, 6)] for x, y in ring]])
    return {"type": "MultiPolygon", "coordinates": polygons}


def roads() -> list[Feature]:
    blocks = _blocks()
    features = []
    for _d, code, _name, centre, communities, _g in geo.STREETS:
        south, west, cols, rows = _layout(centre, len(communities))
        north, east = south + rows * geo.BLOCK_LAT, west + cols * geo.BLOCK_LON
        east_west, north_south = ROAD_NAMES[code]
        # The strips lie along each block's north and east edges; the first line runs along
        # the street's south and west edges.
        for r, name in enumerate(east_west[: rows + 1]):
            lat = south + r * geo.BLOCK_LAT - geo.GAP / 2
            pieces = _pieces(blocks, code, west - OVERHANG, east + OVERHANG, lat, True, cols * 4)
            if name.endswith("河"):
                features.append(Feature("river", name, 1, _band(pieces, geo.GAP / 2.5, True)))
            else:
                rank = 1 if r in (0, rows) or r % 2 == 0 else 2
                features.append(Feature("road", name, rank, _line(pieces)))
        for c, name in enumerate(north_south[: cols + 1]):
            lon = west + c * geo.BLOCK_LON - geo.GAP / 2
            pieces = _pieces(blocks, code, south - OVERHANG, north + OVERHANG, lon, False, rows * 4)
            rank = 1 if c in (0, cols) or c % 2 == 0 else 2
            features.append(Feature("road", name, rank, _line(pieces)))
    return features


def estates() -> list[Feature]:
    """Each community's estates side by side (west to east) inside its block's grid area."""
    features = []
    drawn: list[tuple[float, float]] = []
    for _d, _code, _name, centre, communities, _g in geo.STREETS:
        corners = geo.community_blocks(centre, len(communities))
        # Where the synthetic layout puts a block over an earlier street's, the estates
        # drawn are the earlier street's.
        earlier = list(drawn)
        drawn.extend(corners)
        for short, (lat0, lon0) in zip(communities, corners, strict=True):
            if any(
                abs(lat0 - lat) < geo.BLOCK_LAT and abs(lon0 - lon) < geo.BLOCK_LON
                for lat, lon in earlier
            ):
                continue
            names = [name for name, _aliases, _count in estates_of(short)]
            width = (geo.BLOCK_LON - geo.GAP) / len(names)
            for i, name in enumerate(names):
                west = lon0 + i * width
                outline = geo.rectangle(
                    lat0 + INSET,
                    west + INSET,
                    lat0 + geo.BLOCK_LAT - geo.GAP - INSET,
                    west + width - INSET,
                )
                features.append(Feature("estate", name, 1, outline))
    return features


def nature() -> list[Feature]:
    """京杭运河 west of every block, winding gently; 虎丘's hill north of its street."""
    west = min(lon for _c, _lat, lon in _blocks()) - 0.0045
    south = min(lat for _c, lat, _lon in _blocks()) - 0.01
    north = max(lat for _c, lat, _lon in _blocks()) + geo.BLOCK_LAT + 0.01
    steps = 24
    bends = [0.0, 0.0012, 0.0018, 0.001, -0.0004, -0.0012, -0.0008, 0.0004]
    line = [
        [west + bends[i % len(bends)], south + (north - south) * i / steps]
        for i in range(steps + 1)
    ]
    canal = _band([line], 0.0009, False)
    hill = geo.rectangle(31.3432, 120.5650, 31.3478, 120.5760)
    return [Feature("river", "京杭运河", 1, canal), Feature("green", "虎丘山风景区", 1, hill)]


def features() -> list[Feature]:
    return [*nature(), *estates(), *roads()]

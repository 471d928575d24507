"""The demo's places, modelled on the newspaper page: Suzhou, three districts, six streets."""

CITY = ("320500000000", "苏州市", (31.30, 120.62))

DISTRICTS = [
    ("320508000000", "姑苏区"),
    ("320507000000", "相城区"),
    ("320571000000", "苏州工业园区"),
]

JINCHANG_COMMUNITIES = [
    "彩香一村",
    "彩香二村",
    "彩香三村",
    "三元一村",
    "三元二村",
    "三元三村",
    "三元四村",
    "新庄",
    "石路",
    "留园",
    "白莲",
    "虎池",
    "西园",
    "桃坞",
    "硕房庄",
    "采莲",
    "长船",
    "金门",
    "山塘",
    "上塘",
    "阊门",
    "南浩",
    "寒山",
    "枫桥路",
    "西中市",
    "景德路",
    "梅巷",
    "茶花",
    "彩虹",
]

# (district code, street code, name, centre (lat, lon), communities, grids per community)
STREETS = [
    (
        "320508000000",
        "320508012000",
        "金阊街道",
        (31.3205, 120.5905),
        JINCHANG_COMMUNITIES,
        (6, 12),
    ),
    (
        "320508000000",
        "320508013000",
        "虎丘街道",
        (31.3365, 120.5725),
        ["观景", "仁安", "虎阜", "新塘", "留园路"],
        (3, 5),
    ),
    (
        "320508000000",
        "320508011000",
        "苏锦街道",
        (31.3330, 120.6120),
        ["苏锦一村", "苏锦二村", "金筑", "北园"],
        (3, 5),
    ),
    (
        "320507000000",
        "320507001000",
        "元和街道",
        (31.3760, 120.6420),
        ["晨曦馨苑", "湖沁", "娄北", "康桥花园", "富元", "御窑"],
        (3, 5),
    ),
    (
        "320507000000",
        "320507002000",
        "黄桥街道",
        (31.3950, 120.5760),
        ["黄桥", "张庄", "旺庄"],
        (3, 5),
    ),
    (
        "320571000000",
        "320571002000",
        "娄葑街道",
        (31.2960, 120.6720),
        ["东港家和", "夏家桥", "葑谊", "金厍"],
        (3, 5),
    ),
]

# Each community occupies a block of this size (degrees); grids are cells inside it.
BLOCK_LAT = 0.0055
BLOCK_LON = 0.0065
GAP = 0.0004


def community_name(short: str) -> str:
    return short if short.endswith("社区") else f"{short}社区"


def rectangle(lat0: float, lon0: float, lat1: float, lon1: float) -> dict:
    """A GeoJSON polygon from two corners (GeoJSON order is lon, lat; ring closed)."""
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def community_blocks(centre: tuple[float, float], count: int) -> list[tuple[float, float]]:
    """South-west corners of `count` blocks laid out in a near-square around `centre`."""
    cols = max(1, round(count**0.5 + 0.49))
    rows = -(-count // cols)
    lat_origin = centre[0] - rows * BLOCK_LAT / 2
    lon_origin = centre[1] - cols * BLOCK_LON / 2
    return [
        (lat_origin + (i // cols) * BLOCK_LAT, lon_origin + (i % cols) * BLOCK_LON)
        for i in range(count)
    ]


def grid_cells(corner: tuple[float, float], count: int) -> list[dict]:
    """`count` non-overlapping rectangles inside the block at `corner`."""
    cols = max(1, round(count**0.5 + 0.49))
    rows = -(-count // cols)
    height = (BLOCK_LAT - GAP) / rows
    width = (BLOCK_LON - GAP) / cols
    cells = []
    for i in range(count):
        r, c = divmod(i, cols)
        lat0 = corner[0] + r * height
        lon0 = corner[1] + c * width
        cells.append(rectangle(lat0, lon0, lat0 + height, lon0 + width))
    return cells

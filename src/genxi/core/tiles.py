"""The map's tile source, from the environment (docs/maps.md): none, 天地图 or an XYZ URL.

Read once by the settings (`GENXI_MAP_TILES`), which also give the Content-Security-Policy
the tile host and no other; templates get it through the `{% map_config %}` tag. Pure
Python: the settings module imports it before Django is set up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict
from urllib.parse import urlsplit

KINDS = ("none", "tianditu", "xyz")
# CGCS2000 (天地图) is WGS-84 to within a metre; GCJ-02 is 高德's and 腾讯's shifted datum.
DATUM_NAMES = {"wgs84": "wgs84", "cgcs2000": "wgs84", "gcj02": "gcj02"}

TIANDITU = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)
TIANDITU_ATTRIBUTION = "© 天地图 (tianditu.gov.cn)"


class TileLayer(TypedDict):
    url: str
    subdomains: str
    attribution: str
    maxZoom: int


class TileSource(TypedDict):
    kind: str
    datum: str
    layers: list[TileLayer]
    hosts: list[str]  # what the CSP's img-src must allow ('self' needs nothing)


class TileConfigError(ValueError):
    pass


def _host_source(url: str) -> list[str]:
    """The CSP source of a tile URL's host; a `{s}` label becomes `*`. None for a path."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return []
    host = ".".join("*" if "{s}" in label else label for label in parts.netloc.split("."))
    if "*" in host.partition(".")[2]:
        raise TileConfigError(f"Tile URL host {parts.netloc}: {{s}} may only be its first label")
    return [f"{parts.scheme}://{host}"]


def tile_source(env: Mapping[str, str]) -> TileSource:
    """The tile source the environment configures (GENXI_MAP_TILES and its companions)."""
    url = env.get("GENXI_TILE_URL", "")
    kind = env.get("GENXI_MAP_TILES", "xyz" if url else "none").strip().lower()
    if kind not in KINDS:
        raise TileConfigError(f"GENXI_MAP_TILES={kind!r}: one of {', '.join(KINDS)}")
    datum_name = env.get("GENXI_MAP_DATUM", "wgs84").strip().lower()
    if datum_name not in DATUM_NAMES:
        raise TileConfigError(f"GENXI_MAP_DATUM={datum_name!r}: one of {', '.join(DATUM_NAMES)}")
    datum = DATUM_NAMES[datum_name]
    extra = env.get("GENXI_TILE_ATTRIBUTION", "")
    max_zoom = int(env.get("GENXI_TILE_MAX_ZOOM", "18"))
    if kind == "none":
        return {"kind": kind, "datum": "wgs84", "layers": [], "hosts": []}
    if kind == "tianditu":
        key = env.get("GENXI_TIANDITU_KEY", "")
        if not key:
            raise TileConfigError("GENXI_MAP_TILES=tianditu needs GENXI_TIANDITU_KEY")
        attribution = " ".join(p for p in (TIANDITU_ATTRIBUTION, extra) if p)
        layers: list[TileLayer] = [
            {
                "url": TIANDITU.replace("{layer}", layer).replace("{key}", key),
                "subdomains": "01234567",
                "attribution": attribution if layer == "vec" else "",
                "maxZoom": min(max_zoom, 18),
            }
            for layer in ("vec", "cva")  # the streets, then their names (注记) over them
        ]
        return {
            "kind": kind,
            "datum": "wgs84",  # CGCS2000
            "layers": layers,
            "hosts": ["https://*.tianditu.gov.cn"],
        }
    if not url:
        raise TileConfigError("GENXI_MAP_TILES=xyz needs GENXI_TILE_URL")
    layer: TileLayer = {
        "url": url,
        "subdomains": env.get("GENXI_TILE_SUBDOMAINS", "abc"),
        "attribution": extra,
        "maxZoom": max_zoom,
    }
    return {"kind": kind, "datum": datum, "layers": [layer], "hosts": _host_source(url)}

#!/usr/bin/env bash
# Copy the pinned npm assets into static/vendor so that no page loads anything from a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/genxi/static/vendor
rm -rf "$dest"
mkdir -p "$dest/bootstrap" "$dest/leaflet/images" "$dest/echarts"
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map "$dest/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map "$dest/bootstrap/"
# Each file's source map goes with it: collectstatic's manifest storage follows every
# sourceMappingURL and fails when the map is missing (and browsers' tools use it).
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css "$dest/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$dest/leaflet/images/"
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts/"
echo "assets copied to $dest"

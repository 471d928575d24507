import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from genxi.regions import services
from genxi.regions.domain.basemap import parse_features


class Command(BaseCommand):
    help = (
        "Load the maps' base layer (estates, roads, rivers) from a GeoJSON FeatureCollection "
        "in WGS-84/CGCS2000; replaces the features imported before from a file of that name "
        "(docs/maps.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .geojson file")
        parser.add_argument("--source", help="the name the features are kept under")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            features = parse_features(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:  # BasemapError and JSONDecodeError are ValueErrors
            raise CommandError(f"{path}: {exc}") from exc
        source = options["source"] or path.name
        count = services.basemap_replace(actor=None, features=features, source=source)
        self.stdout.write(f"{count} base-layer features from {source}.")

"""Early warnings (未诉先办), pure: hotspots, recurrences and surges over case arrays."""

"""Co-building pages: lists.py (needs, resources, claims, matches, contributions),
projects.py (projects, services and their slots), meetings.py (joint meetings)."""

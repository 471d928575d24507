"""The framework's own pages: site.py (home, audit log, two-factor, password change),
tokens.py (personal API tokens). Photos are served by core/media.py."""

"""Pure rules every app shares (no Django): see each module."""

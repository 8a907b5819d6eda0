"""The region folder (``outsim region``): series, per-firm tables, the bottom line."""

"""The region folder (``outsim region``): series, per-firm tables, the bottom line."""


def written_unit(unit: str) -> str:
    """The unit the reports write a regional figure or series in (``REGION_KPIS``,
    ``REGION_METRICS``): money (a total or a month's) in the region's currency, the rest as
    it is."""
    return "USD" if unit.startswith("money") else unit

"""A sweep's summary page (``summary.html``, ``report``), from the runs its store holds."""

"""Plans side by side (``outsim compare``): the comparison folder and its page (``report``),
and its spreadsheet (``spreadsheet``)."""

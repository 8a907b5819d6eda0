"""A run's results folder (``outsim run``, ``simulator.run(...).save``): ``results`` writes
the folder (``Results``), ``report`` its page, ``brief`` the bottom line in words that the
page and ``spreadsheet`` (``results.xlsx``) both open with."""

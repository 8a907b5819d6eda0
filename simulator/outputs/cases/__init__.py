"""The case replay folder (``outsim cases``): ``cases.csv`` and ``cases.html``."""

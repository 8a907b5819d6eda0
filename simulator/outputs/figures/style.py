"""The look shared by every outsim figure: the colour-blind-safe palette, state colours, figure
size and resolution, and the matplotlib settings (``style()``, used with ``rc_context``)."""

from __future__ import annotations

from typing import Any

from cycler import cycler
from matplotlib.typing import RcKeyType

# Okabe & Ito (2008) colour-blind-safe palette, in the order lines take them.
BLUE, VERMILLION, GREEN, ORANGE = "#0072B2", "#D55E00", "#009E73", "#E69F00"
PURPLE, SKY, BLACK, YELLOW = "#CC79A7", "#56B4E9", "#000000", "#F0E442"
PALETTE = (BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, BLACK)
GREY = "#999999"
STATE_COLOURS = {
    "in_house": BLUE,
    "notice": SKY,
    "redeployed": GREEN,
    "unemployed": VERMILLION,
    "retraining": ORANGE,
    "reemployed": YELLOW,
    "left_labour_force": GREY,
}

FIGSIZE = (11.0, 7.0)
DPI = 110
BAND_ALPHA = 0.2
PNG_OPTIONS = {"compress_level": 3}  # zlib level: a little larger files, much faster to write


def style() -> dict[RcKeyType, Any]:
    """The matplotlib settings every figure is drawn with (use with ``rc_context``)."""
    return {
        "figure.figsize": FIGSIZE,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "savefig.facecolor": "white",
        "figure.facecolor": "white",
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.labelsize": 11,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "legend.fontsize": 9.5,
        "legend.frameon": False,
        "figure.titlesize": 15,
        "figure.titleweight": "bold",
        "axes.prop_cycle": cycler(color=PALETTE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": "#dddddd",
        "grid.linewidth": 0.8,
        "lines.linewidth": 2.0,
        "axes.formatter.useoffset": False,
    }

"""Figure layout from measured text (tick labels, titles, legends, captions) in inches, so each
figure is drawn exactly once when saved; and the figure's creation and saving."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, never a display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.textpath import text_to_path  # noqa: E402

from simulator.outputs.figures.style import (  # noqa: E402
    PNG_OPTIONS,
)

# -- text measurement and layout -----------------------------------------------------------
# Inches. The figure is laid out from these and from measured text, without a layout engine.
EDGE = 0.12  # blank border
SUPTITLE_H = 0.45  # the figure title and the gap under it
TITLE_LINE = 0.21  # one line of an axes title
TITLE_PAD = 0.1
XAXIS_H = 0.52  # x tick labels and x label under an axes
ROW_GAP = 0.2
LABEL_LINE = 0.19  # one line of a y label (rotated)
TICK_SPACE = 0.14  # tick length and padding left of the axes
OVERHANG = 0.22  # right of an axes: half the last x tick label, or the gap to the next
CAPTION_LINE = 0.17
LEGEND_LINE = 0.22
MIN_AXES_H = 1.4
TEXT_SAFETY = 1.06  # Agg's hinted glyphs come out up to ~5% wider than their outlines


@lru_cache(maxsize=4096)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in inches of ``text`` (the widest line) at ``size`` points."""
    prop = FontProperties(size=size, weight="bold" if bold else "normal")
    widths = [
        text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0]
        for line in text.split("\n")
    ]
    return TEXT_SAFETY * max(widths) / 72.0


def _wrap(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` broken at spaces into lines no wider than ``width`` inches (where possible)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if line and text_width(trial, size, bold) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return "\n".join(lines)


def _wrap_label(text: str, width: float, size: float) -> str:
    """An axis label in two lines, the unit in brackets on the second if both lines fit."""
    quantity, sep, unit = text.rpartition(" (")
    if sep and max(text_width(quantity, size), text_width(f"({unit}", size)) <= width:
        return f"{quantity}\n({unit}"
    return _wrap(text, width, size)


def rc_size(key: str) -> float:
    return FontProperties(size=plt.rcParams[key]).get_size_in_points()


def _ytick_width(ax: Axes) -> float:
    """Width in inches of the widest y tick label ``ax`` will show."""
    lo, hi = sorted(ax.get_ylim())
    locs = ax.yaxis.get_major_locator()()
    tol = 1e-9 * max(abs(lo), abs(hi), 1.0)
    locs = [v for v in locs if lo - tol <= v <= hi + tol]
    if not locs:
        return 0.0
    labels = ax.yaxis.get_major_formatter().format_ticks(locs)
    size = rc_size("ytick.labelsize")
    return max(text_width(s, size) for s in labels)


def legend_width(labels: Sequence[str]) -> float:
    """Width in inches of a one-column legend with these labels (handle, gap, text, border)."""
    size = rc_size("legend.fontsize")
    text = max((text_width(s, size) for s in labels), default=0.0)
    return text + 4.0 * size / 72.0


def arrange(
    fig: plt.Figure,
    axes: np.ndarray,
    titles: Sequence[str],
    suptitle: str,
    caption: str,
    height_ratios: Sequence[float] | None = None,
    legend_right: float = 0.0,
    header: Callable[[float], float] | None = None,
) -> float:
    """Place ``axes`` (rows × cols, ``None`` where empty), titles, figure title and caption.

    Margins come from the widest y tick labels of each column, the y labels, titles wrapped
    to the axes width and the caption wrapped to the figure width. ``legend_right`` reserves
    inches right of the axes; ``header(width)`` returns inches reserved under the figure title.
    The figure grows taller if the axes would otherwise be squeezed. Returns the y (figure
    fraction) of the top of the header space.
    """
    width, height = fig.get_size_inches()
    rows, cols = axes.shape
    cells = [(r, c, axes[r, c]) for r in range(rows) for c in range(cols) if axes[r, c] is not None]
    label_size = rc_size("axes.labelsize")
    title_size = rc_size("axes.titlesize")
    caption_size = 9.5
    ticks = [
        max((_ytick_width(a) for a in axes[:, c] if a is not None), default=0.0)
        for c in range(cols)
    ]
    label_lines = dict.fromkeys(range(cols), 1)
    caption = _wrap(caption, width - 2 * EDGE, caption_size) if caption else ""
    caption_h = (caption.count("\n") + 1) * CAPTION_LINE + 0.06 if caption else 0.0
    ratios = list(height_ratios or [1.0] * rows)

    for _pass in range(2):  # the second pass wraps y labels taller than their axes
        left = [EDGE + TICK_SPACE + ticks[c] + LABEL_LINE * label_lines[c] for c in range(cols)]
        axes_w = (width - EDGE - sum(left) - OVERHANG * cols - legend_right) / cols
        wrapped = {
            (r, c): _wrap(t, axes_w + OVERHANG * 0.5, title_size, bold=True) if t else ""
            for (r, c, _ax), t in zip(cells, titles, strict=True)
        }
        title_h = [
            max((wrapped[r, c].count("\n") + 1 for (rr, c, _a) in cells if rr == r), default=0)
            * TITLE_LINE
            + TITLE_PAD
            for r in range(rows)
        ]
        head = header(width) if header else 0.0
        fixed = 2 * EDGE + SUPTITLE_H + head + sum(title_h) + rows * XAXIS_H
        fixed += (rows - 1) * ROW_GAP + caption_h
        if height - fixed < MIN_AXES_H * rows:
            height = fixed + MIN_AXES_H * rows
        heights = [(height - fixed) * q / sum(ratios) for q in ratios]
        again = False
        for r, c, ax in cells:
            label = ax.get_ylabel()
            if label_lines[c] == 1 and text_width(label, label_size) > 0.95 * heights[r]:
                label_lines[c] = 2
                again = True
        if not again:
            break

    fig.set_size_inches(width, height)
    for r, c, ax in cells:
        if label_lines[c] > 1 and text_width(ax.get_ylabel(), label_size) > 0.95 * heights[r]:
            ax.set_ylabel(_wrap_label(ax.get_ylabel(), 0.95 * heights[r], label_size))
    y = height - EDGE - SUPTITLE_H - head
    for r in range(rows):
        y -= title_h[r]
        bottom = y - heights[r]
        x = 0.0
        for c in range(cols):
            x += left[c]
            ax = axes[r, c]
            if ax is not None:
                ax.set_position((x / width, bottom / height, axes_w / width, heights[r] / height))
                if wrapped[r, c]:
                    ax.set_title(wrapped[r, c], loc="left", y=1.0)  # y: no auto-placement
            x += axes_w + OVERHANG
        y = bottom - XAXIS_H - ROW_GAP
    fig.suptitle(suptitle, x=EDGE / width, y=1 - EDGE / height, ha="left", va="top")
    if caption:
        fig.text(
            EDGE / width,
            EDGE / height,
            caption,
            ha="left",
            va="bottom",
            fontsize=caption_size,
            color="#444444",
        )
    return 1 - (EDGE + SUPTITLE_H) / height


def new_figure(figsize: tuple[float, float], rows: int, cols: int) -> tuple[plt.Figure, Any]:
    """A figure with a rows × cols array of axes, to be placed by ``arrange``."""
    fig = plt.figure(figsize=figsize)
    axes = np.empty((rows, cols), dtype=object)
    for r in range(rows):
        for c in range(cols):
            axes[r, c] = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    return fig, axes


def save(fig: plt.Figure, path: Path) -> Path:
    fig.savefig(path, pil_kwargs=PNG_OPTIONS)  # no bbox_inches="tight": laid out already
    return path

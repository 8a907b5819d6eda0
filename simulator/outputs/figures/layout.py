"""Figure creation, layout and saving. Matplotlib's constrained layout places everything.

``new_figure`` makes a figure with the constrained layout engine. The figure holds the title
(``fig.suptitle``) and the caption (``fig.supxlabel``), both of which the engine makes room
for; its one subfigure, the body, holds the axes and the figure legend
(``loc="outside upper left"``: in the body, the engine puts it under the title rather than
on it). Axes legends outside their axes are among the axes' decorations, so the engine makes
room for them too.

The engine does not wrap text, and ``wrap=True`` wraps at the figure's edge: a caption's
lines would reach the edge, an axes title would run into the next column's (the engine
counts a title's height but not its width), and a y label longer than its axes would make
the engine shrink the axes to make room above and below it. So ``lay_out`` runs the engine
once to learn the axes' sizes, wraps the titles to their axes' widths, the y labels to their
heights and the caption to the figure's width less its borders (measured as matplotlib's
renderer draws them), runs the engine again (and again if the wrapping changed the sizes
enough to matter), grows the figure if an axes would be squeezed, and then keeps that
layout: saving draws the figure once.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import matplotlib

matplotlib.use("Agg")  # files only, never a display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.backend_bases import RendererBase  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.layout_engine import ConstrainedLayoutEngine  # noqa: E402
from matplotlib.legend import Legend  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from simulator.outputs.figures.style import PNG_OPTIONS  # noqa: E402

PAD = 0.1  # inches: the figure's blank border, and the space around each axes' decorations
MIN_AXES_HEIGHT = 1.4  # inches: the figure grows taller rather than squeeze an axes below this
CAPTION = {"fontsize": 9.5, "color": "#444444"}
_COLLAPSED = "constrained_layout not applied"  # matplotlib's warning when axes have no room
_PASSES = 4  # layout passes at most; two are enough unless the wrapping keeps changing sizes


def new_figure(
    figsize: tuple[float, float],
    rows: int,
    cols: int,
    height_ratios: Sequence[float] | None = None,
) -> tuple[Figure, np.ndarray]:
    """A figure with a rows × cols array of axes in its body, laid out by matplotlib."""
    engine = ConstrainedLayoutEngine(w_pad=PAD, h_pad=PAD, wspace=0.0, hspace=0.0)
    fig = plt.figure(figsize=figsize, layout=engine)
    # the axes and the figure legend, in one subfigure under the figure's title
    body = fig.subfigures(1, 1, squeeze=False)[0, 0]
    axes = body.subplots(rows, cols, squeeze=False, gridspec_kw={"height_ratios": height_ratios})
    return fig, axes


def figure_legend(fig: Figure, handles: Sequence[Artist], labels: Sequence[str], **kw) -> Legend:
    """A legend of the whole figure under its title, in as many columns as fit its width."""
    body = fig.subfigs[0]
    renderer = _renderer(fig)
    room = fig.bbox.width - 2 * PAD * fig.dpi
    size = FontProperties(size=plt.rcParams["legend.fontsize"]).get_size_in_points()
    kw = {"borderaxespad": PAD * 72 / size} | kw  # in font sizes: level with the title
    for ncols in range(len(labels), 0, -1):
        legend = body.legend(handles, labels, loc="outside upper left", ncols=ncols, **kw)
        if ncols == 1 or legend.get_window_extent(renderer).width <= room:
            return legend
        legend.remove()
    raise ValueError("a figure legend needs at least one label")


def _width(text: str, like: Text, renderer: RendererBase) -> float:
    """Width in pixels of one line of ``text`` drawn as ``like`` is."""
    return renderer.get_text_width_height_descent(text, like.get_fontproperties(), ismath=False)[0]


def wrap(text: str, width: float, like: Text, renderer: RendererBase) -> str:
    """``text`` broken at spaces into lines no wider than ``width`` pixels (where words allow),
    each measured as ``like`` draws it."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if line and _width(trial, like, renderer) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return "\n".join(lines)


def _wrap_label(text: str, height: float, label: Text, renderer: RendererBase) -> str:
    """A y label no longer than ``height`` pixels: the unit in brackets on a second line if
    both lines fit, else broken wherever it must."""
    if _width(text, label, renderer) <= height:
        return text
    quantity, sep, unit = text.rpartition(" (")
    lines = (quantity, f"({unit}")
    if sep and max(_width(line, label, renderer) for line in lines) <= height:
        return "\n".join(lines)
    return wrap(text, height, label, renderer)


def _execute(fig: Figure) -> bool:
    """Run the layout engine; False if the axes had no room (the figure must grow)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        engine = fig.get_layout_engine()
        if engine is None:
            raise ValueError("the figure has no layout engine (made by new_figure?)")
        engine.execute(fig)
    collapsed = False
    for w in caught:
        if _COLLAPSED in str(w.message):
            collapsed = True
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return not collapsed


def _renderer(fig: Figure) -> RendererAgg:
    """The figure's Agg renderer (figures are drawn with Agg: ``plots.py``), which measures
    text as it will be drawn."""
    return cast(FigureCanvasAgg, fig.canvas).get_renderer()


def _grow(fig: Figure, factor: float) -> None:
    width, height = fig.get_size_inches()
    fig.set_size_inches(width, height * factor)


def lay_out(
    fig: Figure, axes: np.ndarray, titles: Sequence[str], suptitle: str, caption: str
) -> None:
    """Title and caption the figure, title its axes, and lay it out for good (see above)."""
    renderer = _renderer(fig)
    width = fig.get_size_inches()[0]
    fig.suptitle(suptitle, x=PAD / width, ha="left")
    if caption:
        text = fig.supxlabel(caption, x=PAD / width, ha="left", **CAPTION)
        text.set_text(wrap(caption, fig.bbox.width - 2 * PAD * fig.dpi, text, renderer))
    rows, cols = axes.shape
    cells = list(axes.flat)
    heads = [ax.set_title(t, loc="left", y=1.0) for ax, t in zip(cells, titles, strict=True)]
    labels = [ax.yaxis.label for ax in cells]
    originals = {text: text.get_text() for text in heads + labels}

    def widest(text: Text) -> float:
        return max(_width(line, text, renderer) for line in text.get_text().split("\n"))

    def fit(texts: list[Text], room: list[float], again: bool, as_label: bool = False) -> bool:
        """Wrap ``texts`` into ``room`` pixels each (``again``: only those that no longer fit)."""
        changed = False
        for text, space in zip(texts, room, strict=True):
            if not again or widest(text) > space:
                how = _wrap_label if as_label else wrap
                wrapped = how(originals[text], space, text, renderer)
                changed |= wrapped != text.get_text()
                text.set_text(wrapped)
        return changed

    def sizes(share: float = 1.0, heights: bool = False) -> list[float]:
        return [share * (ax.bbox.height if heights else ax.bbox.width) for ax in cells]

    def extents(texts: list[Text]) -> list[Bbox]:
        return [text.get_window_extent(renderer) for text in texts]

    def laid_out() -> None:
        """Run the engine, growing the figure until every axes is at least the minimum height."""
        for _attempt in range(8):
            if not _execute(fig):
                _grow(fig, 1.5)
                continue
            shortest = min(ax.bbox.height for ax in cells) / fig.dpi
            if shortest >= MIN_AXES_HEIGHT:
                return
            axes_h = sum(ax.bbox.height for ax in axes[:, 0]) / fig.dpi
            height = fig.get_size_inches()[1]
            _grow(fig, 1 + (MIN_AXES_HEIGHT / shortest - 1) * axes_h / height + 0.01)

    # Pass 1 gives the axes' widths (the engine counts a title's height, never its width) and
    # heights. A title's added lines come out of the axes' heights and a y label's added line
    # out of their widths, shared in proportion to them: estimated so, the wrapping is
    # usually right the first time, and pass 2 confirms it.
    laid_out()
    before = extents(heads)
    changed = fit(heads, sizes(), again=False)
    grown = [a.height - b.height for a, b in zip(extents(heads), before, strict=True)]
    taken = sum(max(grown[r * cols : (r + 1) * cols]) for r in range(rows))
    share = max(1.0 - taken / sum(ax.bbox.height for ax in axes[:, 0]), 0.5)
    before = extents(labels)
    changed |= fit(labels, sizes(share, heights=True), again=False, as_label=True)
    grown = [a.width - b.width for a, b in zip(extents(labels), before, strict=True)]
    taken = sum(max(grown[c::cols]) for c in range(cols))
    share = max(1.0 - taken / sum(ax.bbox.width for ax in axes[0, :]), 0.5)
    changed |= fit(heads, sizes(share), again=True)
    for _pass in range(_PASSES - 1):
        if not changed:
            break
        laid_out()  # with the wrapped text; wrap again only what no longer fits
        changed = fit(labels, sizes(heights=True), again=True, as_label=True)
        changed |= fit(heads, sizes(), again=True)
    if changed:
        laid_out()  # the last wrapping, laid out as it is
    # Laid out for good. Without an engine, saving draws the figure once (with one, even the
    # placeholder that layout="none" leaves, ``savefig`` draws it twice).
    fig.set_layout_engine(None)


def save(fig: Figure, path: Path) -> Path:
    fig.savefig(path, pil_kwargs=PNG_OPTIONS)  # no bbox_inches="tight": laid out already
    return path

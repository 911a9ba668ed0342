"""The book's plotting style, and the small pieces every figure module shares.

The Okabe-Ito colours, the colour maps, :func:`use_style` / :func:`style` (the
style sheet ``nnlib.mplstyle`` beside this file), new figures (``_subplots``,
``_axes_for``) and class labels read from any target format (``_class_labels``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import matplotlib.style
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap

from nnlib.plot.legibility import check_figures_if_asked

STYLE_PATH = Path(__file__).with_name("nnlib.mplstyle")

# Okabe & Ito (2008), in the order of the style's colour cycle; yellow F0E442 is unreadable on white.
BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, BLACK = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#000000",
)
#: Signs, as in weights: blue positive, vermillion negative, grey for nothing drawn.
POSITIVE, NEGATIVE, NEUTRAL = BLUE, VERMILLION, "#888888"
PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, BLACK)
CLASS_COLORS = (ORANGE, BLUE, GREEN, VERMILLION, PURPLE, SKY_BLUE, BLACK)
CLASS_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
#: Signed quantities such as weights: vermillion < 0 < blue, white at zero.
DIVERGING = LinearSegmentedColormap.from_list("nnlib_diverging", [NEGATIVE, "#FFFFFF", POSITIVE])
#: Background of decision maps: light orange (class 0), white at the threshold, light blue (class 1).
DECISION_CMAP = LinearSegmentedColormap.from_list("nnlib_decision", ["#F2C56B", "#FFFFFF", "#6FA8D3"])


def use_style() -> None:
    """Use the book's style (``nnlib.mplstyle``, beside this module) from now on.

    With ``NNLIB_CHECK_FIGURES=1`` in the environment (the book's build and tests), every
    new figure also checks that its text is legible on the website
    (:mod:`nnlib.plot.legibility`).
    """
    matplotlib.style.use(STYLE_PATH)
    check_figures_if_asked()


@contextlib.contextmanager
def style() -> Iterator[None]:
    """``with style(): ...`` uses the book's style inside the block only."""
    with matplotlib.style.context(STYLE_PATH):
        yield


def _subplots(nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] | None = None):
    import matplotlib.pyplot as plt  # pyplot only creates figures (so notebooks display them)

    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False, layout="constrained")
    return fig, list(axes.ravel())


def _axes_for(ax, n: int, who: str, figsize: tuple[float, float]) -> list[Axes]:
    """``n`` Axes: new ones side by side, or the ones the caller gave (checked)."""
    if ax is None:
        return _subplots(1, n, figsize=figsize)[1]
    axes = list(np.atleast_1d(ax))
    if len(axes) != n:
        raise ValueError(f"{who} draws {n} panel(s), so it needs {n} Axes, got {len(axes)}")
    return axes


def _class_labels(y, n: int, who: str, strict: bool = True) -> np.ndarray | None:
    """Integer labels from 0/1, -1/+1, integer or one-hot targets; continuous targets: None or (strict) error."""
    y = np.asarray(y, dtype=float)
    y = (y.argmax(axis=1) if y.ndim == 2 and y.shape[1] > 1 else y).reshape(-1)
    if y.size != n:
        raise ValueError(f"{who} expected {n} labels (one per example), got array of shape {np.shape(y)}")
    if set(np.unique(y).tolist()) <= {-1, 1}:
        return (y > 0).astype(int)
    if np.all(y == np.round(y)) and y.min() >= 0:
        return y.astype(int)
    if strict:
        raise ValueError(f"{who} expected class labels (integers >= 0, -1/+1 or one-hot rows), got {y[:4]}...")
    return None

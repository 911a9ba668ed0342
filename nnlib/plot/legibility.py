"""Figure text a reader can read: at least 9 px as the website shows it.

A figure drawn 16 inches wide is shown in the website's text column, 672 px wide
on a desktop screen, so its 10-point tick labels come out about 6 px tall. The
book's figures must keep every text at 9 px or more at that size.
:func:`smallest_text` works out the size a figure's smallest text is shown at, and
:func:`check_legible` refuses a figure below the limit.

The book's own checks switch the test on for every figure: with the environment
variable ``NNLIB_CHECK_FIGURES=1`` (set by ``make test`` and ``make book``),
:func:`nnlib.plot.style.use_style` makes every new pyplot figure check itself each time
it is drawn, so a chapter whose figure is too small to read fails to run.
"""

from __future__ import annotations

import os

from matplotlib.figure import Figure
from matplotlib.text import Text

#: Width in CSS pixels of the website's text column on a 1280 px desktop screen.
PAGE_WIDTH_PX = 672
#: The smallest text height allowed, in CSS pixels as shown.
MIN_TEXT_PX = 9.0
#: The environment variable that makes :func:`nnlib.plot.style.use_style` check every figure.
CHECK_VARIABLE = "NNLIB_CHECK_FIGURES"
_HOOK = f"{__name__}:watch"


class IllegibleFigureError(ValueError):
    """A figure's text would be shown smaller than :data:`MIN_TEXT_PX`."""


def shown_scale(fig: Figure, dpi: float | None = None, page_width_px: float = PAGE_WIDTH_PX) -> float:
    """CSS pixels per typographic point when ``fig`` is shown on the page.

    Saved at ``dpi`` (the figure's own by default), the image is ``width * dpi``
    pixels wide, one point being ``dpi / 72`` of them; the page shows it at its
    natural size, or shrunk to the text column if it is wider.
    """
    dpi = fig.dpi if dpi is None else dpi
    natural = fig.get_figwidth() * dpi
    return dpi / 72 * min(1.0, page_width_px / natural)


def smallest_text(fig: Figure, dpi: float | None = None, page_width_px: float = PAGE_WIDTH_PX) -> tuple[float, str]:
    """The height in CSS pixels, as shown on the page, of the figure's smallest visible text, and that text.

    Returns ``(inf, "")`` for a figure without text.
    """
    scale = shown_scale(fig, dpi, page_width_px)
    sizes = [
        (text.get_fontsize() * scale, text.get_text())
        for text in fig.findobj(Text)
        if isinstance(text, Text) and text.get_visible() and text.get_text().strip()
    ]
    return min(sizes, default=(float("inf"), ""))


def check_legible(fig: Figure, dpi: float | None = None, page_width_px: float = PAGE_WIDTH_PX) -> None:
    """Raise :class:`IllegibleFigureError` if a text of ``fig`` is shown below :data:`MIN_TEXT_PX`."""
    size, text = smallest_text(fig, dpi, page_width_px)
    if size < MIN_TEXT_PX:
        title = fig._suptitle.get_text() if fig._suptitle is not None else ""
        title = title or next((ax.get_title() for ax in fig.axes if ax.get_title()), "untitled")
        raise IllegibleFigureError(
            f"figure {title!r}: its text {text!r} is {size:.1f} px tall on the website (at most "
            f"{page_width_px} px wide, the figure is {fig.get_figwidth():.1f} in); every text must be at "
            f"least {MIN_TEXT_PX:g} px: make the figure narrower (fewer panels side by side) or the text larger"
        )


def watch(fig: Figure) -> None:
    """Make ``fig`` check its text each time it is drawn (a pyplot ``figure.hooks`` entry)."""
    fig.canvas.mpl_connect("draw_event", lambda event: check_legible(event.canvas.figure))


def check_figures_if_asked() -> None:
    """Register :func:`watch` for new pyplot figures when ``NNLIB_CHECK_FIGURES=1``."""
    import matplotlib

    if os.environ.get(CHECK_VARIABLE) == "1" and _HOOK not in matplotlib.rcParams["figure.hooks"]:
        matplotlib.rcParams["figure.hooks"] = [*matplotlib.rcParams["figure.hooks"], _HOOK]

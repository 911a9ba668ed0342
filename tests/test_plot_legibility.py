"""nnlib.plot.legibility: every figure's text is at least 9 px as the website shows it."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from nnlib import plot
from nnlib.plot import legibility
from nnlib.plot.legibility import IllegibleFigureError, check_legible, shown_scale, smallest_text


@pytest.fixture
def figure():
    """A new figure with the book's style; closed afterwards, rcParams restored."""
    made = []

    def make(width, height=3.0, **kw):
        fig, ax = plt.subplots(figsize=(width, height), **kw)
        made.append(fig)
        return fig, ax

    with matplotlib.rc_context():
        plot.use_style()
        yield make
    for fig in made:
        plt.close(fig)


def test_a_narrow_figure_is_shown_at_its_natural_size_and_a_wide_one_shrunk(figure):
    narrow, _ = figure(5.0)  # 500 px at 100 dpi: narrower than the 672 px column
    wide, _ = figure(14.0)
    assert shown_scale(narrow) == pytest.approx(100 / 72)
    assert shown_scale(wide) == pytest.approx(672 / (14 * 72))
    # The saved resolution does not matter for a wide figure: the page shrinks it to the column.
    assert shown_scale(wide, dpi=150) == pytest.approx(shown_scale(wide))


def test_smallest_text_finds_the_smallest_visible_text(figure):
    fig, ax = figure(6.0)
    ax.set_title("title")
    ax.text(0.5, 0.5, "tiny", fontsize=5)
    ax.text(0.5, 0.2, "hidden", fontsize=2, visible=False)
    ax.text(0.5, 0.1, "   ", fontsize=1)  # blank text draws nothing
    fig.canvas.draw()
    size, text = smallest_text(fig)
    assert text == "tiny"
    assert size == pytest.approx(5 * 100 / 72)


def test_check_legible_refuses_a_wide_figure_naming_it_and_its_text(figure):
    fig, ax = figure(16.0)
    ax.set_title("sixteen inches")
    fig.canvas.draw()
    with pytest.raises(IllegibleFigureError, match=r"figure 'sixteen inches': its text '.*' is 5\.8 px tall") as err:
        check_legible(fig)
    assert "16.0 in" in str(err.value) and "at least 9 px" in str(err.value)
    ok, _ = figure(9.5)
    ok.canvas.draw()
    check_legible(ok)  # 10-point ticks, 9.8 px


def test_the_check_runs_on_every_draw_only_when_asked(figure, monkeypatch):
    monkeypatch.delenv(legibility.CHECK_VARIABLE, raising=False)
    plot.use_style()
    quiet, _ = figure(16.0)
    quiet.canvas.draw()  # not asked: a learner's own wide figure is their business

    monkeypatch.setenv(legibility.CHECK_VARIABLE, "1")
    plot.use_style()
    plot.use_style()  # twice: the hook is registered once
    assert matplotlib.rcParams["figure.hooks"].count(legibility._HOOK) == 1
    loud, _ = figure(16.0)
    with pytest.raises(IllegibleFigureError):
        loud.canvas.draw()
    fine, _ = figure(8.0)
    fine.canvas.draw()

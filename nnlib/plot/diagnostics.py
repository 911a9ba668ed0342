"""Figures of a debugging checklist: the learning-rate range test, norms per layer,
activation histograms, and one dashboard of a whole run.

They draw what :mod:`nnlib.diagnostics` measures:

* :func:`plot_lr_range`: the loss against the learning rate, on a log scale;
* :func:`plot_norms`: each layer's gradient norm, or update-to-weight ratio, step by step;
* :func:`plot_activation_stats`: one histogram of the activations per layer, with the
  fractions of dead units and saturated values in the titles;
* :func:`plot_run`: the four panels of a :class:`~nnlib.diagnostics.Run` that a
  debugger reads first (loss, accuracy, update ratios, hidden activations).

Like every function of :mod:`nnlib.plot`, each draws on ``ax`` (or ``axes``) if given,
else on a new figure, and returns the Axes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from ..diagnostics import LayerStats, LRRangeTest, NormRecorder, Run
from .style import BLACK, BLUE, GREEN, ORANGE, PURPLE, SKY_BLUE, VERMILLION, _axes_for, _subplots

_LAYER_COLORS = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, BLACK)
_LAYER_STYLES = ("-", "--", "-.", ":")  # colour and line style: layers stay apart without colour


def _check(value, kind: type, who: str, what: str) -> None:
    if not isinstance(value, kind):
        raise TypeError(f"{who}: expected {what}, got {type(value).__name__}")


def plot_lr_range(result: LRRangeTest, ax: Axes | None = None, title: str | None = None) -> Axes:
    """The loss after each step of a learning-rate range test, against the learning rate (log scale).

    The raw losses are faint dots, the smoothed loss a line; a dotted line marks the loss
    before the first step, and a vertical line :attr:`~nnlib.diagnostics.LRRangeTest.suggested_lr`.
    """
    _check(result, LRRangeTest, "plot_lr_range", "the result of nnlib.diagnostics.lr_range_test")
    (ax,) = _axes_for(ax, 1, "plot_lr_range", (6.0, 3.8))
    finite = np.isfinite(result.losses)
    ax.plot(result.lrs[finite], result.losses[finite], ".", color=SKY_BLUE, markersize=4, label="loss per step")
    ax.plot(result.lrs[finite], result.smoothed[finite], "-", color=BLUE, label="smoothed")
    ax.axhline(result.initial_loss, color=BLACK, linestyle=":", linewidth=1.2, label="loss before training")
    ax.axvline(
        result.suggested_lr,
        color=VERMILLION,
        linestyle="--",
        linewidth=1.4,
        label=f"a tenth of the best: {result.suggested_lr:.2g}",
    )
    ax.set_xscale("log")
    top = 2.5 * result.initial_loss
    ax.set_ylim(0, top)
    ax.set(
        title=title or "Learning-rate range test",
        xlabel=r"learning rate $\eta$ (log scale)",
        ylabel="loss on a mini-batch",
    )
    ax.legend(loc="upper left")
    return ax


_NORM_KINDS = {
    "update_ratios": (r"$\|\Delta W^l\| \,/\, \|W^l\|$", "Update / weight ratio per layer"),
    "grad_norms": (r"$\|\partial C / \partial W^l\|$", "Gradient norm per layer"),
    "update_norms": (r"$\|\Delta W^l\|$", "Update norm per layer"),
    "weight_norms": (r"$\|W^l\|$", "Weight norm per layer"),
}


def plot_norms(
    recorder: NormRecorder, kind: str = "update_ratios", ax: Axes | None = None, title: str | None = None
) -> Axes:
    """One line per layer of a :class:`~nnlib.diagnostics.NormRecorder`, step by step (log scale).

    ``kind`` is ``update_ratios`` (with a band around the CS231n rule of thumb, 1e-3), ``grad_norms``,
    ``update_norms`` or ``weight_norms``. Zeros (a layer that never moves) are drawn at
    the bottom edge of the plot, marked with crosses; so are values too small to matter
    (for ``update_ratios``, below 1e-6: a layer that has stopped learning).
    """
    _check(recorder, NormRecorder, "plot_norms", "a nnlib.diagnostics.NormRecorder")
    if kind not in _NORM_KINDS:
        raise ValueError(f"plot_norms: kind must be one of {', '.join(_NORM_KINDS)}, got {kind!r}")
    values = getattr(recorder, kind)
    if values.size == 0:
        raise ValueError("plot_norms: the recorder has no steps yet (pass it to fit(..., callbacks=[recorder]))")
    (ax,) = _axes_for(ax, 1, "plot_norms", (6.0, 3.8))
    steps = np.asarray(recorder.steps)
    positive = values[values > 0]
    top = positive.max() if positive.size else 1.0
    floor = max(positive.min() / 3 if positive.size else top, top * 1e-8)
    if kind == "update_ratios":
        ax.axhspan(1e-4, 1e-2, color=GREEN, alpha=0.12, label="rule of thumb: about 1e-3")
        floor = 1e-6
    for l in range(values.shape[1]):
        v = values[:, l]
        color, style = _LAYER_COLORS[l % len(_LAYER_COLORS)], _LAYER_STYLES[l % len(_LAYER_STYLES)]
        ax.plot(steps, np.where(v >= floor, v, np.nan), style, color=color, linewidth=1.5, label=f"layer {l + 1}")
        low = v < floor
        if low.any():
            ax.plot(
                steps[low],
                np.full(low.sum(), floor),
                "x",
                color=color,
                markersize=5,
                label=f"layer {l + 1}: below {floor:.0e}",
            )
    ax.set_yscale("log")
    ax.set_ylim(bottom=floor / 2, top=max(top, 1e-1 if kind == "update_ratios" else top) * 3)
    ylabel, default_title = _NORM_KINDS[kind]
    ax.set(title=title or default_title, xlabel="optimiser step", ylabel=ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="best", fontsize=10)
    return ax


def _layer_title(s: LayerStats) -> str:
    if math.isnan(s.dead):
        return f"layer {s.layer} ({s.activation})"
    return f"layer {s.layer} ({s.activation})\n{s.dead:.0%} dead, {s.saturated:.0%} saturated"


def plot_activation_stats(
    stats: Sequence[LayerStats],
    axes: Axes | Sequence[Axes] | None = None,
    color: str = BLUE,
    label: str | None = None,
) -> list[Axes]:
    """One histogram per layer of :func:`nnlib.diagnostics.activation_stats`: the values ``a``.

    Bars give the fraction of the layer's values in each bin. A sigmoid's range is
    ``[0, 1]``, a tanh's ``[-1, 1]``; a ReLU's goes from 0 to its largest value (at least 1). Each
    title gives the layer's fraction of dead units and of saturated values.
    """
    if isinstance(stats, LayerStats) or not all(isinstance(s, LayerStats) for s in stats):
        raise TypeError("plot_activation_stats: expected the list that nnlib.diagnostics.activation_stats returns")
    stats = list(stats)
    if not stats:
        raise ValueError("plot_activation_stats: got no layers")
    axes_ = _axes_for(axes, len(stats), "plot_activation_stats", (3.0 * len(stats), 2.9))
    for ax, s in zip(axes_, stats):
        v = np.ravel(s.values)
        limits = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "softmax": (0.0, 1.0)}.get(
            s.activation, (float(min(v.min(), 0.0)), float(max(v.max(), 1.0)))
        )
        weights = np.full(v.size, 1.0 / max(v.size, 1))
        ax.hist(np.clip(v, *limits), bins=25, range=limits, weights=weights, color=color, alpha=0.8, label=label)
        ax.set(title=_layer_title(s), xlabel="activation $a$", xlim=limits)
        ax.title.set_fontsize(11)
    axes_[0].set_ylabel("fraction of values")
    if label:
        axes_[0].legend(fontsize=10)
    return axes_


def plot_run(run: Run, axes: Sequence[Axes] | None = None, title: str | None = None) -> list[Axes]:
    """The four panels of a :class:`~nnlib.diagnostics.Run`: loss, accuracy, update ratios, hidden activations.

    On a new 2 x 2 figure, or on the four ``axes`` given (such as one row of a larger figure).

    The loss panel marks the loss before training and ``ln(n_classes)``, the loss of a
    network that guesses every class equally; the accuracy panel marks chance,
    ``1 / n_classes``. The last panel overlays the first hidden layer's activations
    before (outline) and after training (filled), with the fraction of dead units (ReLU)
    or of saturated values (sigmoid, tanh) before and after.
    """
    _check(run, Run, "plot_run", "a nnlib.diagnostics.Run (from buggy_run)")
    axes_ = _subplots(2, 2, figsize=(9.6, 6.6))[1] if axes is None else _axes_for(axes, 4, "plot_run", (13.0, 3.3))
    h = run.history
    epochs = np.asarray(h.epoch)
    ax = axes_[0]
    ax.plot(np.r_[0, epochs], np.r_[run.initial_loss, h.loss], "o-", color=BLUE, markersize=4, label="training")
    ax.plot(epochs, h.val_loss, "s--", color=ORANGE, markersize=4, label="validation")
    ax.axhline(math.log(run.n_classes), color=BLACK, linestyle=":", linewidth=1.2, label=f"ln {run.n_classes}")
    ax.set(title="Loss per epoch", xlabel="epoch (0: before training)", ylabel="loss")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=10)
    ax = axes_[1]
    ax.plot(epochs, h.accuracy, "o-", color=BLUE, markersize=4, label="training")
    ax.plot(epochs, h.val_accuracy, "s--", color=ORANGE, markersize=4, label="validation")
    ax.axhline(1 / run.n_classes, color=BLACK, linestyle=":", linewidth=1.2, label="chance")
    ax.set(title="Accuracy per epoch", xlabel="epoch", ylabel="accuracy", ylim=(-0.02, 1.02))
    ax.legend(fontsize=10)
    for a in axes_[:2]:
        a.xaxis.set_major_locator(MaxNLocator(integer=True))
    plot_norms(run.norms, "update_ratios", ax=axes_[2])
    before, after = run.stats_before[0], run.stats_after[0]
    ax = axes_[3]
    v0, v1 = np.ravel(before.values), np.ravel(after.values)
    hi = 1.0 if before.activation in ("sigmoid", "softmax") else float(max(v0.max(), v1.max(), 1.0))
    lo = -1.0 if before.activation == "tanh" else 0.0
    for v, kw in ((v0, {"histtype": "step", "color": BLACK, "linewidth": 1.4}), (v1, {"color": PURPLE, "alpha": 0.7})):
        ax.hist(np.clip(v, lo, hi), bins=25, range=(lo, hi), weights=np.full(v.size, 1 / max(v.size, 1)), **kw)
    ax.set(
        title=f"Hidden activations ({before.activation})",
        xlabel=(
            f"$a$ (dead units: {before.dead:.0%}, then {after.dead:.0%})"
            if before.activation == "relu"
            else f"$a$ (saturated: {before.saturated:.0%}, then {after.saturated:.0%})"
        ),
        ylabel="fraction of values",
        xlim=(lo, hi),
    )
    ax.legend(["before training", "after training"], fontsize=10)
    if title:
        axes_[0].figure.suptitle(title)
    return axes_

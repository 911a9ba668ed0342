"""Line charts: learning curves per epoch, and an activation function with its derivative.

Every function in :mod:`nnlib.plot` draws on ``ax`` if given, else on a new figure,
and returns what you need to change the plot later (the Axes, or an ``AxesImage``
for ``set_data``). Colours come from :mod:`nnlib.plot.style`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from ..activations import Activation, get_activation
from .style import BLUE, ORANGE, VERMILLION, _axes_for


# --- training curves -------------------------------------------------------------
def plot_history(
    history, ax: Axes | Sequence[Axes] | None = None, metrics: str | Sequence[str] = ("loss", "accuracy")
) -> list[Axes]:
    """Loss and accuracy per epoch, for training and (if recorded) validation data.

    ``history`` is a :class:`~nnlib.callbacks.History` or a dict of lists ``loss``,
    ``accuracy`` and optionally ``val_loss``, ``val_accuracy``, ``epoch``. Draws one
    panel per metric (on ``ax``: one Axes per metric) and returns the Axes.
    """
    data = history.as_dict() if hasattr(history, "as_dict") else dict(history)
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    for m in metrics:
        if m not in data:
            raise ValueError(f"plot_history: no metric {m!r} in the history; it has {sorted(data)}")
    axes = _axes_for(ax, len(metrics), "plot_history", (4.6 * len(metrics), 3.6))
    n = max(len(data[m]) for m in metrics)
    epochs = np.asarray(data["epoch"] if len(data.get("epoch", ())) else np.arange(1, n + 1))
    for ax, m in zip(axes, metrics):
        for key, label, color, style_ in ((m, "training", BLUE, "o-"), (f"val_{m}", "validation", ORANGE, "s--")):
            values = np.asarray(data.get(key, ()), dtype=float)
            if values.size and not np.isnan(values).all():  # accuracy is NaN for regression
                ax.plot(
                    epochs[: values.size],
                    values,
                    style_,
                    color=color,
                    label=label,
                    markevery=max(1, values.size // 15),
                    markersize=5,
                )
        if ax.lines:
            ax.legend()
        else:
            ax.text(0.5, 0.5, f"no {m} recorded", transform=ax.transAxes, ha="center", va="center")
        ax.set(title=f"{m.replace('_', ' ').capitalize()} per epoch", xlabel="epoch", ylabel=m.replace("_", " "))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return axes


# --- activation functions ---------------------------------------------------------
def plot_activation(
    fn: str | Activation | Callable,
    prime: Callable | None = None,
    ax: Axes | Sequence[Axes] | None = None,
    zlim: tuple[float, float] = (-6.0, 6.0),
    name: str | None = None,
) -> list[Axes]:
    """An activation ``sigma(z)`` and its derivative ``sigma'(z)`` side by side; returns the Axes.

    ``fn`` is a name from :data:`nnlib.activations.ACTIVATIONS` or an
    :class:`~nnlib.activations.Activation` (its derivative is then known), or
    any elementwise function, with its derivative as ``prime`` (optional).
    """
    if isinstance(fn, (str, Activation)):
        act = get_activation(fn)
        if act.name == "softmax":
            raise ValueError(
                "plot_activation: softmax is not elementwise (it needs a whole row z), "
                "so it has no curve sigma(z); choose an elementwise activation"
            )
        fn, prime, name = act.f, prime or act.prime, name or act.name
    elif not callable(fn):
        raise TypeError(f"plot_activation expected an activation name or a function, got {type(fn).__name__}")
    name = name or getattr(fn, "__name__", "activation")
    panels = [(fn, f"{name}: $\\sigma(z)$", r"$\sigma(z)$", BLUE)]
    if prime is not None:
        panels.append((prime, "its derivative $\\sigma'(z)$", r"$\sigma'(z)$", VERMILLION))
    axes = _axes_for(ax, len(panels), "plot_activation", (4.4 * len(panels), 3.3))
    z = np.linspace(*zlim, 601)
    for ax, (f, title, ylabel, color) in zip(axes, panels):
        ax.axhline(0, color="#999999", lw=0.8)
        ax.axvline(0, color="#999999", lw=0.8)
        ax.plot(z, np.broadcast_to(f(z), z.shape), color=color)
        ax.set(title=title, xlabel="$z$", ylabel=ylabel, xlim=zlim)
    return axes

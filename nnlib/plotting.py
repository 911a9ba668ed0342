"""Plots every chapter uses, in one shared style: call :func:`use_style` once per chapter.

Every function draws on ``ax`` if given, else on a new figure, and returns what you
need to change the plot later (the Axes, or an ``AxesImage`` for ``set_data``).
Colours are the colour-blind-safe Okabe-Ito palette: *orange* is class 0 or a low
output, *blue* class 1, a high output or a positive weight, vermillion a negative
weight; classes also differ in marker shape. Network diagrams come from
:mod:`nnlib.plot_network`.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Callable, Iterator, Sequence

import matplotlib.style
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, Normalize, to_rgb
from matplotlib.image import AxesImage
from matplotlib.ticker import MaxNLocator

from .activations import Activation, get_activation
from .plot_network import NEGATIVE, POSITIVE
from .plot_network import NetworkArtists, draw_network, update_network_weights  # noqa: F401 (re-exported)

STYLE_PATH = Path(__file__).with_name("nnlib.mplstyle")

# Okabe & Ito (2008), in the order of the style's colour cycle; yellow F0E442 is unreadable on white.
BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, BLACK = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
PALETTE = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, BLACK)
CLASS_COLORS = (ORANGE, BLUE, GREEN, VERMILLION, PURPLE, SKY_BLUE, BLACK)
CLASS_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
#: Signed quantities such as weights: vermillion < 0 < blue, white at zero.
DIVERGING = LinearSegmentedColormap.from_list("nnlib_diverging", [NEGATIVE, "#FFFFFF", POSITIVE])
#: Background of decision maps: light orange (class 0), white at the threshold, light blue (class 1).
DECISION_CMAP = LinearSegmentedColormap.from_list("nnlib_decision", ["#F2C56B", "#FFFFFF", "#6FA8D3"])


def use_style() -> None:
    """Use the book's style (``nnlib/nnlib.mplstyle``) from now on; same as ``plt.style.use("nnlib.nnlib")``."""
    matplotlib.style.use(STYLE_PATH)


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


# --- training curves -------------------------------------------------------------
def plot_history(history, ax: Axes | Sequence[Axes] | None = None,
                 metrics: str | Sequence[str] = ("loss", "accuracy")) -> list[Axes]:
    """Loss and accuracy per epoch, for training and (if recorded) validation data.

    ``history`` is a :class:`~nnlib.training.History` or a dict of lists ``loss``,
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
            if values.size and not np.isnan(values).all():   # accuracy is NaN for regression
                ax.plot(epochs[:values.size], values, style_, color=color, label=label,
                        markevery=max(1, values.size // 15), markersize=5)
        if ax.lines:
            ax.legend()
        else:
            ax.text(0.5, 0.5, f"no {m} recorded", transform=ax.transAxes, ha="center", va="center")
        ax.set(title=f"{m.replace('_', ' ').capitalize()} per epoch", xlabel="epoch", ylabel=m.replace("_", " "))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return axes


# --- decision maps ---------------------------------------------------------------
def _as_predict(model) -> tuple[Callable[[np.ndarray], np.ndarray], str | None]:
    """A function X -> outputs, and the output activation's name if the model is a Network."""
    if hasattr(model, "predict"):
        layers = getattr(model, "layers", None)
        return model.predict, (layers[-1].activation.name if layers else None)
    if callable(model):
        return model, None
    raise TypeError(f"expected a Network (with .predict) or a function X -> outputs, got {type(model).__name__}")


def decision_grid(predict, xlim: tuple[float, float], ylim: tuple[float, float],
                  resolution: int | tuple[int, int] = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate a 2-input model on a regular grid; plain numpy, no plotting.

    ``predict`` is a Network or ``f(X)`` for ``X`` of shape ``(n_points, 2)``
    returning ``(n_points,)``, ``(n_points, 1)`` or ``(n_points, k)`` outputs.
    ``xlim``/``ylim`` are the first and last grid coordinates, ``resolution`` the
    number of points along each axis (or ``(nx, ny)``).

    Returns
    -------
    xx, yy : arrays of shape (ny, nx), as from ``np.meshgrid``
    values : array of shape (ny, nx), or (ny, nx, k) for k outputs
    """
    fn = _as_predict(predict)[0]
    nx, ny = (resolution, resolution) if np.isscalar(resolution) else resolution
    if int(nx) < 2 or int(ny) < 2:
        raise ValueError(f"decision_grid: resolution needs at least 2 points per axis, got {resolution!r}")
    xx, yy = np.meshgrid(np.linspace(*xlim, int(nx)), np.linspace(*ylim, int(ny)))
    out = np.asarray(fn(np.column_stack([xx.ravel(), yy.ravel()])), dtype=float)   # (ny * nx, k)
    if out.shape[0] != xx.size or out.ndim > 2:
        raise ValueError(f"decision_grid: predict returned shape {out.shape} for {xx.size} points; "
                         f"expected ({xx.size},), ({xx.size}, 1) or ({xx.size}, k)")
    k = 1 if out.ndim == 1 else out.shape[1]
    return xx, yy, out.reshape(xx.shape if k == 1 else (*xx.shape, k))


def _map_image(values: np.ndarray) -> np.ndarray:
    """One output stays scalar (coloured by a colormap); k outputs become RGB: the winning
    class's colour, mixed with white by the winner's lead over the runner-up (white on boundaries)."""
    if values.ndim == 2:
        return values
    colors = np.array([to_rgb(CLASS_COLORS[c % len(CLASS_COLORS)]) for c in range(values.shape[-1])])
    top_two = np.sort(values, axis=-1)[..., -2:]
    lead = np.clip(top_two[..., 1] - top_two[..., 0], 0.0, 1.0)[..., None]   # (ny, nx, 1)
    return 1.0 - 0.55 * lead * (1.0 - colors[values.argmax(axis=-1)])        # (ny, nx, 3)


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


def _scatter(ax: Axes, X: np.ndarray, y, norm, test: bool) -> None:
    """Data points: class colour and marker shape; test points hollow; regression: colour = target."""
    labels = _class_labels(y, X.shape[0], "plot_decision_boundary", strict=False)
    kw = dict(s=34, linewidths=1.6 if test else 0.6, zorder=3)
    if labels is None:
        ax.scatter(*X.T, c=np.ravel(y), cmap="cividis", norm=norm, marker="^" if test else "o",
                   edgecolors="#222222", label=f"{'test ' if test else ''}data (colour = target)", **kw)
        return
    for c in np.unique(labels):
        color = CLASS_COLORS[c % len(CLASS_COLORS)]
        ax.scatter(*X[labels == c].T, marker=CLASS_MARKERS[c % len(CLASS_MARKERS)],
                   facecolors="white" if test else color, edgecolors=color if test else "#222222",
                   label=f"class {c}{' (test)' if test else ''}", **kw)


def plot_decision_boundary(predict, X, y, ax: Axes | None = None, resolution: int = 200, X_test=None,
                           y_test=None, title: str | None = None, padding: float = 0.1,
                           colorbar: bool = True) -> AxesImage:
    """The decision map of a 2-input model, with the data on top.

    One output (sigmoid, tanh, step) is shown on an orange-white-blue map,
    white at the threshold; ``k`` outputs by the colour of the winning class,
    paler where it barely wins; a regression output (identity, ReLU) on a
    continuous map.

    Parameters
    ----------
    predict : Network or callable ``f(X) -> outputs``
    X, y : arrays of shape (n_samples, 2) and (n_samples,) or (n_samples, k)
        Points and their class labels (0/1, -1/+1, integers, one-hot) or targets.
    X_test, y_test : arrays, optional
        Test points, drawn hollow.
    resolution, padding : int, float
        Grid points per axis; margin around the data as a fraction of its range.

    Returns
    -------
    AxesImage
        Give it to :func:`update_decision_map` for a fast redraw during training.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary expected X of shape (n_samples, 2), got {X.shape}")
    if (X_test is None) != (y_test is None):
        raise ValueError("plot_decision_boundary needs both X_test and y_test, or neither")
    pts = X if X_test is None else np.vstack([X, np.asarray(X_test, dtype=float)])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = padding * (hi - lo) + 1e-6
    xx, yy, values = decision_grid(predict, (lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1]),
                                   resolution)
    dx, dy = xx[0, 1] - xx[0, 0], yy[1, 0] - yy[0, 0]
    # pixel centres on the grid points: the image reaches half a pixel beyond them
    extent = (xx[0, 0] - dx / 2, xx[0, -1] + dx / 2, yy[0, 0] - dy / 2, yy[-1, 0] + dy / 2)
    ax = ax or _subplots(figsize=(5.8 if colorbar else 5.0, 4.4))[1][0]
    activation, cmap, norm = _as_predict(predict)[1], None, None
    if values.ndim == 2:
        vmin, vmax = values.min(), values.max()
        if activation in ("sigmoid", "step") or (activation is None and vmin >= 0 and vmax <= 1):
            cmap, norm = DECISION_CMAP, Normalize(0.0, 1.0)
        elif activation == "tanh" or (activation is None and vmin >= -1 and vmax <= 1):
            cmap, norm = DECISION_CMAP, Normalize(-1.0, 1.0)
        else:                                               # regression output
            cmap, norm = "cividis", Normalize(vmin, max(vmax, vmin + 1e-9))
    image = ax.imshow(_map_image(values), origin="lower", extent=extent, cmap=cmap, norm=norm,
                      interpolation="bilinear", aspect="auto", alpha=0.7 if cmap == "cividis" else None)
    _scatter(ax, X, y, norm, test=False)
    if X_test is not None:
        _scatter(ax, np.asarray(X_test, dtype=float), y_test, norm, test=True)
    if colorbar and cmap is not None:
        ax.figure.colorbar(image, ax=ax, label="network output", shrink=0.9)
    ax.set(xlim=extent[:2], ylim=extent[2:], xlabel="$x_1$", ylabel="$x_2$",
           title=title or ("Network output" if cmap == "cividis" else "Decision map of the network"))
    ax.grid(False)
    ax.legend(loc="best", fontsize=9, framealpha=0.85)
    return image


def update_decision_map(image: AxesImage, predict) -> np.ndarray:
    """Re-evaluate ``predict`` on the grid of an image from :func:`plot_decision_boundary`.

    Replaces the pixels in place (same colours and scale) and returns the new
    values; then call ``image.figure.canvas.draw_idle()``.
    """
    shape = image.get_array().shape
    left, right, bottom, top = image.get_extent()
    dx, dy = (right - left) / shape[1], (top - bottom) / shape[0]   # pixel centres are the grid points
    values = decision_grid(predict, (left + dx / 2, right - dx / 2), (bottom + dy / 2, top - dy / 2),
                           (shape[1], shape[0]))[2]
    if (values.ndim == 3) != (len(shape) == 3):
        raise ValueError(f"update_decision_map: the image was drawn for {'k' if len(shape) == 3 else '1'} "
                         f"output(s), but predict now gives {values.shape[2] if values.ndim == 3 else 1}")
    image.set_data(_map_image(values))
    return values


# --- helpers the chapters need ------------------------------------------------------
def plot_activation(fn: str | Activation | Callable, prime: Callable | None = None,
                    ax: Axes | Sequence[Axes] | None = None, zlim: tuple[float, float] = (-6.0, 6.0),
                    name: str | None = None) -> list[Axes]:
    """An activation ``sigma(z)`` and its derivative ``sigma'(z)`` side by side; returns the Axes.

    ``fn`` is a name from :data:`nnlib.activations.ACTIVATIONS` or an
    :class:`~nnlib.activations.Activation` (its derivative is then known), or
    any elementwise function, with its derivative as ``prime`` (optional).
    """
    if isinstance(fn, (str, Activation)):
        act = get_activation(fn)
        if act.name == "softmax":
            raise ValueError("plot_activation: softmax is not elementwise (it needs a whole row z), "
                             "so it has no curve sigma(z); choose an elementwise activation")
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


def _as_images(images, who: str) -> np.ndarray:
    """Square images (n, side, side) from rows of side**2 pixels (or one row), or a stack (n, h, w)."""
    a = np.asarray(images, dtype=float)
    side = int(round(np.sqrt(a.shape[-1]))) if a.ndim in (1, 2) else 0
    if a.ndim in (1, 2) and side * side == a.shape[-1] > 0:
        a = a.reshape(-1, side, side)                        # (n, 784) -> (n, 28, 28)
    if a.ndim != 3:
        raise ValueError(f"{who} expected images of shape (n, 784), (n, 28, 28) or (784,), got {np.shape(images)}"
                         f" (rows must hold a square number of pixels; one h x w image: pass image[None])")
    return a


def _show_mosaic(imgs: np.ndarray, ax: Axes | None, ncols: int, captions: list, colorbar: bool,
                 **imshow_kw) -> AxesImage:
    """Tile (n, h, w) images into one picture (one imshow is far faster than n Axes), captions below."""
    n, h, w = imgs.shape
    ncols = max(1, min(ncols, n))
    gap, text = 3, 9 if captions else 0                      # pixels between tiles, and for a caption
    H, W = h + gap + text, w + gap
    mosaic = np.full((-(-n // ncols) * H, ncols * W - gap), np.nan)   # NaN gaps show the white background
    for i, img in enumerate(imgs):
        r, c = divmod(i, ncols)
        mosaic[r * H:r * H + h, c * W:c * W + w] = img
    inch = 0.75 / w                                          # a 28-pixel digit is 0.75 inch wide
    ax = ax or _subplots(figsize=(max(2.5, mosaic.shape[1] * inch + 0.3 + 1.1 * colorbar),
                                  mosaic.shape[0] * inch + 0.55))[1][0]
    image = ax.imshow(mosaic, interpolation="nearest", **imshow_kw)
    for i, caption in enumerate(captions):
        r, c = divmod(i, ncols)
        text_, color, weight = caption if isinstance(caption, tuple) else (caption, "#222222", "normal")
        ax.text(c * W + (w - 1) / 2, r * H + h + 0.5, text_, ha="center", va="top", fontsize=9,
                color=color, fontweight=weight)
    ax.set_axis_off()
    return image


def show_digits(images, labels=None, predictions=None, ncols: int = 10, ax: Axes | None = None,
                title: str | None = None) -> AxesImage:
    """A gallery of digits (rows of 784 pixels) with their labels and/or predictions.

    A wrong prediction is written in vermillion with the true label, e.g.
    ``3 (true 5)``, so it stands out without colour too. Labels and predictions
    may be integers or one-hot / output rows. Returns the mosaic's ``AxesImage``.
    """
    imgs = _as_images(images, "show_digits")
    n = imgs.shape[0]
    labels = None if labels is None else _class_labels(labels, n, "show_digits")
    preds = None if predictions is None else _class_labels(predictions, n, "show_digits")
    shown = preds if preds is not None else labels
    captions = [] if shown is None else [str(v) for v in shown]
    wrong = np.flatnonzero(preds != labels) if preds is not None and labels is not None else []
    for i in wrong:
        captions[i] = (f"{preds[i]} (true {labels[i]})", VERMILLION, "bold")
    image = _show_mosaic(imgs, ax, ncols, captions, False, cmap="gray_r",
                         vmin=min(0.0, imgs.min()), vmax=max(1.0, imgs.max()))
    if preds is None:
        default = "Digits" if labels is None else "Digits and their labels"
    else:
        default = "Predictions" if labels is None else f"Predictions: {len(wrong)} of {n} wrong, true label in brackets"
    image.axes.set_title(title or default)
    return image


def plot_weight_images(W, ax: Axes | None = None, ncols: int = 10, title: str | None = None) -> AxesImage:
    """First-layer weights as images: column ``j`` of ``W`` (784 x k) is what neuron ``j`` looks for.

    ``W`` may be a Network (its first layer is used). Blue pixels raise the
    neuron's weighted input, vermillion ones lower it; the scale is symmetric
    around 0. Returns the mosaic's ``AxesImage``.
    """
    W = np.asarray(W.weights[0] if hasattr(W, "weights") else W, dtype=float)
    if W.ndim != 2:
        raise ValueError(f"plot_weight_images expected W of shape (n_inputs, n_neurons), got {W.shape}")
    imgs = _as_images(W.T, "plot_weight_images")     # one image per neuron = column of W
    limit = float(np.abs(W).max()) or 1.0
    image = _show_mosaic(imgs, ax, ncols, [f"neuron {j}" for j in range(len(imgs))], True,
                         cmap=DIVERGING, vmin=-limit, vmax=limit)
    image.figure.colorbar(image, ax=image.axes, label="weight", shrink=0.8)
    image.axes.set_title(title or "First-layer weights, one image per neuron")
    return image


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """Counts ``C[i, j]`` of examples of true class ``i`` predicted as ``j`` (labels or one-hot rows)."""
    t, p = (_class_labels(y, len(y_true), "confusion_matrix") for y in (y_true, y_pred))
    k = n_classes or int(max(t.max(), p.max())) + 1
    if max(t.max(), p.max()) >= k:
        raise ValueError(f"confusion_matrix: n_classes={k}, but the labels go up to {max(t.max(), p.max())}")
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (t, p), 1)
    return C


def plot_confusion_matrix(y_true, y_pred, ax: Axes | None = None, n_classes: int | None = None,
                          normalize: bool = False, title: str | None = None) -> AxesImage:
    """Which classes are mistaken for which: rows are true classes, columns predictions.

    ``normalize=True`` shows each row as fractions (each class's recall on the
    diagonal). Returns the ``AxesImage``; :func:`confusion_matrix` gives the counts.
    """
    C = confusion_matrix(y_true, y_pred, n_classes)
    k = C.shape[0]
    shown = C / np.maximum(C.sum(axis=1, keepdims=True), 1) if normalize else C
    ax = ax or _subplots(figsize=(1.8 + 0.48 * max(k, 4), 1.2 + 0.45 * max(k, 4)))[1][0]
    image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=1 if normalize else max(C.max(), 1))
    for (i, j), v in np.ndenumerate(shown):
        ax.text(j, i, f"{v:.2f}" if normalize and v else f"{v:g}", ha="center", va="center",
                fontsize=9 if k <= 10 else 7, color="white" if v > 0.55 * image.norm.vmax else "#222222")
    ax.figure.colorbar(image, ax=ax, label="fraction of the row" if normalize else "examples", shrink=0.85)
    ax.set(xticks=range(k), yticks=range(k), xlabel="predicted class", ylabel="true class",
           title=title or f"Confusion matrix (accuracy {np.trace(C) / max(C.sum(), 1):.1%})")
    ax.grid(False)
    return image


"""Figures of images for the MNIST chapters: digit galleries, first-layer weights as
images, and the confusion matrix.

Same conventions as every :mod:`nnlib.plot` function (draw on ``ax`` if given,
return the ``AxesImage``), same colours (:mod:`nnlib.plot.style`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.image import AxesImage

from .style import DIVERGING, VERMILLION, _class_labels, _subplots


def _as_images(images, who: str) -> np.ndarray:
    """Square images (n, side, side) from rows of side**2 pixels (or one row), or a stack (n, h, w)."""
    a = np.asarray(images, dtype=float)
    side = int(round(np.sqrt(a.shape[-1]))) if a.ndim in (1, 2) else 0
    if a.ndim in (1, 2) and side * side == a.shape[-1] > 0:
        a = a.reshape(-1, side, side)  # (n, 784) -> (n, 28, 28)
    if a.ndim != 3:
        raise ValueError(
            f"{who} expected images of shape (n, 784), (n, 28, 28) or (784,), got {np.shape(images)}"
            f" (rows must hold a square number of pixels; one h x w image: pass image[None])"
        )
    return a


def _show_mosaic(
    imgs: np.ndarray, ax: Axes | None, ncols: int, captions: list, colorbar: bool, **imshow_kw
) -> AxesImage:
    """Tile (n, h, w) images into one picture (one imshow is far faster than n Axes), captions below."""
    n, h, w = imgs.shape
    ncols = max(1, min(ncols, n))
    gap, text = 3, 9 if captions else 0  # pixels between tiles, and for a caption
    H, W = h + gap + text, w + gap
    mosaic = np.full((-(-n // ncols) * H, ncols * W - gap), np.nan)  # NaN gaps show the white background
    for i, img in enumerate(imgs):
        r, c = divmod(i, ncols)
        mosaic[r * H : r * H + h, c * W : c * W + w] = img
    inch = 0.75 / w  # a 28-pixel digit is 0.75 inch wide
    ax = (
        ax
        or _subplots(figsize=(max(2.5, mosaic.shape[1] * inch + 0.3 + 1.1 * colorbar), mosaic.shape[0] * inch + 0.55))[
            1
        ][0]
    )
    image = ax.imshow(mosaic, interpolation="nearest", **imshow_kw)
    for i, caption in enumerate(captions):
        r, c = divmod(i, ncols)
        text_, color, weight = caption if isinstance(caption, tuple) else (caption, "#222222", "normal")
        ax.text(
            c * W + (w - 1) / 2,
            r * H + h + 0.5,
            text_,
            ha="center",
            va="top",
            fontsize=10,
            color=color,
            fontweight=weight,
        )
    ax.set_axis_off()
    return image


def show_digits(
    images, labels=None, predictions=None, ncols: int = 10, ax: Axes | None = None, title: str | None = None
) -> AxesImage:
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
    wrong = np.flatnonzero(preds != labels) if preds is not None and labels is not None else np.array([], int)
    for i in wrong:
        captions[i] = (f"{preds[i]} (true {labels[i]})", VERMILLION, "bold")
    image = _show_mosaic(
        imgs, ax, ncols, captions, False, cmap="gray_r", vmin=min(0.0, imgs.min()), vmax=max(1.0, imgs.max())
    )
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
    imgs = _as_images(W.T, "plot_weight_images")  # one image per neuron = column of W
    limit = float(np.abs(W).max()) or 1.0
    image = _show_mosaic(
        imgs, ax, ncols, [f"neuron {j}" for j in range(len(imgs))], True, cmap=DIVERGING, vmin=-limit, vmax=limit
    )
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


def plot_confusion_matrix(
    y_true,
    y_pred,
    ax: Axes | None = None,
    n_classes: int | None = None,
    normalize: bool = False,
    title: str | None = None,
) -> AxesImage:
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
        ax.text(
            j,
            i,
            f"{v:.2f}" if normalize and v else f"{v:g}",
            ha="center",
            va="center",
            fontsize=9 if k <= 10 else 7,
            color="white" if v > 0.55 * image.norm.vmax else "#222222",
        )
    ax.figure.colorbar(image, ax=ax, label="fraction of the row" if normalize else "examples", shrink=0.85)
    ax.set(
        xticks=range(k),
        yticks=range(k),
        xlabel="predicted class",
        ylabel="true class",
        title=title or f"Confusion matrix (accuracy {np.trace(C) / max(C.sum(), 1):.1%})",
    )
    ax.grid(False)
    return image

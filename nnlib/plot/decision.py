"""Decision maps: a classifier's output over the plane, with the data on top.

Colours are the colour-blind-safe Okabe-Ito palette: *orange* is class 0 or a low
output, *blue* class 1 or a high output; classes also differ in marker shape.
:func:`plot_decision_boundary` draws the map and returns its ``AxesImage``;
:func:`update_decision_map` recomputes it in place while a network trains.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, Normalize, to_rgb
from matplotlib.image import AxesImage

from .style import CLASS_COLORS, CLASS_MARKERS, DECISION_CMAP, _class_labels, _subplots


# --- decision maps ---------------------------------------------------------------
def _as_predict(model) -> tuple[Callable[[np.ndarray], np.ndarray], str | None]:
    """A function X -> outputs, and the output activation's name if the model is a Network."""
    if hasattr(model, "predict"):
        layers = getattr(model, "layers", None)
        return model.predict, (layers[-1].activation.name if layers else None)
    if callable(model):
        return model, None
    raise TypeError(f"expected a Network (with .predict) or a function X -> outputs, got {type(model).__name__}")


def decision_grid(
    predict, xlim: tuple[float, float], ylim: tuple[float, float], resolution: int | tuple[int, int] = 200
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    out = np.asarray(fn(np.column_stack([xx.ravel(), yy.ravel()])), dtype=float)  # (ny * nx, k)
    if out.shape[0] != xx.size or out.ndim > 2:
        raise ValueError(
            f"decision_grid: predict returned shape {out.shape} for {xx.size} points; "
            f"expected ({xx.size},), ({xx.size}, 1) or ({xx.size}, k)"
        )
    k = 1 if out.ndim == 1 else out.shape[1]
    return xx, yy, out.reshape(xx.shape if k == 1 else (*xx.shape, k))


def _map_image(values: np.ndarray) -> np.ndarray:
    """One output stays scalar (coloured by a colormap); k outputs become RGB: the winning
    class's colour, mixed with white by the winner's lead over the runner-up (white on boundaries)."""
    if values.ndim == 2:
        return values
    colors = np.array([to_rgb(CLASS_COLORS[c % len(CLASS_COLORS)]) for c in range(values.shape[-1])])
    top_two = np.sort(values, axis=-1)[..., -2:]
    lead = np.clip(top_two[..., 1] - top_two[..., 0], 0.0, 1.0)[..., None]  # (ny, nx, 1)
    return 1.0 - 0.55 * lead * (1.0 - colors[values.argmax(axis=-1)])  # (ny, nx, 3)


def _scatter(ax: Axes, X: np.ndarray, y, norm, test: bool) -> None:
    """Data points: class colour and marker shape; test points hollow; regression: colour = target."""
    labels = _class_labels(y, X.shape[0], "plot_decision_boundary", strict=False)
    kw = dict(s=34, linewidths=1.6 if test else 0.6, zorder=3)
    if labels is None:
        ax.scatter(
            *X.T,
            c=np.ravel(y),
            cmap="cividis",
            norm=norm,
            marker="^" if test else "o",
            edgecolors="#222222",
            label=f"{'test ' if test else ''}data (colour = target)",
            **kw,
        )
        return
    for c in np.unique(labels):
        color = CLASS_COLORS[c % len(CLASS_COLORS)]
        ax.scatter(
            *X[labels == c].T,
            marker=CLASS_MARKERS[c % len(CLASS_MARKERS)],
            facecolors="white" if test else color,
            edgecolors=color if test else "#222222",
            label=f"class {c}{' (test)' if test else ''}",
            **kw,
        )


def plot_decision_boundary(
    predict,
    X,
    y,
    ax: Axes | None = None,
    resolution: int = 200,
    X_test=None,
    y_test=None,
    title: str | None = None,
    padding: float = 0.1,
    colorbar: bool = True,
) -> AxesImage:
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
    xx, yy, values = decision_grid(
        predict, (lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1]), resolution
    )
    dx, dy = xx[0, 1] - xx[0, 0], yy[1, 0] - yy[0, 0]
    # pixel centres on the grid points: the image reaches half a pixel beyond them
    extent = (xx[0, 0] - dx / 2, xx[0, -1] + dx / 2, yy[0, 0] - dy / 2, yy[-1, 0] + dy / 2)
    ax = ax or _subplots(figsize=(5.8 if colorbar else 5.0, 4.4))[1][0]
    activation = _as_predict(predict)[1]
    cmap: str | Colormap | None = None
    norm: Normalize | None = None
    if values.ndim == 2:
        vmin, vmax = values.min(), values.max()
        if activation in ("sigmoid", "step") or (activation is None and vmin >= 0 and vmax <= 1):
            cmap, norm = DECISION_CMAP, Normalize(0.0, 1.0)
        elif activation == "tanh" or (activation is None and vmin >= -1 and vmax <= 1):
            cmap, norm = DECISION_CMAP, Normalize(-1.0, 1.0)
        else:  # regression output
            cmap, norm = "cividis", Normalize(vmin, max(vmax, vmin + 1e-9))
    image = ax.imshow(
        _map_image(values),
        origin="lower",
        extent=extent,
        cmap=cmap,
        norm=norm,
        interpolation="bilinear",
        aspect="auto",
        alpha=0.7 if cmap == "cividis" else None,
    )
    _scatter(ax, X, y, norm, test=False)
    if X_test is not None:
        _scatter(ax, np.asarray(X_test, dtype=float), y_test, norm, test=True)
    if colorbar and cmap is not None:
        ax.figure.colorbar(image, ax=ax, label="network output", shrink=0.9)
    ax.set(
        xlim=extent[:2],
        ylim=extent[2:],
        xlabel="$x_1$",
        ylabel="$x_2$",
        title=title or ("Network output" if cmap == "cividis" else "Decision map of the network"),
    )
    ax.grid(False)
    ax.legend(loc="best", fontsize=10, framealpha=0.85)
    return image


def update_decision_map(image: AxesImage, predict) -> np.ndarray:
    """Re-evaluate ``predict`` on the grid of an image from :func:`plot_decision_boundary`.

    Replaces the pixels in place (same colours and scale) and returns the new
    values; then call ``image.figure.canvas.draw_idle()``.
    """
    shape = image.get_array().shape
    left, right, bottom, top = image.get_extent()
    dx, dy = (right - left) / shape[1], (top - bottom) / shape[0]  # pixel centres are the grid points
    values = decision_grid(
        predict, (left + dx / 2, right - dx / 2), (bottom + dy / 2, top - dy / 2), (shape[1], shape[0])
    )[2]
    if (values.ndim == 3) != (len(shape) == 3):
        raise ValueError(
            f"update_decision_map: the image was drawn for {'k' if len(shape) == 3 else '1'} "
            f"output(s), but predict now gives {values.shape[2] if values.ndim == 3 else 1}"
        )
    image.set_data(_map_image(values))
    return values

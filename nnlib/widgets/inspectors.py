"""Inspectors: widgets that let a reader look inside one computation of a chapter.

Each is an :class:`anywidget.AnyWidget`. nnlib computes every number the picture needs
when the widget is created and keeps it in the widget's state; the front end (a plain ES
module in ``static/``) only draws and answers its controls. The state is saved with the
notebook, so the picture stays live on the website, where no Python runs:

- :class:`WeightScaleInspector` (forward propagation): histograms of every layer's
  activations for a grid of weight scales ``sigma_w``, front end ``static/weight_scale.js``;
- :class:`BackpropInspector` (backpropagation): one :func:`~nnlib.plot.backprop.trace_backprop`
  on the network diagram, example by example and layer by layer, ``static/backprop_trace.js``;
- :class:`PredictionInspector` (the capstone): test digits and a network's 10 probabilities,
  ``static/predictions.js``.

The controls (the scale, the example, the image, ...) are traits synced both ways, so
``inspector.layer = 2`` in Python moves the drop-down, and a click updates ``inspector.layer``.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import anywidget
import numpy as np
import traitlets

from ..activations import get_activation
from ..initializers import as_rng
from ..network import Network
from ..plot.backprop import BackpropTrace
from .esm import bundle

__all__ = ["BackpropInspector", "PredictionInspector", "WeightScaleInspector", "weight_scale_statistics"]

#: The activations whose outputs have a bounded range, which the histograms span.
RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}
#: An activation is *saturated* within this share of its range from either end: for the
#: sigmoid below 0.02 or above 0.98, where sigma' < 0.02 (8 % of its largest value, as for tanh).
SATURATION_MARGIN = 0.02


def _integer(value, name: str, who: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{who}: {name} must be an integer from {low} to {high}, got {type(value).__name__} {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{who}: {name} must be an integer from {low} to {high}, got {value}")
    return int(value)


def _finite_matrix(X, name: str, who: str) -> np.ndarray:
    A = np.asarray(X)
    if A.dtype.kind not in "biuf":
        raise TypeError(f"{who}: {name} must hold numbers, got dtype {A.dtype}")
    if A.ndim != 2 or 0 in A.shape:
        raise ValueError(f"{who}: {name} must be a 2-D array (n_samples, n_features), got shape {A.shape}")
    if not np.isfinite(A).all():
        raise ValueError(f"{who}: {name} contains NaN or inf")
    return A.astype(float)


# --- forward propagation: the scale of the weights --------------------------------------


def _histograms(A: np.ndarray, lo: float, hi: float, bins: int) -> np.ndarray:
    """``np.histogram(np.clip(A[s], lo, hi), bins, range=(lo, hi))`` counts for every ``s``, in one pass."""
    index = ((np.clip(A, lo, hi) - lo) * (bins / (hi - lo))).astype(np.intp)
    index = np.minimum(index, bins - 1).reshape(len(A), -1) + bins * np.arange(len(A))[:, None]
    return np.bincount(index.ravel(), minlength=bins * len(A)).reshape(len(A), bins)


def weight_scale_statistics(
    X, stds: Sequence[float], activations: Sequence[str], max_layers: int, bins: int = 30, rng=3
) -> dict[str, tuple[list, list, list]]:
    """The layer-by-layer activations of a deep network for each weight scale in ``stds``.

    The network has ``max_layers`` layers of ``n = X.shape[1]`` neurons with biases 0 and
    weights ``sigma_w * U``: ``U`` holds standard Gaussian draws made once from ``rng``
    (with ``Network(..., init="scaled_gaussian", rng=rng)``, rescaled), the same for every
    ``sigma_w`` and every activation, so only the scale changes. Layers are drawn in order,
    so the first ``k`` layers are those of a ``k``-layer network with the same seed.

    Returns, for each activation, ``(counts, saturated, spread)``, each indexed
    ``[std][layer]``: the histogram of the layer's activations on ``bins`` equal bins over
    the activation's range (values outside it clipped in, as ``plot_layer_histograms``
    does), the share of saturated activations (within 2 % of the range of either end) and
    the *spread between examples*, ``A.std(axis=0).mean()``: how much a neuron's output
    changes from one example to the next, on average over the layer's neurons.
    """
    n, width = X.shape
    template = Network([width] * (max_layers + 1), init="scaled_gaussian", rng=rng)
    units = [layer.W * np.sqrt(layer.n_in) for layer in template.layers]  # N(0, 1): std 1 before scaling
    scales = np.asarray(stds, dtype=float)[:, None, None]  # one batch per sigma_w, side by side
    result: dict[str, tuple[list, list, list]] = {}
    for name in activations:
        lo, hi = RANGES[name]
        f, margin = get_activation(name), SATURATION_MARGIN * (hi - lo)
        per_layer = []
        A = np.broadcast_to(X, (len(scales), n, width))  # A^0 = X for every sigma_w
        for U in units:
            # A^l = sigma(A^{l-1} W^l + b^l) with W^l = sigma_w U^l and b^l = 0, for every sigma_w at
            # once: one large product instead of one small one per sigma_w (far faster on 2 threads)
            A = f(scales * (A.reshape(-1, width) @ U).reshape(A.shape))
            saturated = np.mean((A < lo + margin) | (A > hi - margin), axis=(1, 2))
            spread = A.std(axis=1).mean(axis=1)
            per_layer.append((_histograms(A, lo, hi, bins), saturated, spread))
        result[name] = (
            [[c[s].tolist() for c, _, _ in per_layer] for s in range(len(scales))],  # [std][layer][bin]
            [[float(v[s]) for _, v, _ in per_layer] for s in range(len(scales))],  # [std][layer]
            [[float(f"{v[s]:.5g}") for _, _, v in per_layer] for s in range(len(scales))],  # 5 digits: a lighter page
        )
    return result


class WeightScaleInspector(anywidget.AnyWidget):
    """How activations spread or collapse layer by layer as the scale of the initial weights changes.

    Parameters
    ----------
    X : array of shape (n_samples, n)
        The batch fed to the network; every layer has ``n`` neurons.
    std : float
        The first weight scale shown; one of ``stds``.
    layers : int
        Layers shown first, from 1 to ``max_layers``.
    activation : str
        The first activation shown; one of ``activations``.
    stds : sequence of float, optional
        The scales the slider offers, increasing; default ``10 ** [-2, -1.95, ..., 0.5]``.
    activations : sequence of str
        The choices of the activation menu: ``"sigmoid"`` and/or ``"tanh"``.
    max_layers, bins, rng
        Deepest network, bins per histogram, seed of the weights.
    """

    _esm = bundle("weight_scale.js")
    stds = traitlets.List(traitlets.Float()).tag(sync=True)
    activations = traitlets.List(traitlets.Unicode()).tag(sync=True)
    limits = traitlets.Dict().tag(sync=True)  # activation -> [low, high] of its range
    margin = traitlets.Float(SATURATION_MARGIN).tag(sync=True)
    n_examples = traitlets.Int().tag(sync=True)
    width = traitlets.Int().tag(sync=True)
    max_layers = traitlets.Int().tag(sync=True)
    counts = traitlets.Dict().tag(sync=True)  # activation -> [std][layer][bin], values per bin
    saturated = traitlets.Dict().tag(sync=True)  # activation -> [std][layer], share saturated
    spread = traitlets.Dict().tag(sync=True)  # activation -> [std][layer], spread between examples
    std_index = traitlets.Int().tag(sync=True)  # the controls
    layers = traitlets.Int().tag(sync=True)
    activation = traitlets.Unicode().tag(sync=True)

    def __init__(
        self,
        X,
        *,
        std: float = 0.1,
        layers: int = 5,
        activation: str = "sigmoid",
        stds: Sequence[float] | None = None,
        activations: Sequence[str] = ("sigmoid", "tanh"),
        max_layers: int = 8,
        bins: int = 30,
        rng: np.random.Generator | int | None = 3,
    ) -> None:
        who = "WeightScaleInspector"
        X = _finite_matrix(X, "X", who)
        if X.shape[0] < 2 or X.shape[1] > 1000 or X.size > 200_000:
            raise ValueError(
                f"{who}: X must have at least 2 rows, at most 1,000 columns and at most 200,000 values "
                f"(every layer is computed for every scale), got shape {X.shape}"
            )
        max_layers = _integer(max_layers, "max_layers", who, 1, 12)
        layers = _integer(layers, "layers", who, 1, max_layers)
        bins = _integer(bins, "bins", who, 5, 100)
        try:
            grid = np.round(10 ** np.arange(-2, 0.5 + 1e-9, 0.05), 12) if stds is None else np.asarray(stds, float)
        except (TypeError, ValueError):
            raise TypeError(f"{who}: stds must be a sequence of numbers, got {stds!r:.80}") from None
        if grid.ndim != 1 or not 2 <= grid.size <= 201 or not (np.isfinite(grid).all() and (grid > 0).all()):
            raise ValueError(f"{who}: stds must be 2 to 201 positive numbers, got {np.shape(stds)} {stds!r:.80}")
        if np.any(np.diff(grid) <= 0):
            raise ValueError(f"{who}: stds must be increasing, got {grid.tolist()!r:.80}")
        if isinstance(std, bool) or not isinstance(std, (int, float, np.number)):
            raise TypeError(f"{who}: std must be a number, got {type(std).__name__}")
        nearest = int(np.argmin(np.abs(np.log(grid) - np.log(std)))) if std > 0 else 0
        if not np.isclose(grid[nearest], std, rtol=1e-9, atol=0):
            raise ValueError(
                f"{who}: std must be one of stds (the slider's values), got {std}; nearest {grid[nearest]}"
            )
        names = [] if isinstance(activations, str) else list(activations)
        if not names or not all(isinstance(a, str) for a in names) or len(set(names)) != len(names):
            raise ValueError(f"{who}: activations must be a non-empty list of distinct names, got {activations!r}")
        for name in names + [activation]:
            if name not in RANGES:
                raise ValueError(f"{who}: activations must be among {sorted(RANGES)} (bounded ranges), got {name!r}")
        if activation not in names:
            raise ValueError(f"{who}: activation must be one of activations {names}, got {activation!r}")
        rng = as_rng(rng)
        state = weight_scale_statistics(X, grid, names, max_layers, bins, rng=rng)
        super().__init__(
            stds=[float(s) for s in grid],
            activations=names,
            limits={name: list(RANGES[name]) for name in names},
            n_examples=X.shape[0],
            width=X.shape[1],
            max_layers=max_layers,
            counts={name: s[0] for name, s in state.items()},
            saturated={name: s[1] for name, s in state.items()},
            spread={name: s[2] for name, s in state.items()},
            std_index=nearest,
            layers=layers,
            activation=activation,
        )

    @property
    def std(self) -> float:
        """The weight scale the slider shows."""
        return self.stds[self.std_index]

    def __repr__(self) -> str:
        return (
            f"WeightScaleInspector(std={self.std:.3g}, layers={self.layers}, activation={self.activation!r}): "
            f"activation histograms of up to {self.max_layers} layers of {self.width} neurons"
        )


# --- backpropagation: the debugger ----------------------------------------------------------


def _rows(a: np.ndarray) -> list:
    return np.asarray(a, dtype=float).tolist()


class BackpropInspector(anywidget.AnyWidget):
    """One backward pass on the network diagram, for the batch or one example, and one layer's numbers.

    Lines show ``dC/dW`` (the batch) or ``dC_x/dW = outer(a^{l-1}_x, delta^l_x)`` (one
    example): blue positive, vermillion negative, width proportional to the size, each layer
    scaled to its own largest value. Neurons are filled with ``delta`` (for the batch its
    mean, ``dC/db``). Below the diagram, the chosen layer's numbers, as
    :func:`~nnlib.plot.backprop.layer_report` prints them.

    Parameters
    ----------
    trace : BackpropTrace
        What :func:`nnlib.plot.trace_backprop` returned.
    example : int or None
        The example shown first (0-based), or None for the whole batch.
    layer : int, optional
        The layer whose numbers are shown first (1-based, as in the book); default the last.
    """

    _esm = bundle("backprop_trace.js")
    sizes = traitlets.List(traitlets.Int()).tag(sync=True)
    names = traitlets.List(traitlets.Unicode()).tag(sync=True)  # repr of each layer
    cost = traitlets.Float().tag(sync=True)
    inputs = traitlets.List(traitlets.List(traitlets.Float())).tag(sync=True)  # X, (n, n_0)
    targets = traitlets.List(traitlets.List(traitlets.Float())).tag(sync=True)  # Y, (n, n_L)
    trace = traitlets.List(traitlets.Dict()).tag(sync=True)  # per layer: A_in, W, Z, A, delta, dW, db
    views = traitlets.List(traitlets.Dict()).tag(sync=True)  # the batch, then each example: label, edges, neurons
    example = traitlets.Int(-1).tag(sync=True)  # the controls; -1 is the whole batch
    layer = traitlets.Int(1).tag(sync=True)

    MAX_NEURONS, MAX_EXAMPLES = 12, 16

    def __init__(self, trace: BackpropTrace, *, example: int | None = None, layer: int | None = None) -> None:
        who = "BackpropInspector"
        if not isinstance(trace, BackpropTrace):
            raise TypeError(f"{who}: trace must be what nnlib.plot.trace_backprop returns, got {type(trace).__name__}")
        n, L = trace.X.shape[0], len(trace.layers)
        if max(trace.sizes) > self.MAX_NEURONS or n > self.MAX_EXAMPLES:
            raise ValueError(
                f"{who} draws every neuron and prints every number, so it needs at most {self.MAX_NEURONS} "
                f"neurons per layer and {self.MAX_EXAMPLES} examples, got sizes {trace.sizes} and {n} examples"
            )
        if example is not None:
            example = _integer(example, "example", who, 0, n - 1)
        layer = L if layer is None else _integer(layer, "layer", who, 1, L)

        def label(i: int) -> str:
            y = trace.Y[i]
            return f"example {i} (y = {y[0]:g})" if y.size == 1 else f"example {i} (y = {np.round(y, 3).tolist()})"

        views = [
            {"label": f"whole batch of {n}", "edges": [_rows(t.dW) for t in trace.layers],
             "neurons": [_rows(t.db) for t in trace.layers]}
        ] + [
            {"label": label(i), "edges": [_rows(np.outer(t.A_in[i], t.delta[i])) for t in trace.layers],
             "neurons": [_rows(t.delta[i]) for t in trace.layers]}
            for i in range(n)
        ]  # fmt: skip
        super().__init__(
            sizes=list(trace.sizes),
            names=[t.name for t in trace.layers],
            cost=float(trace.cost),
            inputs=_rows(trace.X),
            targets=_rows(trace.Y),
            trace=[
                {key: _rows(getattr(t, key)) for key in ("A_in", "W", "Z", "A", "delta", "dW", "db")} | {"l": t.l}
                for t in trace.layers
            ],
            views=views,
            example=-1 if example is None else example,
            layer=layer,
        )

    def __repr__(self) -> str:
        shown = "the whole batch" if self.example < 0 else f"example {self.example}"
        return f"BackpropInspector(network {self.sizes}, {shown}, layer {self.layer}): a backward pass, drawn"


# --- the capstone: what the network says about each digit ----------------------------------


class PredictionInspector(anywidget.AnyWidget):
    """Test digits, one at a time, with a classifier's probability for each class.

    Parameters
    ----------
    net : Network
        A trained classifier with a softmax output layer and square images as inputs.
    X : array of shape (n_samples, side * side)
        The images, pixel values in [0, 1], one row each.
    y : array of shape (n_samples,)
        The true classes.
    indices : sequence of int
        The rows of ``X`` the widget holds, in the order it shows them (at most 500; each
        image adds about 1 kB to the page).
    position : int
        Which of them is shown first (0-based, into ``indices``).

    The state holds each image's pixels as bytes (base64), its true class, the network's
    predicted class and its probabilities (``net.predict``, unrounded).
    """

    _esm = bundle("predictions.js")
    images = traitlets.Unicode().tag(sync=True)  # base64 of uint8 pixels, image after image, row by row
    side = traitlets.Int().tag(sync=True)
    test_indices = traitlets.List(traitlets.Int()).tag(sync=True)
    labels = traitlets.List(traitlets.Int()).tag(sync=True)
    predicted = traitlets.List(traitlets.Int()).tag(sync=True)
    probabilities = traitlets.List(traitlets.List(traitlets.Float())).tag(sync=True)
    position = traitlets.Int(0).tag(sync=True)  # the control

    MAX_IMAGES = 500

    def __init__(self, net: Network, X, y, indices: Sequence[int], *, position: int = 0) -> None:
        who = "PredictionInspector"
        if not isinstance(net, Network):
            raise TypeError(f"{who}: net must be an nnlib Network, got {type(net).__name__}")
        if net.layers[-1].activation.name != "softmax":
            raise ValueError(f"{who} shows probabilities, so net needs a softmax output layer, got {net!r}")
        X = _finite_matrix(X, "X", who)
        side = int(round(np.sqrt(X.shape[1])))
        if X.shape[1] != net.sizes[0] or side * side != X.shape[1]:
            raise ValueError(
                f"{who}: X must have one square image per row with {net.sizes[0]} pixels (net's inputs), "
                f"got shape {X.shape}"
            )
        if X.min() < 0 or X.max() > 1:
            raise ValueError(f"{who}: X must hold pixel values in [0, 1], got values from {X.min()} to {X.max()}")
        y = np.asarray(y)
        k = net.sizes[-1]
        if y.shape != (X.shape[0],) or y.dtype.kind not in "iu" or y.min() < 0 or y.max() >= k:
            raise ValueError(
                f"{who}: y must hold one class from 0 to {k - 1} per row of X, shape ({X.shape[0]},), "
                f"got {y.dtype} array of shape {y.shape}"
            )
        chosen = np.asarray(indices)
        if chosen.ndim != 1 or not 1 <= chosen.size <= self.MAX_IMAGES or chosen.dtype.kind not in "iu":
            raise ValueError(
                f"{who}: indices must be 1 to {self.MAX_IMAGES} integers (rows of X), got {chosen.dtype} "
                f"array of shape {chosen.shape}"
            )
        if chosen.min() < 0 or chosen.max() >= X.shape[0] or np.unique(chosen).size != chosen.size:
            raise ValueError(f"{who}: indices must be distinct rows of X, from 0 to {X.shape[0] - 1}")
        position = _integer(position, "position", who, 0, chosen.size - 1)
        P = np.asarray(net.predict(X[chosen]), dtype=float)  # (m, k), each row adds up to 1
        pixels = np.clip(np.rint(X[chosen] * 255), 0, 255).astype(np.uint8)
        super().__init__(
            images=base64.b64encode(pixels.tobytes()).decode("ascii"),
            side=side,
            test_indices=[int(i) for i in chosen],
            labels=[int(c) for c in y[chosen]],
            predicted=[int(c) for c in P.argmax(axis=1)],
            probabilities=P.tolist(),
            position=position,
        )

    def __repr__(self) -> str:
        return f"PredictionInspector({len(self.test_indices)} images, showing position {self.position})"

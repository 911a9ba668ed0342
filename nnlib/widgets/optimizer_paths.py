"""The optimiser explorer: SGD, momentum, RMSProp and Adam on a two-parameter cost, live.

The cost is a quadratic valley in the plane of two parameters ``(w, b)``: along the
direction ``(c, s)`` it curves gently (``k1``), across it steeply (``k2``)::

    u = c w + s b,   r = c b - s w,   C(w, b) = (k1 u^2 + k2 r^2) / 2

``"valley"`` lies along the w axis (c = 1, s = 0); ``"tilted"`` is the same valley turned by
about 37 degrees (c = 0.8, s = 0.6), where no single parameter is the slow one. RMSProp and
Adam scale each *parameter*; only the first valley is lined up with the parameters.

:func:`optimizer_path` runs nnlib's own optimisers (:mod:`nnlib.optimizers`) on it; the
front end (``static/optimizer_paths.js``) repeats the same arithmetic in JavaScript, so that
the website, without a kernel, draws the same paths; ``tests/test_widgets_optimizer_paths.py``
runs both and compares them.
"""

from __future__ import annotations

import math

import anywidget
import numpy as np
import traitlets

from ..optimizers import SGD, Adam, RMSProp
from .esm import bundle

__all__ = ["OPTIMIZERS", "SURFACES", "OptimizerExplorer", "optimizer_path", "surface_cost"]

#: The surfaces: curvatures k1 (along) and k2 (across), the direction (c, s), the start, the view.
SURFACES: dict[str, dict] = {
    "valley": {
        "title": "a long valley along w",
        "k": [0.1, 4.0],
        "cs": [1.0, 0.0],
        "start": [-5.0, 1.5],
        "w_range": [-6.0, 6.0],
        "b_range": [-3.0, 3.0],
    },
    "tilted": {
        "title": "the same valley, tilted",
        "k": [0.1, 4.0],
        "cs": [0.8, 0.6],
        "start": [-4.6, -2.2],
        "w_range": [-6.0, 6.0],
        "b_range": [-4.5, 4.5],
    },
}

#: The optimisers: their names in the menu and their default learning rates (for each, the rate that gave the
#: lowest cost after 40 steps on the straight valley among a few tried: SGD 0.1-0.45, momentum 0.01-0.1,
#: RMSProp 0.03-0.3, Adam 0.1-0.5).
OPTIMIZERS: dict[str, dict] = {
    "sgd": {"title": "SGD", "lr": 0.45},
    "momentum": {"title": "momentum (\u03bc = 0.9)", "lr": 0.1},
    "rmsprop": {"title": "RMSProp (\u03c1 = 0.9)", "lr": 0.2},
    "adam": {"title": "Adam (\u03b2\u2081 = 0.9, \u03b2\u2082 = 0.999)", "lr": 0.2},
}

LR_CHOICES = (0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.45, 0.5, 0.7, 1.0)


def _surface(who: str, surface: object) -> dict:
    if not isinstance(surface, str) or surface not in SURFACES:
        raise ValueError(f"{who}: surface must be one of {', '.join(SURFACES)}, got {surface!r}")
    return SURFACES[surface]


def _optimizer_name(who: str, optimizer: object) -> str:
    if not isinstance(optimizer, str) or optimizer not in OPTIMIZERS:
        raise ValueError(f"{who}: optimizer must be one of {', '.join(OPTIMIZERS)}, got {optimizer!r}")
    return optimizer


def _positive(who: str, name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{who}: {name} must be a number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{who}: {name} must be a positive finite number, got {value!r}")
    return float(value)


def _steps(who: str, steps: object, most: int = 1000) -> int:
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or not 1 <= steps <= most:
        raise ValueError(f"{who}: steps must be a whole number from 1 to {most}, got {steps!r}")
    return int(steps)


def surface_gradient(spec: dict, w: float, b: float) -> tuple[float, float]:
    """``(dC/dw, dC/db)`` of the valley ``spec`` at ``(w, b)``, in the order the front end computes it."""
    (k1, k2), (c, s) = spec["k"], spec["cs"]
    u, r = c * w + s * b, c * b - s * w
    du, dr = k1 * u, k2 * r  # dC/du, dC/dr
    return du * c - dr * s, du * s + dr * c


def surface_cost(surface: str, w: float, b: float) -> float:
    """The cost ``C(w, b)`` of the named surface."""
    (k1, k2), (c, s) = (spec := _surface("surface_cost", surface))["k"], spec["cs"]
    u, r = c * w + s * b, c * b - s * w
    return 0.5 * (k1 * u * u + k2 * r * r)


class _Point:
    """Two parameters as an optimiser sees a layer: ``W`` (1, 1) holds w, ``b`` (1,) holds b."""

    def __init__(self, w: float, b: float) -> None:
        self.W, self.b = np.array([[w]]), np.array([b])
        self.dW, self.db = np.zeros((1, 1)), np.zeros(1)


def _make(optimizer: str, lr: float) -> SGD | RMSProp | Adam:
    if optimizer == "sgd":
        return SGD(lr=lr)
    if optimizer == "momentum":
        return SGD(lr=lr, momentum=0.9)
    if optimizer == "rmsprop":
        return RMSProp(lr=lr, rho=0.9, eps=1e-8)
    return Adam(lr=lr, beta1=0.9, beta2=0.999, eps=1e-8)


def optimizer_path(optimizer: str, lr: float, steps: int, surface: str = "valley") -> np.ndarray:
    """``steps`` steps of an nnlib optimiser on a surface, from its start: shape ``(steps + 1, 2)``.

    ``optimizer`` is ``"sgd"``, ``"momentum"`` (``SGD(momentum=0.9)``), ``"rmsprop"``
    (``RMSProp(rho=0.9)``) or ``"adam"`` (``Adam()``'s betas); the rows are ``(w, b)``, the start first.
    """
    who = "optimizer_path"
    optimizer = _optimizer_name(who, optimizer)
    lr = _positive(who, "lr", lr)
    steps = _steps(who, steps, 100_000)
    spec = _surface(who, surface)
    opt = _make(optimizer, lr)
    point = _Point(*spec["start"])
    path = np.empty((steps + 1, 2))
    path[0] = spec["start"]
    for k in range(1, steps + 1):
        point.dW[0, 0], point.db[0] = surface_gradient(spec, float(point.W[0, 0]), float(point.b[0]))
        opt.step([point])
        path[k] = point.W[0, 0], point.b[0]
    return path


class OptimizerExplorer(anywidget.AnyWidget):
    """Pick an optimiser, a learning rate and a surface, and watch the optimiser's path.

    The map shows the cost over ``(w, b)`` with the path of ``steps`` steps of the chosen
    optimiser (:func:`optimizer_path`); below it, the cost step by step for all four, each at
    its default learning rate, and the chosen one at the chosen rate.

    Parameters
    ----------
    optimizer : str
        ``"sgd"``, ``"momentum"``, ``"rmsprop"`` or ``"adam"``.
    lr : float
        The learning rate, one of the slider's (``LR_CHOICES``).
    steps : int
        Steps drawn, 1 to 200 (a slider).
    surface : str
        ``"valley"`` or ``"tilted"`` (:data:`SURFACES`).
    """

    _esm = bundle("optimizer_paths.js")
    optimizer = traitlets.Unicode("sgd").tag(sync=True)
    lr = traitlets.Float(0.45).tag(sync=True)
    steps = traitlets.Int(60).tag(sync=True)
    surface = traitlets.Unicode("valley").tag(sync=True)
    surfaces = traitlets.Dict().tag(sync=True)
    optimizers = traitlets.Dict().tag(sync=True)
    lr_choices = traitlets.List(traitlets.Float(), default_value=list(LR_CHOICES)).tag(sync=True)
    max_steps = traitlets.Int(200).tag(sync=True)

    def __init__(
        self, optimizer: str = "sgd", lr: float | None = None, steps: int = 60, surface: str = "valley"
    ) -> None:
        who = "OptimizerExplorer"
        optimizer = _optimizer_name(who, optimizer)
        lr = OPTIMIZERS[optimizer]["lr"] if lr is None else self._lr(lr)
        _surface(who, surface)
        super().__init__(
            optimizer=optimizer,
            lr=lr,
            steps=_steps(who, steps, 200),
            surface=surface,
            surfaces=SURFACES,
            optimizers=OPTIMIZERS,
        )

    @staticmethod
    def _lr(value: object) -> float:
        lr = _positive("OptimizerExplorer", "lr", value)
        if not any(abs(lr - c) <= 1e-12 for c in LR_CHOICES):
            raise ValueError(f"OptimizerExplorer: lr must be one of {list(LR_CHOICES)}, got {lr:g}")
        return lr

    @traitlets.validate("lr")
    def _check_lr(self, proposal):
        return self._lr(proposal["value"])

    @traitlets.validate("optimizer")
    def _check_optimizer(self, proposal):
        return _optimizer_name("OptimizerExplorer", proposal["value"])

    @traitlets.validate("surface")
    def _check_surface(self, proposal):
        _surface("OptimizerExplorer", proposal["value"])
        return proposal["value"]

    @traitlets.validate("steps")
    def _check_steps(self, proposal):
        return _steps("OptimizerExplorer", proposal["value"], self.max_steps)

    def path(self) -> np.ndarray:
        """The path the front end draws, computed by nnlib in Python."""
        return optimizer_path(self.optimizer, self.lr, self.steps, self.surface)

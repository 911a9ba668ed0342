"""Explorers: one idea of a chapter each, live in Jupyter and on the website.

Each explorer is an anywidget: a small Python class whose traitlets hold the numbers a
reader changes, and a front end, a plain ES module in ``static/`` (``neuron.js``,
``activation.js``, ``loss_surface.js``, sharing ``ui.js`` and ``chart.js``) that computes
and draws everything from those numbers. The widget's state carries the front end
(``_esm``), so the book's website, which has no Python kernel, shows the same live picture
as Jupyter. With a kernel, moving a control also sets the Python attribute
(``explorer.w1``), and setting the attribute moves the control.

- :class:`NeuronExplorer`: ``a = sigma(w . x + b)`` over the input plane, with its line z = 0;
- :class:`ActivationExplorer`: an activation, its tangent at ``z0`` and its derivative;
- :class:`LossSurfaceExplorer`: the quadratic and cross-entropy costs of one sigmoid neuron over
  ``(w, b)``, with the gradient-descent path from a chosen start.

The front ends repeat nnlib's maths in JavaScript: sigmoid as ``0.5 tanh(z / 2) + 0.5``,
the derivatives of :mod:`nnlib.activations`, the costs of :mod:`nnlib.losses`, and NumPy's
pairwise summation for the means. :func:`descent_path` is the Python computation the
loss-surface front end reproduces; ``tests/test_widgets_explorers.py`` runs both.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import anywidget
import numpy as np
import traitlets

from ..activations import get_activation, sigmoid, sigmoid_prime
from ..losses import binary_cross_entropy, quadratic
from .esm import bundle

__all__ = ["ActivationExplorer", "LossSurfaceExplorer", "NeuronExplorer", "descent_path", "mean_cost"]


# --- checking arguments ------------------------------------------------------------------


def _number(who: str, name: str, value: object) -> float:
    """``value`` as a finite float, or a TypeError/ValueError naming ``who`` and ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{who}: {name} must be a number, got {type(value).__name__} {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{who}: {name} must be a finite number, got {number}")
    return number


def _slider_range(who: str, name: str, value: object) -> tuple[float, float, float]:
    """A slider's (min, max, step): min < max, step > 0 and (max - min) a whole number of steps."""
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        raise TypeError(f"{who}: {name} must be a tuple (min, max, step), got {value!r}")
    lo, hi, step = (_number(who, f"{name}[{k}]", v) for k, v in enumerate(value))
    if not (lo < hi and step > 0):
        raise ValueError(f"{who}: {name} must have min < max and step > 0, got {tuple(value)!r}")
    if not _on_grid(hi, lo, step):
        raise ValueError(f"{who}: {name}: max - min must be a whole number of steps, got {tuple(value)!r}")
    return lo, hi, step


def _on_grid(value: float, lo: float, step: float) -> bool:
    k = (value - lo) / step
    return abs(k - round(k)) < 1e-9


def _slider_value(who: str, name: str, value: object, slider: tuple[float, float, float]) -> float:
    """A value its slider can show: in [min, max] and on the slider's steps."""
    number = _number(who, name, value)
    lo, hi, step = slider
    if not (lo - 1e-12 <= number <= hi + 1e-12 and _on_grid(number, lo, step)):
        raise ValueError(
            f"{who}: {name} must be a value of its slider, from {lo:g} to {hi:g} in steps of {step:g}, got {number:g}"
        )
    return number


def _whole(who: str, name: str, value: object, lo: int, hi: int | None) -> int:
    """A whole number in [lo, hi] (no upper bound when ``hi`` is None)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{who}: {name} must be a whole number (int), got {type(value).__name__} {value!r}")
    if value < lo or (hi is not None and value > hi):
        bounds = f"from {lo} to {hi}" if hi is not None else f">= {lo}"
        raise ValueError(f"{who}: {name} must be {bounds}, got {value}")
    return int(value)


def _limits(who: str, name: str, value: object) -> tuple[float, float]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{who}: {name} must be a tuple (low, high), got {value!r}")
    lo, hi = (_number(who, f"{name}[{k}]", v) for k, v in enumerate(value))
    if not lo < hi:
        raise ValueError(f"{who}: {name} must have low < high, got {tuple(value)!r}")
    return lo, hi


# --- the neuron ---------------------------------------------------------------------------------


class NeuronExplorer(anywidget.AnyWidget):
    """One sigmoid neuron with two inputs, ``a = sigma(w1 x1 + w2 x2 + b)``, over the plane.

    The picture shows the output ``a`` at every point ``(x1, x2)`` of the square
    ``[-limit, limit]^2`` (orange near 0, white at 1/2, blue near 1), the decision line
    ``z = 0`` and the weight vector ``w`` drawn from it; a slider moves each of ``w1``,
    ``w2`` and ``b``. As ``plot_neuron`` in the neuron chapter draws it, from the same numbers.

    Parameters
    ----------
    w1, w2, b : float
        The weights and the bias the picture starts with; values of the sliders.
    limit : float
        Half the side of the square of inputs drawn.
    slider_range : (min, max, step)
        The range and step of the three sliders.
    """

    _esm = bundle("neuron.js")
    w1 = traitlets.Float(1.0).tag(sync=True)
    w2 = traitlets.Float(2.0).tag(sync=True)
    b = traitlets.Float(-1.0).tag(sync=True)
    limit = traitlets.Float(3.0).tag(sync=True)
    slider_range = traitlets.Tuple(
        traitlets.Float(), traitlets.Float(), traitlets.Float(), default_value=(-3.0, 3.0, 0.25)
    ).tag(sync=True)

    def __init__(
        self,
        w1: float = 1.0,
        w2: float = 2.0,
        b: float = -1.0,
        *,
        limit: float = 3.0,
        slider_range: tuple[float, float, float] = (-3.0, 3.0, 0.25),
    ) -> None:
        who = "NeuronExplorer"
        slider = _slider_range(who, "slider_range", slider_range)
        values = {name: _slider_value(who, name, v, slider) for name, v in (("w1", w1), ("w2", w2), ("b", b))}
        limit = _number(who, "limit", limit)
        if limit <= 0:
            raise ValueError(f"{who}: limit must be positive, got {limit:g}")
        super().__init__(**values, limit=limit, slider_range=slider)

    @traitlets.validate("w1", "w2", "b")
    def _check_slider_value(self, proposal):
        return _slider_value("NeuronExplorer", proposal["trait"].name, proposal["value"], self.slider_range)


# --- an activation and its tangent ---------------------------------------------------------------

ACTIVATION_CHOICES = ("sigmoid", "tanh", "relu")


class ActivationExplorer(anywidget.AnyWidget):
    """An activation function, its tangent at ``z0`` and its derivative there.

    The upper plot draws ``sigma(z)`` and the tangent line ``sigma(z0) + sigma'(z0) (z - z0)``;
    the lower one ``sigma'(z)``, with its value at ``z0``. A drop-down picks the function
    (sigmoid, tanh or ReLU, with nnlib's definitions, ``relu'(0) = 0``), a slider moves ``z0``.

    Parameters
    ----------
    activation : str
        ``"sigmoid"``, ``"tanh"`` or ``"relu"``.
    z0 : float
        The point of the tangent; a value of the slider.
    z_range : (min, max, step)
        The z axis drawn, which is also the slider's range and step.
    """

    _esm = bundle("activation.js")
    activation = traitlets.Unicode("sigmoid").tag(sync=True)
    z0 = traitlets.Float(1.0).tag(sync=True)
    z_range = traitlets.Tuple(
        traitlets.Float(), traitlets.Float(), traitlets.Float(), default_value=(-6.0, 6.0, 0.25)
    ).tag(sync=True)
    choices = traitlets.List(traitlets.Unicode(), default_value=list(ACTIVATION_CHOICES)).tag(sync=True)

    def __init__(
        self, activation: str = "sigmoid", z0: float = 1.0, *, z_range: tuple[float, float, float] = (-6.0, 6.0, 0.25)
    ) -> None:
        who = "ActivationExplorer"
        name = _activation_name(who, activation)
        slider = _slider_range(who, "z_range", z_range)
        z0 = _slider_value(who, "z0", z0, slider)
        super().__init__(activation=name, z0=z0, z_range=slider)

    @traitlets.validate("activation")
    def _check_activation(self, proposal):
        return _activation_name("ActivationExplorer", proposal["value"])

    @traitlets.validate("z0")
    def _check_z0(self, proposal):
        return _slider_value("ActivationExplorer", "z0", proposal["value"], self.z_range)


def _activation_name(who: str, name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"{who}: activation must be a name (str), one of {ACTIVATION_CHOICES}, got {name!r}")
    key = get_activation(name).name  # nnlib's names and aliases ("logistic" -> "sigmoid")
    if key not in ACTIVATION_CHOICES:
        raise ValueError(f"{who}: activation must be one of {', '.join(ACTIVATION_CHOICES)}, got {name!r}")
    return key


# --- the loss surface of one neuron -------------------------------------------------------------

LOSSES = ("quadratic", "cross_entropy")
ETA_CHOICES = (0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0)


def _data(who: str, x: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    arrays = []
    for name, values in (("x", x), ("y", y)):
        try:
            array = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"{who}: {name} must be a 1-D array of numbers, got {values!r}") from None
        if array.ndim != 1 or array.size == 0:
            raise ValueError(f"{who}: {name} must be a non-empty 1-D array, got shape {array.shape}")
        if not np.all(np.isfinite(array)):
            raise ValueError(f"{who}: {name} must hold finite numbers only, got {array}")
        arrays.append(array)
    x_array, y_array = arrays
    if x_array.shape != y_array.shape:
        raise ValueError(f"{who}: x and y must have the same length, got {x_array.size} and {y_array.size}")
    if np.any((y_array < 0) | (y_array > 1)):
        raise ValueError(f"{who}: the targets y must lie in [0, 1] (the cross-entropy's range), got {y_array}")
    return x_array, y_array


def _loss_name(who: str, loss: object) -> str:
    if loss not in LOSSES:
        raise ValueError(f"{who}: loss must be one of {', '.join(LOSSES)}, got {loss!r}")
    return str(loss)


def descent_path(
    loss: str, x: Sequence[float], y: Sequence[float], w: float, b: float, eta: float, steps: int
) -> np.ndarray:
    """Gradient descent on one sigmoid neuron ``a = sigma(w x + b)``; the path of ``(w, b)``.

    Each step moves ``w`` and ``b`` against the gradient of the mean cost over the examples
    ``x`` (inputs) and ``y`` (targets), with ``delta = (a - y) sigma'(z)`` for the quadratic
    cost and ``delta = a - y`` for cross-entropy (sigma' has cancelled)::

        w <- w - eta * mean(delta * x),    b <- b - eta * mean(delta)

    the losses chapter's ``descend``, and with one example its ``train_neuron``. Returns an
    array of shape ``(steps + 1, 2)``: the start, then ``(w, b)`` after each step.
    """
    who = "descent_path"
    loss = _loss_name(who, loss)
    xs, ys = _data(who, x, y)
    w, b, eta = (_number(who, name, v) for name, v in (("w", w), ("b", b), ("eta", eta)))
    if eta <= 0:
        raise ValueError(f"{who}: eta must be positive, got {eta:g}")
    steps = _whole(who, "steps", steps, 0, None)
    path = np.empty((steps + 1, 2))
    path[0] = w, b
    for step in range(1, steps + 1):
        z = w * xs + b
        a = sigmoid(z)
        delta = (a - ys) * sigmoid_prime(z) if loss == "quadratic" else a - ys
        w, b = w - eta * np.mean(delta * xs), b - eta * np.mean(delta)  # dC/dw, dC/db: means over x
        path[step] = w, b
    return path


def mean_cost(loss: str, x: Sequence[float], y: Sequence[float], w: float, b: float) -> float:
    """The cost of the neuron ``(w, b)`` on the examples: nnlib's quadratic or binary cross-entropy."""
    who = "mean_cost"
    loss = _loss_name(who, loss)
    xs, ys = _data(who, x, y)
    a = sigmoid(_number(who, "w", w) * xs + _number(who, "b", b))[:, None]  # (n, 1): one output per example
    return (quadratic if loss == "quadratic" else binary_cross_entropy)(a, ys[:, None])


class LossSurfaceExplorer(anywidget.AnyWidget):
    """The cost of one sigmoid neuron over ``(w, b)``, and gradient descent across it.

    Two maps show the quadratic cost and the cross-entropy of ``a = sigma(w x + b)`` on the
    examples ``(x, y)`` for every ``(w, b)`` in view, each with the path of ``steps`` steps of
    gradient descent (:func:`descent_path`) from the start ``(w0, b0)`` with learning rate
    ``eta``; a third plot follows the output (one example) or the mean error ``|a - y|``
    (several) step by step. Sliders move the start and the learning rate.

    Parameters
    ----------
    x, y : sequences of float
        The inputs and targets (``y`` in [0, 1]), the same length; they are kept in the
        widget's state so that the front end computes on the same problem.
    w0, b0 : float
        The start, values of the start sliders.
    eta : float
        The learning rate; added to ``eta_choices`` if it is not one of them.
    steps : int
        Gradient-descent steps (epochs, for one example).
    start_range : (min, max, step)
        The range and step of the start sliders.
    w_range, b_range : (low, high)
        The part of the (w, b) plane drawn.
    eta_choices : sequence of float
        The learning rates the slider offers, positive.
    """

    _esm = bundle("loss_surface.js")
    x = traitlets.List(traitlets.Float()).tag(sync=True)
    y = traitlets.List(traitlets.Float()).tag(sync=True)
    w0 = traitlets.Float(2.0).tag(sync=True)
    b0 = traitlets.Float(2.0).tag(sync=True)
    eta = traitlets.Float(0.15).tag(sync=True)
    steps = traitlets.Int(300).tag(sync=True)
    start_range = traitlets.Tuple(
        traitlets.Float(), traitlets.Float(), traitlets.Float(), default_value=(-1.0, 5.0, 0.1)
    ).tag(sync=True)
    w_range = traitlets.Tuple(traitlets.Float(), traitlets.Float(), default_value=(-4.5, 5.5)).tag(sync=True)
    b_range = traitlets.Tuple(traitlets.Float(), traitlets.Float(), default_value=(-4.5, 5.5)).tag(sync=True)
    eta_choices = traitlets.List(traitlets.Float(), default_value=list(ETA_CHOICES)).tag(sync=True)

    def __init__(
        self,
        x: Sequence[float] = (1.0,),
        y: Sequence[float] = (0.0,),
        w0: float = 2.0,
        b0: float = 2.0,
        eta: float = 0.15,
        *,
        steps: int = 300,
        start_range: tuple[float, float, float] = (-1.0, 5.0, 0.1),
        w_range: tuple[float, float] = (-4.5, 5.5),
        b_range: tuple[float, float] = (-4.5, 5.5),
        eta_choices: Sequence[float] = ETA_CHOICES,
    ) -> None:
        who = "LossSurfaceExplorer"
        xs, ys = _data(who, x, y)
        if xs.size > 1000:
            raise ValueError(f"{who}: at most 1000 examples (the front end redraws on every move), got {xs.size}")
        slider = _slider_range(who, "start_range", start_range)
        w0, b0 = (_slider_value(who, name, v, slider) for name, v in (("w0", w0), ("b0", b0)))
        eta = _number(who, "eta", eta)
        steps = _whole(who, "steps", steps, 1, 5000)
        if not isinstance(eta_choices, (tuple, list)) or not eta_choices:
            raise TypeError(f"{who}: eta_choices must be a non-empty list of learning rates, got {eta_choices!r}")
        choices = {_number(who, "eta_choices[]", v) for v in eta_choices} | {eta}
        if min(choices) <= 0:
            raise ValueError(f"{who}: eta and eta_choices must be positive, got {sorted(choices)}")
        super().__init__(
            x=xs.tolist(),
            y=ys.tolist(),
            w0=w0,
            b0=b0,
            eta=eta,
            steps=steps,
            start_range=slider,
            w_range=_limits(who, "w_range", w_range),
            b_range=_limits(who, "b_range", b_range),
            eta_choices=sorted(choices),
        )

    @traitlets.validate("w0", "b0")
    def _check_start(self, proposal):
        return _slider_value("LossSurfaceExplorer", proposal["trait"].name, proposal["value"], self.start_range)

    @traitlets.validate("eta")
    def _check_eta(self, proposal):
        eta = _number("LossSurfaceExplorer", "eta", proposal["value"])
        if self.eta_choices and not any(abs(eta - c) <= 1e-12 * c for c in self.eta_choices):
            raise ValueError(f"LossSurfaceExplorer: eta must be one of {self.eta_choices}, got {eta:g}")
        return eta

    def path(self, loss: str) -> np.ndarray:
        """The gradient-descent path the front end draws for ``loss``, computed by nnlib in Python."""
        return descent_path(loss, self.x, self.y, self.w0, self.b0, self.eta, self.steps)

"""Numerical gradients by central differences, to check backpropagation.

For any scalar function f and parameter array p::

    df/dp[i] ~ (f(p + h e_i) - f(p - h e_i)) / (2 h)

The error of this estimate shrinks like h^2, so with float64 and h = 1e-5 it
agrees with a correct analytic gradient to about 1e-8 (relative). A bug
in backprop shows up as a relative error of order 1.

Finite differences have blind spots, and :func:`check_gradients` names them
instead of reporting a large error that looks like a bug:

* **saturation**: where a unit is saturated, its gradient can be far smaller
  than the rounding noise of ``f(p + h) - f(p - h)``; the difference then says
  nothing about the gradient. An array whose disagreement is within that noise
  is left out of the result (with a :class:`GradientCheckWarning`);
* **clipping**: a cross-entropy computed from outputs clipped into
  ``[EPS, 1 - EPS]`` is flat where the clip acts, though its gradient is not;
* **kinks**: ReLU, leaky ReLU and the step have a corner at z = 0; a nudge of
  ``h`` that crosses it gives a one-sided slope.

When one of these, and not a bug, explains a disagreement, or when nothing can
be checked at all, :func:`check_gradients` raises :class:`UnsuitablePoint`
saying why: choose other inputs or weights.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import numpy as np

from . import checks
from .losses import EPS

#: A relative error below this means backprop agrees with finite differences (float64, h = 1e-5).
TOLERANCE = 1e-6
_KINKED = ("relu", "leaky_relu", "step")


class UnsuitablePoint(ValueError):
    """Finite differences cannot judge backprop at this point (saturation, clipping or a kink)."""


class GradientCheckWarning(UserWarning):
    """Some parameters could not be checked: their gradient is below the resolution of finite differences."""


def numerical_gradient(f: Callable[[], float], p: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of ``f()`` with respect to array ``p``.

    ``f`` takes no arguments and reads ``p``, which is changed in place
    during the computation and restored exactly afterwards (also when ``f`` raises).
    """
    if not callable(f):
        raise TypeError(f"numerical_gradient: f must be a function f() returning a number, got {checks.shown(f)}")
    if not isinstance(p, np.ndarray) or p.dtype.kind != "f" or not p.flags.writeable:
        raise TypeError(
            "numerical_gradient: p must be a writeable float array (the parameters f reads), got "
            f"{checks.shown(p) if not isinstance(p, np.ndarray) else f'an array of dtype {p.dtype}'}"
        )
    h = checks.number(h, "h", "numerical_gradient", positive=True)
    grad = np.zeros_like(p, dtype=np.float64)
    for i in np.ndindex(p.shape):
        old = p[i]
        try:
            p[i] = old + h
            f_plus = _value(f)
            p[i] = old - h
            f_minus = _value(f)
        finally:
            p[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def _value(f: Callable[[], float]) -> float:
    value = f()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"numerical_gradient: f() must return a number (the cost), got {checks.shown(value)}")
    return float(value)


def relative_error(a: np.ndarray, b: np.ndarray, floor: float = 1e-12) -> float:
    """||a - b|| / (||a|| + ||b||): 0 when equal, about 1 when unrelated (0 when both are 0).

    Norms over the whole array make the measure robust to single entries
    that are zero up to rounding, where an elementwise ratio would be noise.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / max(float(np.linalg.norm(a) + np.linalg.norm(b)), floor))


def check_gradients(net, X, Y, h: float = 1e-5) -> float:
    """Largest relative error between backprop's and numerical gradients of the mean loss.

    Compares every weight and bias of ``net`` (a float64 :class:`~nnlib.network.Network`)
    on the batch ``(X, Y)``. Below :data:`TOLERANCE` (1e-6) means backprop is right.

    Where a parameter array disagrees by more than that, the disagreement is examined
    (see the module's docstring): within the rounding noise of the finite differences
    (saturation), the array is left out with a :class:`GradientCheckWarning`; explained
    by clipping or a kink, :class:`UnsuitablePoint` is raised. Only a disagreement that
    finite differences can resolve and nothing else explains is returned as an error.
    """
    if not all(hasattr(net, a) for a in ("layers", "gradients", "output_cost")):
        raise TypeError(f"check_gradients: net must be an nnlib Network, got {checks.shown(net)}")
    h = checks.number(h, "h", "check_gradients", positive=True)
    if net.dtype != np.float64:
        raise ValueError(
            f"check_gradients needs a float64 network: finite differences in {net.dtype} resolve only a few "
            f"digits. Got {net!r} of dtype {net.dtype}; build it with dtype=np.float64"
        )
    X = net.check_inputs(X)
    Y = net.check_targets(Y, X.shape[0])
    analytic = net.gradients(X, Y)
    params = [(f"{k}{i}", p) for i, layer in enumerate(net.layers) for k, p in (("W", layer.W), ("b", layer.b))]
    largest_f = 0.0

    def loss() -> float:
        nonlocal largest_f
        net.forward(X)
        value = net.output_cost(Y)
        largest_f = max(largest_f, abs(value))
        return value

    checked = []  # (name, analytic gradient, parameter array, numerical gradient, relative error)
    for g, (name, p) in zip(analytic, params):
        numeric = numerical_gradient(loss, p, h)
        checked.append((name, g, p, numeric, relative_error(g, numeric)))
    if all(err <= TOLERANCE for *_, err in checked):
        return max(err for *_, err in checked)
    # A disagreement. Is it a blind spot of finite differences rather than a bug?
    failing = ", ".join(name for name, *_, err in checked if err > TOLERANCE)
    net.forward(X)  # the unperturbed pass, for a look at the outputs and units
    why = _clipped(net, Y) or _kinks(net, h)
    if why:
        raise UnsuitablePoint(
            f"check_gradients: backprop and finite differences disagree on {failing} at this point, and "
            f"{why}, so the disagreement need not be a bug. Check at other inputs or weights."
        )
    errors, unresolved = [], []
    for name, g, p, numeric, err in checked:
        if err > TOLERANCE:  # within the rounding noise of the finite differences (saturation)?
            numeric_2h = numerical_gradient(loss, p, 2 * h)
            noise = float(np.linalg.norm(numeric - numeric_2h))
            noise += math.sqrt(p.size) * float(np.finfo(float).eps) * largest_f / h
            if np.linalg.norm(g - numeric) <= 4 * noise:
                unresolved.append(f"{name} (|gradient| {np.linalg.norm(g):.1e}, noise {noise:.1e})")
                continue
        errors.append(err)
    if unresolved:
        text = "; ".join(unresolved)
        if not errors:
            raise UnsuitablePoint(
                f"check_gradients: at this point no gradient is larger than the rounding noise of the finite "
                f"differences, so nothing can be checked: {text}. The network is probably saturated (|z| large); "
                f"check at inputs or weights of order 1."
            )
        warnings.warn(
            f"check_gradients: not checked, as their gradient is below the rounding noise of the finite "
            f"differences (saturated units?): {text}",
            GradientCheckWarning,
            stacklevel=2,
        )
    return max(errors)


def _clipped(net, Y: np.ndarray) -> str | None:
    """Why the loss of the last forward pass is flat somewhere (outputs at the clip), or None."""
    out, loss = net.layers[-1], net.loss
    if loss.name not in ("binary_cross_entropy", "categorical_cross_entropy"):
        return None
    if loss.value_from_z is not None and out.activation.name == loss.paired_activation:
        return None  # computed from z: no clip
    a = out.A
    eps = max(EPS, float(np.finfo(a.dtype).eps))
    if loss.name == "binary_cross_entropy":
        at_clip = (a <= eps) | (a >= 1 - eps)
    else:
        at_clip = (a <= EPS) & (Y > 0)
    if not at_clip.any():
        return None
    i, j = (int(k) for k in np.argwhere(at_clip)[0])
    return (
        f"{loss.name} clips the output a into [{eps:g}, 1 - {eps:g}] before its logarithm, which makes the loss flat "
        f"where {int(at_clip.sum())} output(s) are (first: example {i}, output {j}, a = {a[i, j].item()!r})"
    )


def _kinks(net, h: float) -> str | None:
    """Why a nudge of h may cross the corner of ReLU, leaky ReLU or the step at z = 0, or None."""
    for l, layer in enumerate(net.layers):
        if layer.activation.name not in _KINKED:
            continue
        reach = 2 * h * (1.0 + float(np.abs(layer.X).max(initial=0.0)))  # how far a nudge of a weight moves z
        near = np.abs(layer.Z) <= reach
        if near.any():
            i, j = (int(k) for k in np.argwhere(near)[0])
            return (
                f"{int(near.sum())} unit(s) of layer {l} ({layer!r}) are within {reach:.1e} of the kink of "
                f"{layer.activation.name} at z = 0 (first: example {i}, unit {j}, z = {layer.Z[i, j].item()!r})"
            )
    return None

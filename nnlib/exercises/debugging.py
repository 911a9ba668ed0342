"""Checks for the exercises of the chapter *Debugging a training run*.

In the chapter::

    from nnlib.exercises import debugging as check
    check.initial_loss(initial_loss)          # 1. the loss at initialisation, for n classes
    check.layer_grad_norms(layer_grad_norms)  # 2. ||dC/dW^l|| for every layer
    run_a = check.mystery_run("A")            # a run with a planted bug...
    check.bug_a(bug_a)                        # 3. ... and the learner's diagnosis of it
    check.bug_b(bug_b)                        # 4.
    check.bug_c(bug_c)                        # 5.

Each function prints one verdict (not attempted yet / correct / wrong with a hint) and
never raises in a normal run.

The mystery runs are :func:`nnlib.diagnostics.buggy_run` on the shipped digits, each with
one bug of :data:`nnlib.diagnostics.BUGS` planted and a fixed seed: the checker knows the
bug. A wrong diagnosis gets a hint built from the run's own numbers: first what the bug
the learner named would look like, then where this run's evidence is, then the answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..data import load_digits
from ..diagnostics import BUGS, Run, buggy_run
from ..network import Network
from . import core
from .core import Case, Exercise, Hint, Mistake, Verdict
from .library import saves

EXERCISES = {
    "initial_loss": Exercise("ex-debugging-initial-loss", "The loss at initialisation", "initial_loss"),
    "layer_grad_norms": Exercise("ex-debugging-grad-norms", "Gradient norms per layer", "layer_grad_norms"),
    "bug_a": Exercise("ex-debugging-bug-a", "Name the bug: run A", "bug_a"),
    "bug_b": Exercise("ex-debugging-bug-b", "Name the bug: run B", "bug_b"),
    "bug_c": Exercise("ex-debugging-bug-c", "Name the bug: run C", "bug_c"),
}

#: The answers a "name the bug" exercise accepts: the bugs :func:`nnlib.diagnostics.buggy_run` plants.
BUG_NAMES: tuple[str, ...] = tuple(BUGS)

# --- 1. the loss at initialisation ------------------------------------------------------------


def initial_loss_reference(n_classes: int) -> float:
    """``ln(n_classes)``: cross-entropy when softmax gives every class ``1 / n_classes``."""
    return math.log(n_classes)


_INITIAL_LOSS_MISTAKES = [
    Mistake(
        "log10",
        lambda n: math.log10(n),
        Hint(
            "Your loss uses the logarithm to base 10; cross-entropy uses the natural logarithm.",
            "Look at the log you call: np.log10 and math.log10 are base 10.",
            "Use np.log (or math.log), the natural logarithm: the loss is ln(n_classes).",
        ),
    ),
    Mistake(
        "log2",
        lambda n: math.log2(n),
        Hint(
            "Your loss uses the logarithm to base 2 (bits); cross-entropy here uses the natural logarithm.",
            "Look at the log you call: np.log2 and math.log2 are base 2.",
            "Use np.log (or math.log): the loss is ln(n_classes).",
        ),
    ),
    Mistake(
        "probability",
        lambda n: 1 / n,
        Hint(
            "You returned the probability the network gives the right class, 1 / n_classes, not the loss.",
            "Look at the last step: cross-entropy is minus the logarithm of that probability.",
            "Return -ln(1 / n_classes), which is ln(n_classes).",
        ),
    ),
    Mistake(
        "forgot-minus",
        lambda n: math.log(1 / n),
        Hint(
            "Your loss is negative: you took ln(1 / n_classes) without the minus sign of cross-entropy.",
            "Look at the sign: C = -sum_j y_j ln a_j, and ln of a probability is negative.",
            "Return -ln(1 / n_classes) = ln(n_classes).",
        ),
    ),
    Mistake(
        "divided-by-classes",
        lambda n: math.log(n) / n,
        Hint(
            "You divided by the number of classes: cross-entropy sums over the classes, and only "
            "the true class (y_j = 1) contributes.",
            "Look for a mean over the classes (np.mean, or / n_classes) in your formula.",
            "Only the true class's term is left: -1 * ln(1 / n_classes) = ln(n_classes).",
        ),
    ),
]


@saves("initial_loss")
def initial_loss(fn: Callable | None) -> Verdict:
    """Check ``initial_loss(n_classes)``: the float ``ln(n_classes)``."""
    return core.check_function(
        EXERCISES["initial_loss"],
        fn,
        initial_loss_reference,
        [Case((10,), label="ten digits"), Case((2,)), Case((3,)), Case((1000,), label="ImageNet's 1000 classes")],
        _INITIAL_LOSS_MISTAKES,
        arg_names=["n_classes"],
        returns=core.number,
    )


# --- 2. gradient norms per layer -------------------------------------------------------------


def layer_grad_norms_reference(net: Network, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """``||dC/dW^l||`` (Frobenius norm) for ``l = 1, ..., L``, on the batch ``(X, Y)``."""
    grads = net.gradients(X, Y)  # [dW1, db1, dW2, db2, ...]
    return np.array([np.linalg.norm(dW) for dW in grads[0::2]])


def _grads(net: Network, X: np.ndarray, Y: np.ndarray) -> list[np.ndarray]:
    return net.gradients(X, Y)


_GRAD_NORM_MISTAKES = [
    Mistake(
        "every-parameter",
        lambda net, X, Y: np.array([np.linalg.norm(g) for g in _grads(net, X, Y)]),
        Hint(
            "You returned one norm per *parameter array*, biases included: twice as many numbers as layers.",
            "Look at what you loop over: net.gradients returns [dW1, db1, dW2, db2, ...], weights and "
            "biases alternating.",
            "Keep only the weight gradients, grads[0::2] (every second entry, from the first).",
        ),
    ),
    Mistake(
        "biases-only",
        lambda net, X, Y: np.array([np.linalg.norm(g) for g in _grads(net, X, Y)[1::2]]),
        Hint(
            "You measured the gradients of the biases, dC/db, not of the weights.",
            "Look at the slice: grads[1::2] starts at db1.",
            "The weight gradients are grads[0::2]: dW1, dW2, ...",
        ),
    ),
    Mistake(
        "with-biases",
        lambda net, X, Y: np.array(
            [np.sqrt(np.sum(dW**2) + np.sum(db**2)) for dW, db in zip(*[iter(_grads(net, X, Y))] * 2)]
        ),
        Hint(
            "Your norms include the biases' gradients; the task asks for the weights' only.",
            "Look at what goes into each norm: dC/dW and dC/db of the layer together.",
            "Take the norm of dC/dW alone: np.linalg.norm(grads[2 * l]).",
        ),
    ),
    Mistake(
        "squared",
        lambda net, X, Y: np.array([np.sum(g**2) for g in _grads(net, X, Y)[0::2]]),
        Hint(
            "Your numbers are the *squares* of the norms: the square root is missing.",
            "Look at the last step: sum(g**2) is ||g||^2.",
            "Take the square root, or use np.linalg.norm(g).",
        ),
    ),
    Mistake(
        "abs-sum",
        lambda net, X, Y: np.array([np.abs(g).sum() for g in _grads(net, X, Y)[0::2]]),
        Hint(
            "You summed the absolute values (the L1 norm); the task asks for the Frobenius norm.",
            "Look at how each number is made: sum(|g|) instead of sqrt(sum(g**2)).",
            "Use np.linalg.norm(g), which is sqrt(sum(g**2)) for a matrix.",
        ),
    ),
    Mistake(
        "largest-entry",
        lambda net, X, Y: np.array([np.abs(g).max() for g in _grads(net, X, Y)[0::2]]),
        Hint(
            "You returned the largest |entry| of each gradient, not its norm.",
            "Look at how each number is made: max(|g|) ignores all the other entries.",
            "Use np.linalg.norm(g): the square root of the sum of all squared entries.",
        ),
    ),
    Mistake(
        "weights-not-gradients",
        lambda net, X, Y: np.array([np.linalg.norm(W) for W in net.weights]),
        Hint(
            "You measured the weights, ||W^l||, not their gradients.",
            "Look at what you take the norm of: net.weights (or layer.W) are the weights themselves.",
            "Compute the gradients first, grads = net.gradients(X, Y), then the norm of each grads[0::2].",
        ),
    ),
]


def _grad_norm_cases() -> list[Case]:
    rng = np.random.default_rng(15)
    nets = [
        (Network([3, 5, 4, 2], loss="quadratic", init="xavier", rng=1), 6),
        (Network([4, 7, 6, 5, 3], activation="relu", loss="categorical_cross_entropy", init="he", rng=2), 8),
    ]
    cases = []
    for net, n in nets:
        X = rng.normal(size=(n, net.sizes[0]))
        if net.loss.name == "quadratic":
            Y = rng.uniform(size=(n, net.sizes[-1]))
        else:
            Y = np.eye(net.sizes[-1])[rng.integers(0, net.sizes[-1], n)]
        cases.append(
            Case(
                (net, X, Y),
                label=f"a network with {len(net.layers)} layers",
                shown=f"net = {net!r}\nX: {n} examples of {net.sizes[0]} inputs; Y: {n} targets of {net.sizes[-1]}",
            )
        )
    return cases


_CHANGED_WEIGHTS = Hint(
    "Your norms are right, but your function changed the network's weights.",
    "Look for a step: W -= ..., set_params(...) or an optimiser's step() inside the function.",
    "Only measure: grads = net.gradients(X, Y) computes the gradients without changing any weight.",
)


@saves("layer_grad_norms")
def layer_grad_norms(fn: Callable | None) -> Verdict:
    """Check ``layer_grad_norms(net, X, Y)``: a float array of ``||dC/dW^l||``, the weights unchanged."""
    ex = EXERCISES["layer_grad_norms"]
    cases = _grad_norm_cases()
    verdict = core.check_function(
        ex,
        fn,
        layer_grad_norms_reference,
        cases,
        _GRAD_NORM_MISTAKES,
        arg_names=["net", "X", "Y"],
        returns=core.float_array,
    )
    if not verdict.passed or fn is None:
        return verdict
    net, X, Y = cases[-1].args
    before = net.get_params()
    fn(net, X.copy(), Y.copy())  # the same call that just passed, now on the original network
    if not all(np.array_equal(a, b) for a, b in zip(before, net.get_params())):
        return core.wrong(ex, "Your function changed the network's weights.", _CHANGED_WEIGHTS, "changed-weights")
    return verdict


# --- 3-5. name the bug ---------------------------------------------------------------------------

# Which bug each mystery run has, and its seed. The setup line is the same for all three runs.
_MYSTERY = {"A": ("unnormalised inputs", 0), "B": ("labels off by one", 4), "C": ("unshuffled data", 5)}
_RUNS: dict[str, Run] = {}


def mystery_run(name: str) -> Run:
    """The training run ``name`` ("A", "B" or "C"): the shipped digits with one bug planted.

    500 training and 300 validation digits, 5 epochs of :func:`nnlib.diagnostics.buggy_run`.
    The result is kept, so asking again (and checking the answer) does not train again.
    """
    if not isinstance(name, str) or name.upper() not in _MYSTERY:
        raise ValueError(f"mystery_run: name must be one of {', '.join(map(repr, _MYSTERY))}, got {name!r}")
    key = name.upper()
    if key not in _RUNS:
        digits = load_digits(n_train=500)
        bug, seed = _MYSTERY[key]
        _RUNS[key] = buggy_run(
            bug, digits.X_train, digits.y_train, digits.X_val[:300], digits.y_val[:300], epochs=5, rng=seed
        )
    return _RUNS[key]


#: What each bug looks like: always true of the bug, whatever the run.
_SIGNATURE = {
    "none": "a validation accuracy that climbs far above chance (this chapter's healthy run reaches about 80 % "
    "in 5 epochs)",
    "learning rate too high": "a setup line with a learning rate far above the 0.5 that trains this network well, "
    "and a loss that jumps up and down from epoch to epoch",
    "unshuffled data": "inputs from 0 to 1 and healthy activations, but a loss that stays near its starting value "
    "and a network that predicts mostly the classes it saw last (8 and 9, when the digits are sorted)",
    "labels off by one": "a training accuracy that climbs while the validation accuracy stays far *below* chance: "
    "the network learns the wrong training labels perfectly well",
    "unnormalised inputs": "inputs far from the range 0 to 1, and hidden sigmoids saturated at 0 or 1 before "
    "the first step",
    "dead relus": "a network with ReLU hidden units (the setup line says so) that output 0 for every example",
    "mislabelled data": "a training accuracy *below* the validation accuracy: the training labels are partly "
    "noise, and no network can fit noise in a few epochs",
    "train and test mixed": "validation numbers that repeat the training numbers almost exactly",
}


def _evidence(bug: str, run: Run) -> str:
    """Where this run shows ``bug``, with the run's own numbers."""
    h = run.history
    if bug == "unnormalised inputs":
        return (
            f"Look at the line `training inputs from ...` of the summary: {run.input_range[0]:g} to "
            f"{run.input_range[1]:g}. And at the last panel: before any step, "
            f"{run.stats_before[0].saturated:.0%} of the hidden sigmoids are saturated."
        )
    if bug == "labels off by one":
        return (
            f"Compare the training and the validation accuracy: {h.accuracy[-1]:.0%} on the training set, "
            f"{h.val_accuracy[-1]:.0%} on the validation images, far below the 10 % of guessing. The network "
            "learned something, consistently wrong on data it was not trained on."
        )
    if bug == "unshuffled data":
        top = np.argsort(run.predicted)[::-1][:2]
        share = run.predicted[top].sum() / run.predicted.sum()
        return (
            f"Look at the first epoch of the loss: {run.initial_loss:.2f} before training, {h.loss[0]:.2f} after "
            f"one epoch, worse than guessing. And at the predictions: {share:.0%} of the validation images are "
            f"called {top[0]} or {top[1]}."
        )
    return f"Compare this run's panels with what {bug!r} looks like: {_SIGNATURE[bug]}."


_FIX = {
    "unnormalised inputs": "scale the inputs to order 1 (the pixels divided by 255) before training",
    "labels off by one": "check the labels against the inputs (show a few images with their labels)",
    "unshuffled data": "shuffle the examples every epoch (fit's shuffle=True)",
    "learning rate too high": "run a learning-rate range test and take a smaller rate",
    "dead relus": "start the biases at 0 and use He initialisation, or a leaky ReLU",
    "mislabelled data": "look at the examples the network gets wrong: many of their labels are wrong",
    "train and test mixed": "split the data once, before anything else, and never mix the parts again",
    "none": "nothing to fix",
}


def _name_the_bug(key: str, answer: Any) -> Verdict:
    ex = EXERCISES[f"bug_{key.lower()}"]
    if answer is Ellipsis or answer is None:
        return core.not_attempted(
            ex,
            f"Replace the `...` in the cell above with the name of the bug, one of {', '.join(map(repr, BUG_NAMES))}; "
            "run that cell, then run this check again.",
        )
    planted = _MYSTERY[key][0]
    if not isinstance(answer, str):
        return core.wrong(
            ex,
            f"Your answer is a {type(answer).__name__}; the task asks for the name of a bug, a string.",
            Hint(
                f"Your answer is a {type(answer).__name__}, not a string.",
                'Look at the cell above: the answer is text in quotes, such as "labels off by one".',
                f"Write one of {', '.join(map(repr, BUG_NAMES))}, in quotes.",
            ),
            "not-a-string",
        )
    said = " ".join(answer.lower().replace("-", " ").replace("_", " ").split())
    if said not in BUG_NAMES:
        return core.wrong(
            ex,
            f"{answer!r} is not one of the bugs this exercise knows.",
            Hint(
                f"{answer!r} is not one of the names the check understands.",
                f"Look at the list: {', '.join(map(repr, BUG_NAMES))}.",
                "Copy one of those names exactly, in quotes.",
            ),
            "unknown-name",
        )
    if said == planted:
        return core.correct(ex, f"Yes: {BUGS[planted]}. The fix: {_FIX[planted]}.")
    run = mystery_run(key)
    return core.wrong(
        ex,
        f"Not {said!r}.",
        Hint(
            f"If the bug were {said!r}, you would see {_SIGNATURE[said]}. Does run {key} show that?",
            _evidence(planted, run),
            f"The planted bug is {planted!r}: {BUGS[planted]}. The fix: {_FIX[planted]}.",
        ),
        "said-" + said.replace(" ", "-"),
    )


def bug_a(answer: Any) -> Verdict:
    """Check the name of the bug planted in :func:`mystery_run` ``("A")``."""
    return _name_the_bug("A", answer)


def bug_b(answer: Any) -> Verdict:
    """Check the name of the bug planted in :func:`mystery_run` ``("B")``."""
    return _name_the_bug("B", answer)


def bug_c(answer: Any) -> Verdict:
    """Check the name of the bug planted in :func:`mystery_run` ``("C")``."""
    return _name_the_bug("C", answer)


__all__ = ["BUG_NAMES", "bug_a", "bug_b", "bug_c", "initial_loss", "layer_grad_norms", "mystery_run"]

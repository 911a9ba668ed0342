"""Every public entry point, fed junk for one argument at a time (hypothesis): it either works,
or raises TypeError or ValueError naming the argument, before any work (a refused call changes
nothing). Never an AttributeError, KeyError, OverflowError or a numpy internal message."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

import nnlib
from nnlib import SGD, Dense, EarlyStopping, LambdaCallback, Network, Neuron
from nnlib.data import load_digits, load_mnist, one_hot, playground, train_test_split
from nnlib.diagnostics import NormRecorder, activation_stats, buggy_run, lr_range_test
from nnlib.gradcheck import check_gradients, numerical_gradient
from nnlib.metrics import accuracy
from nnlib.widgets.playground.settings import Settings

_RAGGED = np.empty(2, dtype=object)
_RAGGED[:] = [[1.0, 2.0], [3.0]]

# Values that are wrong for most arguments. Positive integers are kept small: where one is
# valid (epochs=3, n=2), the call runs, and must run quickly.
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 3),
    st.integers(2**63, 2**80).map(lambda v: -v),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([1e308, -1e308, 5e-324, 2.5, -0.0]),
    st.text(max_size=8),
    st.binary(max_size=8),
    st.lists(st.one_of(st.integers(-3, 3), st.text(max_size=2), st.none(), st.floats()), max_size=4),
    st.lists(st.lists(st.integers(-2, 2), max_size=3), max_size=3),  # often ragged
    st.dictionaries(st.text(max_size=3), st.integers(0, 3), max_size=3),
    st.tuples(st.integers(0, 3), st.text(max_size=2)),
    st.sampled_from([lambda *a: None, object(), np.float64("nan"), _RAGGED, np.array(["a", "b"]), np.int8(3)]),
    st.sampled_from([np.random.RandomState(0), "float16", np.complex128, int, SGD]),
    arrays(
        dtype=st.sampled_from([np.float64, np.float32, np.int64, np.bool_, np.complex128, np.uint8]),
        shape=array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
    ),
)

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _refused_or_fine(call, *names, allowed=()):
    """Run call(); if it raises, it must be a TypeError/ValueError whose message names the argument."""
    try:
        call()
    except allowed:
        return None
    except (TypeError, ValueError) as e:
        message = str(e)
        assert any(n in message for n in names), f"{type(e).__name__} does not name {names}: {message}"
        assert any(w in message for w in ("got", "unknown", "must", "need", "overflowed")), message
        return e
    return None


def _params_equal(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b))


def _net():
    return Network([2, 3, 1], rng=0)


X2, Y1 = np.array([[0.1, 0.2], [0.3, -0.4], [0.0, 1.0]]), np.array([[0.0], [1.0], [1.0]])

NETWORK_ARGS = {
    "sizes": [2, 3, 1],
    "activation": "sigmoid",
    "output_activation": None,
    "loss": "quadratic",
    "init": "gaussian",
    "rng": 0,
    "dtype": np.float64,
}


@pytest.mark.parametrize("arg", sorted(NETWORK_ARGS))
@FAST
@given(junk=JUNK)
def test_network_arguments(arg, junk):
    kwargs = dict(NETWORK_ARGS, **{arg: junk})
    _refused_or_fine(lambda: Network(**kwargs), arg)


DENSE_ARGS = {"n_in": 2, "n_out": 3, "activation": "tanh", "init": "xavier", "rng": 0, "dtype": np.float64}


@pytest.mark.parametrize("arg", sorted(DENSE_ARGS))
@FAST
@given(junk=JUNK)
def test_dense_arguments(arg, junk):
    kwargs = dict(DENSE_ARGS, **{arg: junk})
    _refused_or_fine(lambda: Dense(**kwargs), arg)


FIT_ARGS = {
    "X": X2,
    "Y": Y1,
    "epochs": 2,
    "batch_size": 2,
    "lr": 0.1,
    "validation_data": (X2, Y1),
    "callbacks": [],
    "progress": False,
    "shuffle": True,
    "train_metrics": True,
    "rng": 0,
}
FIT_NAMES = {"validation_data": ("validation_data", "X_val", "Y_val"), "lr": ("lr",), "callbacks": ("callbacks",)}


@pytest.mark.parametrize("arg", sorted(FIT_ARGS) + ["optimizer"])
@FAST
@given(junk=JUNK)
def test_fit_arguments_and_a_refused_fit_changes_nothing(arg, junk):
    net = _net()
    before = net.get_params()
    kwargs = dict(FIT_ARGS, **{arg: junk})
    if arg == "optimizer":
        del kwargs["lr"]
    X, Y = kwargs.pop("X"), kwargs.pop("Y")
    refused = _refused_or_fine(
        lambda: net.fit(X, Y, **kwargs), *FIT_NAMES.get(arg, (arg,)), allowed=(nnlib.TrainingDiverged,)
    )
    if refused is not None:
        assert _params_equal(net.get_params(), before)


@pytest.mark.parametrize("method", ["predict", "classify", "evaluate", "loss_value", "gradients"])
@pytest.mark.parametrize("arg", ["X", "Y"])
@FAST
@given(junk=JUNK)
def test_network_methods(method, arg, junk):
    net = _net()
    X, Y = (junk, Y1) if arg == "X" else (X2, junk)
    call = getattr(net, method)
    if method in ("predict", "classify"):
        if arg == "Y":
            return
        _refused_or_fine(lambda: call(X), "X")
    else:
        _refused_or_fine(lambda: call(X, Y), arg)


@FAST
@given(junk=JUNK, position=st.integers(0, 4))
def test_set_params_checks_everything_before_copying_anything(junk, position):
    net = _net()
    before = net.get_params()
    params = [p + 1.0 for p in before]
    if position == 4:
        params = junk
    else:
        params[position] = junk
    if _refused_or_fine(lambda: net.set_params(params), "set_params", "W0", "b0", "W1", "b1") is not None:
        assert _params_equal(net.get_params(), before)


SGD_ARGS = {"lr": 0.1, "momentum": 0.0, "l1": 0.0, "l2": 0.0}


@pytest.mark.parametrize("arg", sorted(SGD_ARGS))
@FAST
@given(junk=JUNK)
def test_optimizer_arguments(arg, junk):
    _refused_or_fine(lambda: SGD(**dict(SGD_ARGS, **{arg: junk})), arg)


NEW_OPTIMIZERS = {
    nnlib.RMSProp: {"lr": 0.1, "rho": 0.9, "eps": 1e-8, "l1": 0.0, "l2": 0.0},
    nnlib.Adam: {"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "l1": 0.0, "l2": 0.0, "weight_decay": 0.0},
    nnlib.StepDecay: {"lr": 0.1, "every": 10, "gamma": 0.5, "warmup": 0},
    nnlib.CosineDecay: {"lr": 0.1, "total": 10, "warmup": 2, "min_lr": 0.0},
    nnlib.Dropout: {"rate": 0.5, "rng": 0},
}


@pytest.mark.parametrize("cls, arg", [(c, a) for c, args in NEW_OPTIMIZERS.items() for a in sorted(args)])
@FAST
@given(junk=JUNK)
def test_rmsprop_adam_schedules_and_dropout_arguments(cls, arg, junk):
    _refused_or_fine(lambda: cls(**dict(NEW_OPTIMIZERS[cls], **{arg: junk})), arg)


@FAST
@given(junk=JUNK)
def test_network_dropout_argument(junk):
    _refused_or_fine(lambda: Network([2, 3, 1], dropout=junk), "dropout")


@FAST
@given(junk=JUNK, arg=st.sampled_from(["name", "n", "noise", "rng"]))
def test_playground_data_arguments(junk, arg):
    kwargs = dict({"name": "circle", "n": 20, "noise": 0.1, "rng": 0}, **{arg: junk})
    _refused_or_fine(lambda: playground(**kwargs), arg, "data set")


@FAST
@given(junk=JUNK, arg=st.sampled_from(["X", "y", "test_fraction", "rng"]))
def test_train_test_split_arguments(junk, arg):
    kwargs = dict({"X": X2, "y": Y1, "test_fraction": 0.5, "rng": 0}, **{arg: junk})
    _refused_or_fine(lambda: train_test_split(**kwargs), arg)


@FAST
@given(junk=JUNK, arg=st.sampled_from(["labels", "n_classes"]))
def test_one_hot_arguments(junk, arg):
    kwargs = dict({"labels": [0, 2, 1], "n_classes": 3}, **{arg: junk})
    _refused_or_fine(lambda: one_hot(**kwargs), arg, "label")


@FAST
@given(junk=JUNK, arg=st.sampled_from(["split", "n_train", "dtype"]))
def test_load_digits_arguments(junk, arg):
    kwargs = dict({"split": "test", "n_train": None, "dtype": np.float32}, **{arg: junk})
    if arg == "n_train":
        kwargs["split"] = "train"
    _refused_or_fine(lambda: load_digits(**kwargs), arg)


@FAST
@given(junk=JUNK, arg=st.sampled_from(["url", "known_hash", "cache_dir", "dtype"]))
def test_load_mnist_arguments_are_checked_before_any_download(junk, arg, tmp_path_factory):
    missing = tmp_path_factory.getbasetemp() / "no-such-mnist.pkl.gz"  # never downloads: a path is given
    kwargs = dict({"path": missing, "url": "https://example.org/m.pkl.gz", "known_hash": None}, **{arg: junk})
    _refused_or_fine(lambda: load_mnist(**kwargs), arg, allowed=(FileNotFoundError,))


SETTINGS_FIELDS = [f.name for f in dataclasses.fields(Settings)]


@FAST
@given(junk=JUNK, field=st.sampled_from(SETTINGS_FIELDS))
def test_playground_settings_fields(junk, field):
    _refused_or_fine(lambda: Settings(**{field: junk}), f"Settings.{field}")


@FAST
@given(junk=JUNK, arg=st.sampled_from(["net", "path"]))
def test_save_and_load_arguments(junk, arg, tmp_path_factory):
    folder = tmp_path_factory.mktemp("save")
    kwargs = dict({"net": _net(), "path": folder / "n.npz"}, **{arg: junk})
    with pytest.MonkeyPatch.context() as patch:  # a junk path that is a valid name is written there
        patch.chdir(folder)
        _refused_or_fine(lambda: nnlib.save(**kwargs), arg, allowed=(OSError,))
        if arg == "path":
            _refused_or_fine(lambda: nnlib.load(junk), "path", "load", allowed=(OSError,))


@FAST
@given(junk=JUNK, arg=st.sampled_from(["net", "X", "Y", "h"]))
def test_check_gradients_arguments(junk, arg):
    kwargs = dict({"net": _net(), "X": X2, "Y": Y1, "h": 1e-5}, **{arg: junk})
    _refused_or_fine(lambda: check_gradients(**kwargs), arg, allowed=(nnlib.UnsuitablePoint,))


@FAST
@given(junk=JUNK, arg=st.sampled_from(["net", "X", "Y", "lr_min", "lr_max", "steps", "batch_size", "smoothing", "rng"]))
def test_lr_range_test_arguments_and_the_network_is_never_changed(junk, arg):
    net = _net()
    before = net.get_params()
    kwargs = dict({"net": net, "X": X2, "Y": Y1, "steps": 3}, **{arg: junk})
    _refused_or_fine(lambda: lr_range_test(**kwargs), arg, "lr_max")
    assert _params_equal(net.get_params(), before)


@FAST
@given(junk=JUNK, arg=st.sampled_from(["net", "X", "tail", "every"]))
def test_activation_stats_and_norm_recorder_arguments(junk, arg):
    if arg == "every":
        _refused_or_fine(lambda: NormRecorder(every=junk), arg)
        return
    kwargs = dict({"net": _net(), "X": X2, "tail": 0.01}, **{arg: junk})
    _refused_or_fine(lambda: activation_stats(kwargs["net"], kwargs["X"], tail=kwargs["tail"]), arg)


_RUN_ARGS = {
    "bug": "none",
    "X": np.array([[0.1, 0.9], [0.8, 0.2], [0.2, 0.7], [0.9, 0.1]]),
    "y": np.array([0, 1, 0, 1]),
    "X_val": np.array([[0.1, 0.8], [0.7, 0.3]]),
    "y_val": np.array([0, 1]),
    "hidden": 3,
    "epochs": 1,
    "rng": 0,
}


@FAST
@given(junk=JUNK, arg=st.sampled_from(sorted(_RUN_ARGS)))
def test_buggy_run_arguments(junk, arg):
    kwargs = dict(_RUN_ARGS, **{arg: junk})
    _refused_or_fine(lambda: buggy_run(**kwargs), arg, "X and X_val", "y and y_val")


@FAST
@given(junk=JUNK, arg=st.sampled_from(["f", "p", "h"]))
def test_numerical_gradient_arguments(junk, arg):
    kwargs = dict({"f": lambda: 0.0, "p": np.zeros(2), "h": 1e-5}, **{arg: junk})
    _refused_or_fine(lambda: numerical_gradient(**kwargs), arg)


@FAST
@given(junk=JUNK, arg=st.sampled_from(["w", "b", "activation", "x"]))
def test_neuron_arguments(junk, arg):
    kwargs = dict({"w": [1.0, -1.0], "b": 0.5, "activation": "sigmoid"})
    if arg == "x":
        _refused_or_fine(lambda: Neuron(**kwargs)(junk), "x", "input", "features")
    else:
        _refused_or_fine(lambda: Neuron(**dict(kwargs, **{arg: junk})), arg, "bias")


@FAST
@given(junk=JUNK, arg=st.sampled_from(["patience", "monitor", "on_epoch_end", "A", "Y"]))
def test_callbacks_and_metrics_arguments(junk, arg):
    if arg in ("patience", "monitor"):
        _refused_or_fine(lambda: EarlyStopping(**{arg: junk}), arg)
    elif arg == "on_epoch_end":
        _refused_or_fine(lambda: LambdaCallback(junk), arg)
    else:
        kwargs = dict({"A": Y1, "Y": Y1}, **{arg: junk})
        _refused_or_fine(lambda: accuracy(kwargs["A"], kwargs["Y"]), arg)


# --- the examples of the issue, by name ---------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: Network(None), TypeError, "sizes must be a list of layer sizes"),
        (lambda: Network(2, 3, 1), TypeError, r"sizes must be a list.*Network\(\[2, \.\.\.\]\)"),
        (lambda: Network([2, 1], rng=-1), ValueError, "rng must be .* an int seed >= 0 or None, got -1"),
        (lambda: Network([2, 1], dtype="foo"), TypeError, "dtype must be float32 or float64, got 'foo'"),
        (lambda: _net().predict([[1, 2], [3]]), ValueError, "X must be an array of numbers.*rows of different"),
        (lambda: _net().fit(X2, Y1, callbacks=print), TypeError, r"callbacks must be a list.*callbacks=\[\.\.\.\]"),
        (lambda: _net().fit(X2, Y1, validation_data=5), TypeError, "validation_data must be a pair"),
        (lambda: _net().fit(X2, Y1, validation_data={1: 2, 3: 4}), TypeError, "validation_data must be a pair"),
        (lambda: _net().fit(X2, Y1, optimizer="sgd"), TypeError, "optimizer must be an optimiser such as"),
        (lambda: _net().set_params(None), TypeError, "set_params expected a list of arrays"),
        (lambda: SGD(lr="0.1"), TypeError, "learning rate lr must be a number, got '0.1'"),
        (lambda: one_hot([0, 1e300]), ValueError, "got label 1e[+]300 at index 1, which is out of range"),
        (lambda: Dense(n_in=2**40, n_out=1), ValueError, r"^Dense: n_in=1099511627776 and n_out=1 would need"),
        (lambda: Dense(2**20, 2**20, init="xavier"), ValueError, r"^Dense: n_in=1048576 and n_out=1048576 would"),
        (lambda: Network([3, 2**40, 1]), ValueError, r"^Network: sizes=\[3, 1099511627776, 1\] would need"),
        (lambda: _net().predict(np.zeros((0, 2))), ValueError, "expected X with at least one row"),
    ],
)
def test_the_examples_of_the_issue(call, error, message):
    with pytest.raises(error, match=message):
        call()
    assert math.isfinite(1.0)

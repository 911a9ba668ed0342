"""Tests of nnlib.data and of the script that builds the shipped digits subset."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import pickle
from pathlib import Path

import numpy as np
import pytest

import nnlib
from nnlib.data import (
    ALIASES,
    CLASSIFICATION_SETS,
    REGRESSION_SETS,
    Digits,
    MNISTUnavailable,
    load_digits,
    load_mnist,
    one_hot,
    playground,
    train_test_split,
)

ALL_SETS = CLASSIFICATION_SETS + REGRESSION_SETS
ROOT = Path(__file__).resolve().parents[1]


# --- playground ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_SETS)
@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_playground_shapes_dtypes_and_range(name, noise):
    X, y = playground(name, n=301, noise=noise, rng=1)
    assert X.shape == (301, 2) and y.shape == (301, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert np.isfinite(X).all() and np.abs(X).max() <= 6.0
    if name in CLASSIFICATION_SETS:
        assert set(np.unique(y)) == {0.0, 1.0}
        low = 0.4 if noise == 0 else 0.1  # noise moves labels (circle: inward ones)
        assert low < y.mean() < 1 - low
    else:
        assert np.abs(y).max() <= 1.0 and y.std() > 0.1


def test_noise_free_labels_follow_each_sets_rule():
    X, y = playground("circle", n=400, rng=2)
    np.testing.assert_array_equal(y[:, 0], np.hypot(X[:, 0], X[:, 1]) < 2.5)
    assert y.sum() == 200  # half inside, half in the ring
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y[:, 0] == 0].min() >= 3.5 and r.max() <= 5.0

    X, y = playground("xor", n=400, rng=2)
    np.testing.assert_array_equal(y[:, 0], X[:, 0] * X[:, 1] >= 0)
    assert np.abs(X).min() >= 0.3  # the gap along both axes

    X, y = playground("gaussian", n=400, rng=2)
    np.testing.assert_allclose(X[y[:, 0] == 1].mean(axis=0), [2, 2], atol=0.25)
    np.testing.assert_allclose(X[y[:, 0] == 0].mean(axis=0), [-2, -2], atol=0.25)

    X, y = playground("spiral", n=400, rng=2)
    np.testing.assert_allclose(
        np.sort(np.hypot(X[y[:, 0] == 1, 0], X[y[:, 0] == 1, 1])), 5 * np.arange(200) / 200
    )  # radius grows linearly along each arm
    np.testing.assert_allclose(
        np.sort(X[y[:, 0] == 0], axis=0), np.sort(-X[y[:, 0] == 1], axis=0), atol=1e-12
    )  # the two arms are point reflections

    X, y = playground("reg-plane", n=400, rng=2)
    np.testing.assert_allclose(y[:, 0], (X[:, 0] + X[:, 1]) / 12)

    X, y = playground("reg-gauss", n=2000, rng=2)
    near = np.hypot(X[:, 0] + 4, X[:, 1] - 2.5) < 0.5  # close to the positive bump at (-4, 2.5)
    assert near.any() and (y[near] > 0.7).all()
    centres = np.array([[-4, 2.5], [0, 2.5], [4, 2.5], [-4, -2.5], [0, -2.5], [4, -2.5]])
    far = np.linalg.norm(X[:, None, :] - centres, axis=2).min(axis=1) > 2  # outside every bump
    assert far.any() and (y[far] == 0).all()


@pytest.mark.parametrize("name", ["circle", "xor"])
def test_noise_flips_some_labels_near_the_boundary(name):
    rules = {"circle": lambda X: np.hypot(X[:, 0], X[:, 1]) < 2.5, "xor": lambda X: X[:, 0] * X[:, 1] >= 0}
    X, y = playground(name, n=500, noise=0.3, rng=3)
    wrong = (y[:, 0] == 1) != rules[name](X)
    assert 0 < wrong.mean() < 0.3


@pytest.mark.parametrize("name", ALL_SETS)
def test_same_seed_same_points_different_seed_different_points(name):
    X1, y1 = playground(name, n=100, noise=0.2, rng=7)
    X2, y2 = playground(name, n=100, noise=0.2, rng=np.random.default_rng(7))
    X3, _ = playground(name, n=100, noise=0.2, rng=8)
    assert X1.tobytes() == X2.tobytes() and y1.tobytes() == y2.tobytes()  # bit-identical
    assert not np.array_equal(X1, X3)


def test_rows_are_shuffled_not_grouped_by_class():
    _, y = playground("spiral", n=200, rng=0)
    assert 0 < y[:100].mean() < 1


def test_playground_aliases_give_the_same_data():
    X, y = playground("gaussian", n=50, rng=5)
    for alias in ("gauss", "two-gauss", "Two_Gauss"):
        Xa, ya = playground(alias, n=50, rng=5)
        assert np.array_equal(X, Xa) and np.array_equal(y, ya)
    assert all(target in ALL_SETS for target in ALIASES.values())


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown data set 'moons'") as info:
        playground("moons")
    for name in ALL_SETS:
        assert name in str(info.value)


@pytest.mark.parametrize("noise", [-0.1, 0.51, 1.0, float("nan")])
def test_noise_outside_0_to_half_is_refused(noise):
    with pytest.raises(ValueError, match="noise must be from 0 to 0.5"):
        playground("circle", noise=noise)


def test_noise_given_in_percent_gets_a_hint():
    with pytest.raises(ValueError, match=r"noise=0\.25"):
        playground("xor", noise=25)


@pytest.mark.parametrize("noise", ["0.1", None, True])
def test_noise_must_be_a_number(noise):
    with pytest.raises(TypeError, match="noise must be a number"):
        playground("xor", noise=noise)


@pytest.mark.parametrize("n", [0, -5, 2.5, True])
def test_n_must_be_a_positive_integer(n):
    with pytest.raises(ValueError, match="n must be a positive integer"):
        playground("spiral", n=n)


# --- train_test_split and one_hot ------------------------------------------------------


@pytest.mark.parametrize("fraction, n_test", [(0.5, 50), (0.2, 20), (0.25, 25)])
def test_split_sizes_no_overlap_and_rows_stay_paired(fraction, n_test):
    X = np.arange(200.0).reshape(100, 2)  # row i is (2i, 2i + 1)
    y = X[:, :1] / 2  # y_i = i, so pairs can be checked
    X_tr, y_tr, X_te, y_te = train_test_split(X, y, test_fraction=fraction, rng=0)
    assert X_te.shape == (n_test, 2) and X_tr.shape == (100 - n_test, 2)
    assert y_te.shape == (n_test, 1) and y_tr.shape == (100 - n_test, 1)
    ids_tr, ids_te = set(y_tr[:, 0]), set(y_te[:, 0])
    assert not ids_tr & ids_te and len(ids_tr | ids_te) == 100
    np.testing.assert_array_equal(X_tr[:, 0], 2 * y_tr[:, 0])
    np.testing.assert_array_equal(X_te[:, 0], 2 * y_te[:, 0])
    assert not np.array_equal(np.sort(y_te[:, 0]), np.arange(n_test))  # shuffled, not the first rows


def test_split_is_deterministic_with_a_seed():
    X, y = playground("xor", n=60, rng=0)
    a = train_test_split(X, y, rng=4)
    b = train_test_split(X, y, rng=4)
    c = train_test_split(X, y, rng=5)
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not np.array_equal(a[0], c[0])


def test_split_errors_say_what_was_expected():
    X, y = np.zeros((10, 2)), np.zeros(10)
    with pytest.raises(
        ValueError,
        match=r"expected X of shape \(n_samples, n_features\), "
        r"got array of shape \(10,\)",
    ):
        train_test_split(np.zeros(10), y)
    with pytest.raises(ValueError, match=r"expected y with 10 rows.*\(9,\)"):
        train_test_split(X, np.zeros(9))
    for bad in (0, 1, 1.5, -0.2):
        with pytest.raises(ValueError, match="test_fraction strictly between 0 and 1"):
            train_test_split(X, y, test_fraction=bad)
    with pytest.raises(ValueError, match="both must be at least 1"):
        train_test_split(X[:1], y[:1])


def test_one_hot_rows():
    Y = one_hot([2, 0, 1, 2])
    np.testing.assert_array_equal(Y, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert Y.dtype == np.float64
    assert one_hot(np.array([1]), n_classes=4).tolist() == [[0, 1, 0, 0]]
    _, y = playground("circle", n=20, rng=0)  # float labels of shape (n, 1)
    np.testing.assert_array_equal(one_hot(y, 2).argmax(axis=1), y[:, 0])


@pytest.mark.parametrize(
    "labels, n_classes, error, match",
    [
        ([0, 1.5, 2], None, ValueError, "integer class labels, got 1.5 at index 1"),
        ([0, np.nan], None, ValueError, "integer class labels, got nan at index 1"),
        (
            [0, 10, 3],
            10,
            ValueError,
            "label 10 at index 1 is out of range; with n_classes=10 the labels must be 0 to 9",
        ),
        ([1, -1], None, ValueError, "label -1 at index 1 is out of range"),
        (["a", "b"], None, TypeError, "integer class labels, got dtype <U1"),
        (np.zeros((3, 2)), None, ValueError, r"labels of shape \(n_samples,\), got array of shape \(3, 2\)"),
        ([0, 1], 0, ValueError, "positive integer n_classes, got 0"),
        ([], None, ValueError, "pass n_classes"),
    ],
)
def test_one_hot_errors(labels, n_classes, error, match):
    with pytest.raises(error, match=match):
        one_hot(labels, n_classes)


# --- the shipped digits ----------------------------------------------------------------


@pytest.fixture(scope="module")
def digits() -> Digits:
    return load_digits()


def test_digits_shapes_values_and_classes(digits):
    d = digits
    assert isinstance(d, Digits) and "train=15000" in repr(d)
    for X, y, n in ((d.X_train, d.y_train, 15000), (d.X_val, d.y_val, 2000), (d.X_test, d.y_test, 5000)):
        assert X.shape == (n, 784) and X.dtype == np.float64
        assert y.shape == (n,) and y.dtype.kind == "i"
        assert X.min() == 0.0 and 0.99 < X.max() < 1.0
        assert np.array_equal(X * 256, np.round(X * 256))  # stored as uint8 / 256
        np.testing.assert_array_equal(np.bincount(y), [n // 10] * 10)  # balanced, as the README says
    np.testing.assert_array_equal(d.Y_test.argmax(axis=1), d.y_test)
    assert d.Y_train.shape == (15000, 10)
    assert 0.10 < d.X_train.mean() < 0.16  # MNIST's mean pixel is 0.13
    assert len({row.tobytes() for row in d.X_train[:500]}) == 500  # real, distinct images


def test_load_digits_one_split_and_n_train(digits):
    d = digits
    X, y = load_digits("test")
    assert np.array_equal(X, d.X_test) and np.array_equal(y, d.y_test)
    X, y = load_digits("validation")
    assert np.array_equal(X, d.X_val)
    X, y = load_digits("train", n_train=100)
    assert np.array_equal(X, d.X_train[:100]) and np.array_equal(y, d.y_train[:100])
    small = load_digits(n_train=30, dtype=np.float32)
    assert small.X_train.shape == (30, 784) and small.X_train.dtype == np.float32
    np.testing.assert_array_equal(small.X_train, d.X_train[:30])  # k / 256 is exact in float32


def test_load_digits_errors():
    with pytest.raises(ValueError, match="unknown split 'dev'"):
        load_digits("dev")
    with pytest.raises(ValueError, match="only 15000 training images"):
        load_digits(n_train=20000)
    with pytest.raises(ValueError, match="n_train applies to the training images"):
        load_digits("test", n_train=10)
    with pytest.raises(ValueError, match="positive integer"):
        load_digits(n_train=0)
    with pytest.raises(TypeError, match="float32 or float64"):
        load_digits(dtype=np.int64)


def test_data_readme_credits_mnist():
    text = (ROOT / "nnlib" / "data" / "README.md").read_text()
    for credit in ("LeCun", "Cortes", "Burges", "CC BY-SA 3.0", "tools/make_digits.py"):
        assert credit in text


# --- the build script, on a small synthetic source -------------------------------------


def _make_digits_module():
    spec = importlib.util.spec_from_file_location("make_digits", ROOT / "tools" / "make_digits.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_mnist(rng, sizes=(60, 40, 30)):
    """Nielsen's layout: float32 pixels k / 256 and int64 labels, each digit present."""
    parts = []
    for n in sizes:
        X = (rng.integers(0, 256, (n, 784)) / 256).astype(np.float32)
        parts.append((X, np.arange(n) % 10))
    return tuple(parts)


def test_build_script_is_deterministic_balanced_and_traceable(monkeypatch):
    mk = _make_digits_module()
    monkeypatch.setattr(mk, "PER_CLASS", {"train": 4, "validation": 2, "test": 3})
    source = _fake_mnist(np.random.default_rng(0))
    a, b = mk.build(source), mk.build(source)
    assert mk.content_digest(a) == mk.content_digest(b)
    for split, key, per_class in (("train", "train", 4), ("validation", "val", 2), ("test", "test", 3)):
        X, y, idx = a[f"X_{key}"], a[f"y_{key}"], a[f"idx_{key}"]
        assert X.dtype == np.uint8 and y.dtype == np.uint8
        np.testing.assert_array_equal(np.bincount(y, minlength=10), [per_class] * 10)
        src_X, src_y = source[mk.SOURCE_PART[split]]
        np.testing.assert_array_equal(X / 256, src_X[idx])  # idx says where each image came from
        np.testing.assert_array_equal(y, src_y[idx])
    with pytest.raises(ValueError, match="k / 256"):
        mk.to_uint8(np.array([0.3]))


# --- full MNIST ------------------------------------------------------------------------


def _write_pickle(path, obj):
    with gzip.open(path, "wb") as f:
        pickle.dump(obj, f, protocol=2)
    return path


def test_load_mnist_offline_says_what_to_do(tmp_path):
    with pytest.raises(MNISTUnavailable) as info:
        load_mnist(url="http://127.0.0.1:9/mnist.pkl.gz", cache_dir=tmp_path)
    assert isinstance(info.value, OSError)
    message = str(info.value)
    for advice in ("http://127.0.0.1:9/mnist.pkl.gz", "Connect to the internet", "path=", "load_digits()"):
        assert advice in message


def test_load_mnist_reads_a_local_file_in_nielsens_layout(tmp_path):
    source = _fake_mnist(np.random.default_rng(1), sizes=(20, 10, 10))
    path = _write_pickle(tmp_path / "mnist.pkl.gz", source)
    d = load_mnist(path=path)
    assert (d.X_train.shape, d.X_val.shape, d.X_test.shape) == ((20, 784), (10, 784), (10, 784))
    assert d.X_train.dtype == np.float64 and d.y_test.dtype == np.int64
    np.testing.assert_array_equal(d.X_val, source[1][0])
    np.testing.assert_array_equal(d.y_test, source[2][1])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert load_mnist(path=path, known_hash=f"sha256:{digest}", dtype=np.float32).X_train.dtype == np.float32
    md5 = hashlib.md5(path.read_bytes()).hexdigest()
    load_mnist(path=path, known_hash=f"md5:{md5}")
    with pytest.raises(ValueError, match="expected 0000"):
        load_mnist(path=path, known_hash="sha256:" + "0" * 64)


def test_load_mnist_refuses_bad_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file at"):
        load_mnist(path=tmp_path / "missing.pkl.gz")
    (tmp_path / "plain.txt").write_text("not gzip")
    with pytest.raises(ValueError, match="not a gzipped pickle"):
        load_mnist(path=tmp_path / "plain.txt")
    X = np.zeros((5, 783), np.float32)
    bad_shape = _write_pickle(tmp_path / "shape.pkl.gz", ((X, np.zeros(5, int)),) * 3)
    with pytest.raises(ValueError, match=r"training part .*numbers of shape \(n, 784\)"):
        load_mnist(path=bad_shape)


def test_load_mnist_reads_pickles_written_by_older_numpy(tmp_path):
    """Nielsen's file was pickled by Python 2 and numpy 1.x, which named numpy.core.multiarray."""
    source = _fake_mnist(np.random.default_rng(2), sizes=(10, 10, 10))
    raw = pickle.dumps(source, protocol=2)
    assert b"numpy._core.multiarray\n_reconstruct" in raw  # how numpy 2 names it
    old_style = raw.replace(b"numpy._core.multiarray\n", b"numpy.core.multiarray\n")
    path = tmp_path / "old.pkl.gz"
    path.write_bytes(gzip.compress(old_style))
    np.testing.assert_array_equal(load_mnist(path=path).X_test, source[2][0])


class _Exploit:
    """A pickle that, when loaded by plain pickle.load, would create a file."""

    def __init__(self, target):
        self.target = str(target)

    def __reduce__(self):
        return (open, (self.target, "w"))


def test_load_mnist_never_runs_code_from_the_pickle(tmp_path):
    target = tmp_path / "pwned"
    path = _write_pickle(tmp_path / "evil.pkl.gz", (_Exploit(target), None, None))
    with pytest.raises(pickle.UnpicklingError, match="refuses to unpickle"):
        load_mnist(path=path)
    assert not target.exists()


# --- learning: the data sets are learnable with the book's settings --------------------


def test_sigmoid_network_learns_the_digits(digits):
    """Nielsen's chapter 1 network on 10,000 images, 8 epochs (about 1-3 s on 2 cores)."""
    X, Y = digits.X_train[:10000], digits.Y_train[:10000]
    net = nnlib.Network([784, 30, 10], activation="sigmoid", loss="quadratic", rng=0)
    nnlib.fit(net, X, Y, epochs=8, batch_size=10, lr=3.0, progress=False, rng=0)
    assert np.mean(net.classify(digits.X_test) == digits.y_test) >= 0.90


def test_playground_network_learns_the_circle():
    """The Playground's defaults: 2-4-2-1 tanh, lr 0.03, batch 10, half the points for testing.

    Like the Playground, the output unit is tanh and the targets are -1 / +1.
    """
    X, y = playground("circle", n=500, rng=0)
    X_tr, y_tr, X_te, y_te = train_test_split(X, 2 * y - 1, test_fraction=0.5, rng=0)
    net = nnlib.Network(
        [2, 4, 2, 1], activation="tanh", output_activation="tanh", loss="quadratic", init="xavier", rng=0
    )
    nnlib.fit(net, X_tr, y_tr, epochs=150, batch_size=10, lr=0.03, progress=False, rng=0)
    assert net.evaluate(X_te, y_te)["accuracy"] >= 0.95

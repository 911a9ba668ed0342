"""The network: backprop against finite differences, a worked SGD step, input errors,
reproducibility, training behaviour, and saving/loading."""

import pickle
import zlib

import numpy as np
import pytest

import nnlib
from nnlib import SGD, Network
from nnlib.gradcheck import check_gradients, numerical_gradient, relative_error

HIDDEN = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax", "step"]
# each loss with the output activations it makes sense with
LOSS_OUTPUTS = [
    ("quadratic", "identity"),
    ("quadratic", "sigmoid"),
    ("quadratic", "tanh"),
    ("quadratic", "relu"),
    ("quadratic", "leaky_relu"),
    ("quadratic", "softmax"),
    ("binary_cross_entropy", "sigmoid"),
    ("binary_cross_entropy", "softmax"),
    ("categorical_cross_entropy", "softmax"),
]
SHAPES = [[3, 2], [3, 5, 2], [3, 4, 3, 2]]


def _batch(sizes, loss, rng):
    X = rng.normal(size=(7, sizes[0]))
    labels = rng.integers(0, sizes[-1], size=7)
    Y = np.eye(sizes[-1])[labels] if loss != "quadratic" else rng.uniform(-1, 1, (7, sizes[-1]))
    return X + 0.01, Y  # + 0.01: keep ReLU inputs off their kink


@pytest.mark.parametrize("sizes", SHAPES, ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("loss,output", LOSS_OUTPUTS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_backprop_matches_numerical_gradient(hidden, loss, output, sizes):
    # a seed that is the same in every process (hash() of a str is not)
    rng = np.random.default_rng(zlib.crc32(f"{hidden}-{loss}-{output}-{len(sizes)}".encode()))
    net = Network(sizes, activation=hidden, output_activation=output, loss=loss, init="xavier", rng=rng)
    for layer in net.layers:  # non-zero biases so every term of BP3 is exercised
        layer.b[:] = rng.normal(scale=0.1, size=layer.b.shape)
    X, Y = _batch(sizes, loss, rng)
    assert check_gradients(net, X, Y) < 1e-6


def test_regularised_gradient_matches_numerical():
    rng = np.random.default_rng(3)
    net = Network([3, 4, 2], activation="tanh", rng=rng)
    X, Y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    opt = SGD(lr=0.1, l2=0.3)
    net.gradients(X, Y)
    for layer in net.layers:  # what step() adds before updating
        layer.dW += opt.l2 * layer.W
    W = net.layers[0].W
    numeric = numerical_gradient(lambda: net.loss(net.forward(X), Y) + opt.penalty(net.layers), W)
    assert relative_error(net.layers[0].dW, numeric) < 1e-6


def test_one_sgd_step_by_hand():
    """[2, 2, 1] sigmoid network, quadratic cost, x = (1, 0.5), y = 1, eta = 0.5.

    By hand: z1 = x W1 + b1 = (0.3, -0.1); a1 = sigma(z1) = (0.574443, 0.475021);
    z2 = a1 . W2 + b2 = 0.202209; a2 = 0.550381; C = 1/2 (a2 - 1)^2 = 0.101079.
    BP1: delta2 = (a2 - y) sigma'(z2) = (a2 - 1) a2 (1 - a2) = -0.111264.
    BP2: delta1_j = delta2 W2_j a1_j (1 - a1_j) = (-0.0135997, 0.0166479).
    BP3/BP4 and SGD: b <- b - eta delta, W <- W - eta a_prev^T delta.
    """
    net = Network([2, 2, 1], activation="sigmoid", loss="quadratic", rng=0)
    net.set_params(
        [np.array([[0.1, -0.2], [0.3, 0.4]]), np.array([0.05, -0.1]), np.array([[0.5], [-0.6]]), np.array([0.2])]
    )
    X, Y = np.array([[1.0, 0.5]]), np.array([[1.0]])
    assert net.loss_value(X, Y) == pytest.approx(0.10107878250052808, rel=1e-12)
    net.gradients(X, Y)
    SGD(lr=0.5).step(net.layers)
    W1, b1, W2, b2 = net.get_params()
    np.testing.assert_allclose(W2[:, 0], [0.5319572743316376, -0.5735737345779541], rtol=1e-12)
    np.testing.assert_allclose(b2, [0.25563180543983893], rtol=1e-12)
    np.testing.assert_allclose(
        W1, [[0.10679982861706555, -0.20832394360962106], [0.30339991430853275, 0.3958380281951895]], rtol=1e-12
    )
    np.testing.assert_allclose(b1, [0.05679982861706554, -0.10832394360962105], rtol=1e-12)


def test_neuron_and_gate():
    n = nnlib.Neuron(w=[1.0, 1.0], b=-1.5, activation="step")
    assert [n([a, b]) for a in (0, 1) for b in (0, 1)] == [0.0, 0.0, 0.0, 1.0]
    assert nnlib.Neuron(w=[2.0], b=0.0)([0.0]) == 0.5
    with pytest.raises(
        ValueError,
        match="Neuron with 2 weights expected input with 2 features, "
        r"got array of shape \(3,\)",
    ):
        n([1, 2, 3])


# --- bad input gets a clear message -------------------------------------------------


def test_error_messages_name_expected_and_received():
    net = Network([3, 4, 2], rng=0)
    with pytest.raises(ValueError, match=r"expected X of shape \(n_samples, 3\), got array of shape \(10, 5\)"):
        net.predict(np.zeros((10, 5)))
    with pytest.raises(
        ValueError,
        match=r"Dense\(3 -> 4, sigmoid\) expected input with 3 features, "
        r"got array of shape \(2, 5\)",
    ):
        net.layers[0].forward(np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"2 outputs, so Y must have shape \(10, 2\), got \(10,\).*one_hot"):
        net.fit(np.zeros((10, 3)), np.zeros(10), progress=False)
    X = np.ones((4, 3))
    X[2, 1] = np.nan
    with pytest.raises(ValueError, match=r"X contains NaN or inf \(first at row 2, column 1: nan\)"):
        net.fit(X, np.zeros((4, 2)), progress=False)
    with pytest.raises(TypeError, match="X must hold numbers, got dtype <U1"):
        net.predict(np.array([["a", "b", "c"]]))
    with pytest.raises(ValueError, match="learning rate lr must be a positive finite number, got -0.1"):
        net.fit(np.zeros((4, 3)), np.zeros((4, 2)), lr=-0.1, progress=False)
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        net.fit(np.zeros((4, 3)), np.zeros((4, 2)), batch_size=0, progress=False)
    with pytest.raises(ValueError, match="epochs must be a positive integer, got 2.5"):
        net.fit(np.zeros((4, 3)), np.zeros((4, 2)), epochs=2.5, progress=False)
    with pytest.raises(ValueError, match=r"sizes\[1\] must be a positive integer .* got 0"):
        Network([2, 0, 1])
    with pytest.raises(ValueError, match="unknown activation 'sigmod'"):
        Network([2, 1], activation="sigmod")
    with pytest.raises(ValueError, match="unknown loss 'l2'"):
        Network([2, 1], loss="l2")
    with pytest.raises(ValueError, match="unknown initializer 'zeros'"):
        Network([2, 1], init="zeros")


# --- training -----------------------------------------------------------------------


def _xor():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return X, np.array([[0], [1], [1], [0]], dtype=float)


def test_same_seed_gives_bit_identical_training():
    X, Y = _xor()
    runs = []
    for _ in range(2):
        net = Network([2, 3, 1], activation="tanh", rng=42)
        net.fit(X, Y, epochs=20, batch_size=2, lr=0.5, progress=False, rng=7)
        runs.append(net.get_params())
    for a, b in zip(*runs):
        np.testing.assert_array_equal(a, b)
    other = Network([2, 3, 1], activation="tanh", rng=42)
    other.fit(X, Y, epochs=20, batch_size=2, lr=0.5, progress=False, rng=8)
    assert not np.array_equal(other.get_params()[0], runs[0][0])


def test_fit_learns_xor_and_records_history():
    X, Y = _xor()
    net = Network([2, 4, 1], activation="tanh", loss="bce", init="xavier", rng=1)
    h = net.fit(
        X,
        Y,
        epochs=400,
        batch_size=4,
        optimizer=SGD(lr=0.5, momentum=0.9),
        validation_data=(X, Y),
        progress=False,
        rng=0,
    )
    assert len(h) == 400 and h.epoch[-1] == 400
    assert h["loss"][-1] < 0.1 * h["loss"][0]
    assert h.accuracy[-1] == 1.0 and h.val_accuracy[-1] == 1.0
    np.testing.assert_array_equal(net.classify(X), [0, 1, 1, 0])


def test_callbacks_see_every_batch_and_epoch_and_can_stop():
    X, Y = _xor()
    seen = {"batches": 0, "epochs": []}

    class Counter(nnlib.Callback):
        def on_batch_end(self, state):
            seen["batches"] += 1

        def on_epoch_end(self, state):
            seen["epochs"].append(state.epoch)
            if state.epoch == 2:
                state.stop = True

    h = Network([2, 2, 1], rng=0).fit(X, Y, epochs=10, batch_size=3, callbacks=[Counter()], progress=False, rng=0)
    assert seen == {"batches": 6, "epochs": [0, 1, 2]} and len(h) == 3
    calls = []
    Network([2, 2, 1], rng=0).fit(X, Y, epochs=2, callbacks=[lambda s: calls.append(s.epoch)], progress=False)
    assert calls == [0, 1]


def test_fit_without_train_metrics_trains_the_same_and_skips_the_training_set_pass():
    X, Y = _xor()
    runs = {}
    for flag in (True, False):
        net = Network([2, 3, 1], activation="tanh", rng=42)
        runs[flag] = (
            net.fit(
                X, Y, epochs=5, batch_size=2, lr=0.5, validation_data=(X, Y), train_metrics=flag, progress=False, rng=7
            ),
            net.get_params(),
        )
    (full, p_full), (lean, p_lean) = runs[True], runs[False]
    for a, b in zip(p_full, p_lean):
        np.testing.assert_array_equal(a, b)
    assert lean.epoch == full.epoch == [1, 2, 3, 4, 5]
    assert lean.loss == [] and lean.accuracy == [] and len(full.loss) == 5
    assert lean.val_loss == full.val_loss and lean.val_accuracy == full.val_accuracy


@pytest.mark.parametrize("n, batch_size, chunk_bytes", [(23, 4, 1), (23, 4, 100), (23, 5, 10**6), (7, 10, 1)])
def test_batches_are_the_shuffled_rows_in_order_whatever_the_chunking(n, batch_size, chunk_bytes):
    from nnlib.training import _batches

    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(n, 3)), rng.normal(size=(n, 2))
    order = rng.permutation(n)
    batches = list(_batches(X, Y, order, batch_size, chunk_bytes=chunk_bytes))
    assert [len(xb) for xb, _ in batches] == [min(batch_size, n - s) for s in range(0, n, batch_size)]
    np.testing.assert_array_equal(np.concatenate([xb for xb, _ in batches]), X[order])
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in batches]), Y[order])
    in_order = list(_batches(X, Y, None, batch_size))
    assert all(np.shares_memory(xb, X) for xb, _ in in_order)  # views, no copies
    np.testing.assert_array_equal(np.concatenate([xb for xb, _ in in_order]), X)


def test_tall_batches_use_the_transposed_product_with_the_same_result(monkeypatch):
    import nnlib.layers

    rng = np.random.default_rng(0)
    layer = nnlib.layers.Dense(5, 3, "sigmoid", rng=0)
    X = rng.normal(size=(40, 5))
    plain = layer.forward(X).copy()
    monkeypatch.setattr(nnlib.layers, "_BIG_PRODUCT", 1)  # every product is "big"
    np.testing.assert_allclose(layer.forward(X), plain, rtol=1e-14)
    np.testing.assert_allclose(layer.Z, X @ layer.W + layer.b, rtol=1e-14)


def test_divergence_is_caught_without_train_metrics_too():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2)) * 10
    Y = X @ np.array([[3.0], [-2.0]])
    net = Network([2, 8, 1], activation="relu", output_activation="identity", rng=0, init="he")
    with pytest.raises(nnlib.TrainingDiverged, match="learning rate 5"):
        net.fit(X, Y, epochs=50, batch_size=5, lr=5.0, train_metrics=False, progress=False, rng=0)
    assert all(np.isfinite(p).all() for p in net.get_params())


def test_divergence_stops_with_message_and_keeps_finite_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2)) * 10
    Y = X @ np.array([[3.0], [-2.0]])
    net = Network([2, 8, 1], activation="relu", output_activation="identity", rng=0, init="he")
    with pytest.raises(
        nnlib.TrainingDiverged,
        match=r"learning rate 5\b.*Try a smaller learning rate "
        r"\(e\.g\. 0\.5\).*keeps its last finite weights",
    ):
        net.fit(X, Y, epochs=50, batch_size=5, lr=5.0, progress=False, rng=0)
    assert all(np.isfinite(p).all() for p in net.get_params())


def test_early_stopping_restores_best_weights():
    rng = np.random.default_rng(0)
    X, Xv = rng.normal(size=(12, 2)), rng.normal(size=(40, 2))
    Y, Yv = (X[:, :1] > 0).astype(float), (Xv[:, :1] > 0).astype(float)
    net = Network([2, 30, 1], activation="relu", output_activation="sigmoid", loss="bce", init="he", rng=0)
    stopper = nnlib.EarlyStopping(patience=3)
    h = net.fit(
        X, Y, epochs=300, batch_size=4, lr=0.5, validation_data=(Xv, Yv), callbacks=[stopper], progress=False, rng=0
    )
    assert len(h) < 300
    assert net.loss_value(Xv, Yv) == pytest.approx(min(h.val_loss))


def test_momentum_reaches_lower_loss_than_plain_sgd():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(64, 3))
    Y = np.tanh(X @ rng.normal(size=(3, 1)))
    losses = {}
    for mu in (0.0, 0.9):
        net = Network([3, 8, 1], activation="tanh", output_activation="identity", init="xavier", rng=2)
        h = net.fit(X, Y, epochs=30, batch_size=16, optimizer=SGD(lr=0.02, momentum=mu), progress=False, rng=0)
        losses[mu] = h.loss[-1]
    assert losses[0.9] < 0.5 * losses[0.0]


def test_l1_and_l2_shrink_weights():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(40, 4)), rng.uniform(size=(40, 1))
    norms = {}
    for name, opt in {"none": SGD(lr=0.1), "l2": SGD(lr=0.1, l2=0.5), "l1": SGD(lr=0.1, l1=0.05)}.items():
        net = Network([4, 6, 1], init="xavier", rng=3)
        net.fit(X, Y, epochs=40, optimizer=opt, progress=False, rng=0)
        norms[name] = sum(np.abs(layer.W).sum() for layer in net.layers)
    assert norms["l2"] < 0.7 * norms["none"] and norms["l1"] < 0.7 * norms["none"]


def test_float32_saturated_cross_entropy_stays_finite():
    # sigmoid outputs of exactly 1.0 in float32: the loss must stay a number
    net = Network([1, 1], loss="bce", rng=0, dtype=np.float32)
    net.set_params([np.array([[50.0]]), np.array([0.0])])
    X, Y = np.array([[1.0], [2.0]]), np.array([[1.0], [1.0]])
    assert net.predict(X)[0, 0] == np.float32(1.0)
    assert np.isfinite(net.loss_value(X, Y))
    net.fit(X, Y, epochs=2, batch_size=1, lr=0.1, progress=False, rng=0)  # no TrainingDiverged


def test_training_overflow_raises_one_clear_error_without_warnings():
    import warnings

    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2)) * 10
    net = Network([2, 8, 1], activation="relu", output_activation="identity", rng=0, init="he")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(nnlib.TrainingDiverged):
            net.fit(X, X @ np.array([[3.0], [-2.0]]), epochs=50, batch_size=5, lr=5.0, progress=False, rng=0)


def test_float32_network_stays_float32():
    X, Y = _xor()
    net = Network([2, 3, 1], rng=0, dtype=np.float32)
    net.fit(X, Y, epochs=3, progress=False, rng=0)
    assert all(p.dtype == np.float32 for p in net.get_params())
    assert net.predict(X).dtype == np.float32


# --- saving and loading ---------------------------------------------------------------


def test_save_load_round_trip_gives_identical_predictions(tmp_path):
    net = Network([3, 5, 4], activation="relu", loss="cce", init="he", rng=9)
    X = np.random.default_rng(0).normal(size=(6, 3))
    path = tmp_path / "net.npz"
    nnlib.save(net, path)
    back = nnlib.load(path)
    np.testing.assert_array_equal(back.predict(X), net.predict(X))
    assert back.sizes == net.sizes and back.loss.name == "categorical_cross_entropy"
    assert [layer.activation.name for layer in back.layers] == ["relu", "softmax"]


def test_load_refuses_pickled_objects(tmp_path):
    path = tmp_path / "evil.npz"
    payload = np.empty(1, dtype=object)
    payload[0] = {"code": "anything"}
    np.savez(path, config=np.array("{}"), W0=payload)
    with pytest.raises(ValueError, match="refusing to load .*pickled Python object"):
        nnlib.load(path)
    plain = tmp_path / "plain.npz"
    np.savez(plain, W0=np.zeros(2))
    with pytest.raises(ValueError, match="not an nnlib network file"):
        nnlib.load(plain)
    raw = tmp_path / "raw.pkl"
    raw.write_bytes(pickle.dumps([1, 2]))
    with pytest.raises(ValueError):
        nnlib.load(raw)

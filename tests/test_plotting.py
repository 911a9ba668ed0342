"""Tests of nnlib.plot: style, curves, decision maps, digits and network diagrams (headless, Agg backend)."""

import io

import matplotlib

matplotlib.use("Agg", force=True)

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb, to_rgba  # noqa: E402

from nnlib import History, Network  # noqa: E402
from nnlib import plot as P  # noqa: E402
from nnlib.activations import sigmoid, sigmoid_prime  # noqa: E402


@pytest.fixture(autouse=True)
def _clean_matplotlib():
    """Every test starts from matplotlib's defaults and leaves no figure or style behind."""
    with matplotlib.rc_context():
        yield
    plt.close("all")


def _pixel_centres(image):
    """Data coordinates (x, y) of the centre of every pixel of an origin='lower' image."""
    ny, nx = image.get_array().shape[:2]
    left, right, bottom, top = image.get_extent()
    xs = left + (np.arange(nx) + 0.5) * (right - left) / nx
    ys = bottom + (np.arange(ny) + 0.5) * (top - bottom) / ny
    return np.meshgrid(xs, ys)


def _two_class_data(rng):
    X = rng.normal(size=(40, 2))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


# --- style and colours -------------------------------------------------------------
def test_style_file_has_opaque_white_backgrounds():
    rc = matplotlib.rc_params_from_file(P.STYLE_PATH, use_default_template=False)
    for key in ("savefig.facecolor", "figure.facecolor", "axes.facecolor"):
        assert to_rgba(rc[key]) == (1.0, 1.0, 1.0, 1.0), key
    assert rc["savefig.transparent"] is False


def test_use_style_saves_png_with_opaque_white_corners():
    P.use_style()
    assert to_rgba(plt.rcParams["savefig.facecolor"]) == (1.0, 1.0, 1.0, 1.0)
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    buf.seek(0)
    pixels = plt.imread(buf)  # (h, w, 4) RGBA in [0, 1]
    assert pixels.shape[2] == 4 and np.all(pixels[..., 3] == 1.0)  # no transparency anywhere
    assert np.allclose(pixels[0, 0, :3], 1.0) and np.allclose(pixels[-1, -1, :3], 1.0)


def test_style_context_manager_restores_previous_settings():
    plt.rcParams["axes.grid"] = False
    with P.style():
        assert plt.rcParams["axes.grid"] is True
        assert [to_rgb(c) for c in plt.rcParams["axes.prop_cycle"].by_key()["color"]] == [to_rgb(c) for c in P.PALETTE]
    assert plt.rcParams["axes.grid"] is False


def _simulate(color, kind):
    """sRGB of ``color`` as seen with full protanopia/deuteranopia/tritanopia (Machado et al. 2009)."""
    M = {
        "protan": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
        "deutan": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
        "tritan": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    }
    c = np.array(to_rgb(color))
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    out = np.clip(np.array(M[kind]) @ linear, 0, 1)
    return np.where(out <= 0.0031308, 12.92 * out, 1.055 * out ** (1 / 2.4) - 0.055)


def _min_distance_for_colour_blind(a, b):
    return min(np.linalg.norm(_simulate(a, k) - _simulate(b, k)) for k in ("protan", "deutan", "tritan"))


def test_palette_colours_differ_and_pairs_survive_colour_blindness():
    rgb = [np.array(to_rgb(c)) for c in P.PALETTE]
    assert min(np.linalg.norm(a - b) for i, a in enumerate(rgb) for b in rgb[i + 1 :]) > 0.2
    assert _min_distance_for_colour_blind("#D62728", "#2CA02C") < 0.2  # the check catches red vs green
    for a, b in [(P.CLASS_COLORS[0], P.CLASS_COLORS[1]), (P.POSITIVE, P.NEGATIVE), (P.ORANGE, P.BLUE)]:
        assert _min_distance_for_colour_blind(a, b) > 0.5, (a, b)
    assert (P.CLASS_COLORS[0], P.CLASS_COLORS[1]) == (P.ORANGE, P.BLUE)
    assert len(set(P.CLASS_MARKERS)) == len(P.CLASS_MARKERS)  # shapes differ too
    assert (P.POSITIVE, P.NEGATIVE) == (P.BLUE, P.VERMILLION)


# --- training history --------------------------------------------------------------
def test_plot_history_draws_training_and_validation_curves():
    h = History(
        epoch=[1, 2, 3],
        loss=[0.9, 0.5, 0.4],
        accuracy=[0.5, 0.7, 0.8],
        val_loss=[1.0, 0.6, 0.55],
        val_accuracy=[0.4, 0.65, 0.7],
    )
    axes = P.plot_history(h)
    assert len(axes) == 2
    for ax, metric in zip(axes, ("loss", "accuracy")):
        assert ax.get_title() and ax.get_xlabel() == "epoch" and ax.get_ylabel() == metric
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["training", "validation"]
        train, val = ax.get_lines()
        assert list(train.get_xdata()) == h.epoch
        assert list(train.get_ydata()) == h[metric] and list(val.get_ydata()) == h[f"val_{metric}"]


def test_plot_history_accepts_a_dict_and_skips_missing_curves():
    fig, ax = plt.subplots()
    axes = P.plot_history({"loss": [3.0, 2.0], "accuracy": [np.nan, np.nan]}, ax=ax, metrics="loss")
    assert axes == [ax] and len(ax.get_lines()) == 1  # no validation line
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [1, 2])
    (ax_acc,) = P.plot_history({"loss": [3.0, 2.0], "accuracy": [np.nan, np.nan]}, metrics=["accuracy"])
    assert not ax_acc.get_lines() and "no accuracy" in ax_acc.texts[0].get_text()  # regression


def test_plot_history_rejects_bad_input():
    with pytest.raises(ValueError, match="no metric 'acc'"):
        P.plot_history({"loss": [1.0]}, metrics=("loss", "acc"))
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="needs 2 Axes, got 1"):
        P.plot_history({"loss": [1.0], "accuracy": [0.5]}, ax=ax)


# --- decision maps ------------------------------------------------------------------
def test_decision_grid_matches_direct_predictions():
    net = Network([2, 5, 1], activation="tanh", rng=0)
    xx, yy, values = P.decision_grid(net, (-2, 1), (0, 3), resolution=(7, 5))
    assert xx.shape == yy.shape == values.shape == (5, 7)  # (ny, nx)
    assert xx[0, 0] == -2 and xx[0, -1] == 1 and yy[0, 0] == 0 and yy[-1, 0] == 3
    direct = net.predict(np.column_stack([xx.ravel(), yy.ravel()]))[:, 0]
    np.testing.assert_allclose(values.ravel(), direct)
    i, j = 3, 4  # one point by hand
    np.testing.assert_allclose(values[i, j], net.predict([[xx[i, j], yy[i, j]]])[0, 0])


def test_decision_grid_with_k_outputs_and_a_plain_function():
    xx, yy, values = P.decision_grid(lambda X: np.column_stack([X[:, 0], X[:, 1], X.sum(axis=1)]), (0, 1), (0, 1), 4)
    assert values.shape == (4, 4, 3)
    np.testing.assert_allclose(values[..., 2], xx + yy)
    with pytest.raises(ValueError, match="predict returned shape"):
        P.decision_grid(lambda X: X[:3], (0, 1), (0, 1), 4)


def test_plot_decision_boundary_pixels_are_the_network_outputs():
    rng = np.random.default_rng(1)
    X, y = _two_class_data(rng)
    X_test, y_test = _two_class_data(rng)
    net = Network([2, 4, 1], loss="binary_cross_entropy", rng=2)
    image = P.plot_decision_boundary(net, X, y, resolution=30, X_test=X_test, y_test=y_test)
    ax = image.axes
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    cx, cy = _pixel_centres(image)
    expected = net.predict(np.column_stack([cx.ravel(), cy.ravel()]))[:, 0].reshape(cx.shape)
    np.testing.assert_allclose(image.get_array(), expected)  # no flip, no half-pixel shift
    left, right, bottom, top = image.get_extent()
    pts = np.vstack([X, X_test])
    assert left < pts[:, 0].min() and right > pts[:, 0].max()
    assert bottom < pts[:, 1].min() and top > pts[:, 1].max()
    assert (image.norm.vmin, image.norm.vmax) == (0.0, 1.0)  # sigmoid output: threshold 0.5 is white
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["class 0", "class 1", "class 0 (test)", "class 1 (test)"]


def test_plot_decision_boundary_k_outputs_colours_the_winning_class():
    def predict(X):  # class 0 left of x=0, class 2 right; tie on x=0
        out = np.zeros((len(X), 3))
        out[:, 0], out[:, 2] = X[:, 0] < 0, X[:, 0] > 0
        return out

    fig, ax = plt.subplots()
    X = np.array([[-1.0, 0.0], [1.0, 1.0], [0.5, -1.0]])
    image = P.plot_decision_boundary(predict, X, np.eye(3)[[0, 2, 2]], ax=ax, resolution=21)
    rgb = image.get_array()
    assert rgb.shape == (21, 21, 3) and len(fig.axes) == 1  # RGB, and no colour bar
    cx, _ = _pixel_centres(image)
    for region, cls in ((cx < -0.1, 0), (cx > 0.1, 2)):
        tint, target = 1 - rgb[region], 1 - np.array(to_rgb(P.CLASS_COLORS[cls]))
        cosine = tint @ target / (np.linalg.norm(tint, axis=1) * np.linalg.norm(target))
        assert np.all(cosine > 0.999)  # a paler version of the class colour
    np.testing.assert_allclose(rgb[np.abs(cx) < 1e-9], 1.0)  # a tie is white


def test_plot_decision_boundary_regression_and_tanh_scales():
    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, size=(30, 2))
    image = P.plot_decision_boundary(lambda X: 5 * X[:, 0], X, 5 * X[:, 0], resolution=20)
    values = P.decision_grid(lambda X: 5 * X[:, 0], *_limits(image), (20, 20))[2]
    assert (image.norm.vmin, image.norm.vmax) == pytest.approx((values.min(), values.max()))
    assert image.axes.get_title() == "Network output" and len(image.figure.axes) == 2  # with colour bar
    tanh_net = Network([2, 3, 1], activation="tanh", rng=4)
    image = P.plot_decision_boundary(tanh_net, X, np.where(X[:, 0] > 0, 1, -1), resolution=10)
    assert (image.norm.vmin, image.norm.vmax) == (-1.0, 1.0)
    with pytest.raises(ValueError, match=r"shape \(n_samples, 2\)"):
        P.plot_decision_boundary(tanh_net, X[:, :1], X[:, 0])


def _limits(image):
    ny, nx = image.get_array().shape[:2]
    left, right, bottom, top = image.get_extent()
    dx, dy = (right - left) / nx, (top - bottom) / ny
    return (left + dx / 2, right - dx / 2), (bottom + dy / 2, top - dy / 2)


def test_decision_map_is_drawn_the_right_way_up():
    def predict(X):  # high output (blue) where y > 0
        return (X[:, 1:] > 0).astype(float)

    X = np.array([[-1.0, -1.0], [1.0, 1.0]])
    image = P.plot_decision_boundary(predict, X, [0, 1], resolution=40, colorbar=False)
    ax, fig = image.axes, image.figure
    ax.get_legend().remove()
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)
    for y_data, bluer in ((0.5, True), (-0.5, False)):
        x_px, y_px = ax.transData.transform((0.0, y_data))
        r, _, b = pixels[int(round(fig.bbox.height - y_px)), int(round(x_px))]
        assert (b > r) == bluer, (y_data, r, b)


def test_update_decision_map_changes_the_same_image_in_place():
    rng = np.random.default_rng(5)
    X, y = _two_class_data(rng)
    net = Network([2, 4, 1], rng=6)
    image = P.plot_decision_boundary(net, X, y, resolution=25)
    before = image.get_array().copy()
    other = Network([2, 4, 1], rng=7)
    values = P.update_decision_map(image, other)
    assert image in image.axes.images and len(image.axes.images) == 1
    cx, cy = _pixel_centres(image)
    expected = other.predict(np.column_stack([cx.ravel(), cy.ravel()]))[:, 0].reshape(cx.shape)
    np.testing.assert_allclose(image.get_array(), expected)
    np.testing.assert_allclose(values, expected)
    assert not np.allclose(before, expected)
    with pytest.raises(ValueError, match="output"):
        P.update_decision_map(image, Network([2, 3], rng=0))


# --- network diagrams --------------------------------------------------------------
def test_draw_network_caps_wide_layers():
    net = Network([784, 30, 10], rng=0)
    art = P.draw_network(net, max_neurons=16)
    assert len(art.neurons.get_offsets()) == 16 + 16 + 10
    assert len(art.lines.get_segments()) == 16 * 16 + 16 * 10
    assert art.shown[0][0] == 0 and art.shown[0][-1] == 783 and len(art.shown[2]) == 10
    assert len(art.ax.collections) == 1 + 1 + 2  # lines, neurons, two ellipses
    assert art.ax.get_title() and any("784" in t.get_text() for t in art.ax.texts)


def test_draw_network_widths_follow_weights_and_colours_follow_sign():
    W = [np.array([[0.5, -1.0, 2.0], [-0.25, 0.0, 1.0]]), np.array([[1.0], [-2.0], [0.5]])]
    art = P.draw_network(W, max_width=4.0)
    flat = np.concatenate([w.ravel() for w in W])  # row = input neuron, as drawn
    widths = np.asarray(art.lines.get_linewidths())
    np.testing.assert_allclose(widths, 4.0 * np.abs(flat) / 2.0)  # widest line = largest |w|
    colors = art.lines.get_colors()
    for c, w in zip(colors, flat):
        if w != 0:
            assert np.allclose(c[:3], to_rgb(P.POSITIVE if w > 0 else P.NEGATIVE))
    texts = [t.get_text() for t in art.ax.get_legend().get_texts()]
    assert texts == ["positive weight", "negative weight"]


def test_update_network_weights_restyles_lines_in_place():
    net = Network([3, 4, 2], rng=1)
    art = P.draw_network(net)
    lines, widths = art.lines, np.asarray(art.lines.get_linewidths()).copy()
    colors = art.lines.get_colors().copy()
    flipped = [-W for W in net.weights]
    assert P.update_network_weights(art, flipped) is lines and art.ax.collections[0] is lines
    np.testing.assert_allclose(lines.get_linewidths(), widths)  # same |w|, same widths
    assert np.allclose(
        lines.get_colors()[:, :3],
        np.where(
            np.all(np.isclose(colors[:, :3], to_rgb(P.POSITIVE)), axis=1)[:, None],
            to_rgb(P.NEGATIVE),
            to_rgb(P.POSITIVE),
        ),
    )  # every sign flipped
    P.update_network_weights(art, [W / 2 for W in net.weights])  # the scale stays fixed
    np.testing.assert_allclose(lines.get_linewidths(), widths / 2)
    with pytest.raises(ValueError, match=r"\[3, 4, 2\] network"):
        P.update_network_weights(art, Network([3, 5, 2], rng=0))


def test_draw_network_from_sizes_and_bad_weights():
    art = P.draw_network([2, 3, 1])
    assert len(art.lines.get_segments()) == 2 * 3 + 3 * 1 and art.ax.get_legend() is None
    with pytest.raises(ValueError, match="W1 needs 3 rows"):
        P.draw_network([np.ones((2, 3)), np.ones((4, 1))])


# --- the chapter helpers --------------------------------------------------------------
def test_plot_activation_draws_function_and_derivative():
    axes = P.plot_activation("sigmoid")
    assert len(axes) == 2
    (f_line,) = [line for line in axes[0].get_lines() if len(line.get_xdata()) > 2]
    (d_line,) = [line for line in axes[1].get_lines() if len(line.get_xdata()) > 2]
    np.testing.assert_allclose(f_line.get_ydata(), sigmoid(f_line.get_xdata()))
    np.testing.assert_allclose(d_line.get_ydata(), sigmoid_prime(d_line.get_xdata()))
    for ax in axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert len(P.plot_activation(np.sin)) == 1 and "sin" in plt.gcf().axes[0].get_title()
    with pytest.raises(ValueError, match="not elementwise"):
        P.plot_activation("softmax")


def test_show_digits_tiles_images_and_marks_wrong_predictions():
    rng = np.random.default_rng(8)
    images = rng.uniform(size=(12, 784))
    labels = rng.integers(0, 10, size=12)
    preds = labels.copy()
    preds[[2, 7]] = (labels[[2, 7]] + 1) % 10
    image = P.show_digits(images, labels, np.eye(10)[preds], ncols=5)
    mosaic = image.get_array()
    np.testing.assert_array_equal(mosaic[:28, :28], images[0].reshape(28, 28))
    texts = [t.get_text() for t in image.axes.texts]
    assert len(texts) == 12 and texts[0] == str(labels[0])
    assert texts[2] == f"{preds[2]} (true {labels[2]})" and sum("(true" in t for t in texts) == 2
    assert "2 of 12 wrong" in image.axes.get_title()


def test_plot_weight_images_shows_each_column_on_a_symmetric_scale():
    rng = np.random.default_rng(9)
    W = rng.normal(size=(784, 6))
    image = P.plot_weight_images(W)
    np.testing.assert_array_equal(image.get_array()[:28, :28], W[:, 0].reshape(28, 28))
    assert image.norm.vmin == -np.abs(W).max() and image.norm.vmax == np.abs(W).max()
    assert image.axes.get_title() and len(image.figure.axes) == 2  # with a colour bar
    net = Network([784, 3, 2], rng=0)
    net_image = P.plot_weight_images(net)
    np.testing.assert_array_equal(net_image.get_array()[:28, :28], net.weights[0][:, 0].reshape(28, 28))
    with pytest.raises(ValueError, match="square number of pixels"):
        P.plot_weight_images(np.ones((10, 3)))
    with pytest.raises(ValueError, match="square number of pixels"):
        P.show_digits(np.ones((28, 28)))


def test_confusion_matrix_counts_and_plot():
    rng = np.random.default_rng(10)
    y_true, y_pred = rng.integers(0, 4, size=50), rng.integers(0, 4, size=50)
    expected = np.zeros((4, 4), dtype=int)
    for t, p in zip(y_true, y_pred):
        expected[t, p] += 1
    np.testing.assert_array_equal(P.confusion_matrix(y_true, np.eye(4)[y_pred]), expected)
    image = P.plot_confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(image.get_array(), expected)
    ax = image.axes
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    assert f"{np.mean(y_true == y_pred):.1%}" in ax.get_title() and len(ax.texts) == 16
    rows = P.plot_confusion_matrix(y_true, y_pred, normalize=True).get_array()
    np.testing.assert_allclose(rows.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="confusion_matrix expected class labels"):
        P.confusion_matrix(y_true, y_pred + 0.5)


def test_functions_given_an_ax_draw_on_it_without_new_figures():
    rng = np.random.default_rng(11)
    X, y = _two_class_data(rng)
    fig, axes = plt.subplots(2, 4)
    axes = axes.ravel()
    n_figures = len(plt.get_fignums())
    P.plot_history({"loss": [1.0, 0.5]}, ax=axes[0], metrics="loss")
    P.plot_decision_boundary(Network([2, 3, 1], rng=0), X, y, ax=axes[1], resolution=10)
    P.draw_network([2, 3, 1], ax=axes[2])
    P.plot_activation("tanh", ax=axes[3:5])
    P.show_digits(rng.uniform(size=(3, 784)), ax=axes[5])
    P.plot_weight_images(rng.normal(size=(784, 2)), ax=axes[6])
    P.plot_confusion_matrix([0, 1, 1], [0, 1, 0], ax=axes[7])
    assert len(plt.get_fignums()) == n_figures
    assert all(ax.get_title() for ax in axes)

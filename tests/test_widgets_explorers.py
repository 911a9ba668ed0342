"""nnlib.widgets.explorers: the chapter explorers' arguments, the state their front ends get,
and the numbers those front ends (plain ES modules in nnlib/widgets/static/) must reproduce.

The JavaScript is run by Node on the same inputs as nnlib (skipped without ``node``); the
browser side, on the built website, is in tests/browser/test_widgets_site.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest

import nnlib
from nnlib.widgets import ActivationExplorer, LossSurfaceExplorer, NeuronExplorer
from nnlib.widgets.esm import STATIC
from nnlib.widgets.explorers import descent_path, mean_cost

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="the JavaScript side needs Node.js (apt-get install nodejs)")


def run_js(body: str, data: object) -> object:
    """Run an ES-module snippet in Node with ``data`` as the constant DATA; it prints JSON."""
    imports = "\n".join(
        f'import * as {name} from "{(STATIC / f"{name}.js").as_uri()}";'
        for name in ("chart", "neuron", "activation", "loss_surface")
    )
    script = f"{imports}\nconst DATA = JSON.parse(process.argv[1]);\n{body}\n"
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", script, json.dumps(data)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --- arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: NeuronExplorer(w1="1"), TypeError, "NeuronExplorer: w1 must be a number, got str '1'"),
        (lambda: NeuronExplorer(w2=True), TypeError, "w2 must be a number, got bool"),
        (lambda: NeuronExplorer(b=float("nan")), ValueError, "b must be a finite number, got nan"),
        (lambda: NeuronExplorer(w1=3.5), ValueError, "w1 must be a value of its slider, from -3 to 3 in steps of 0.25"),
        (lambda: NeuronExplorer(w1=1.1), ValueError, "got 1.1"),
        (lambda: NeuronExplorer(limit=0), ValueError, "limit must be positive, got 0"),
        (lambda: NeuronExplorer(slider_range=(3, -3, 0.25)), ValueError, "slider_range must have min < max"),
        (lambda: NeuronExplorer(slider_range=(-3, 3)), TypeError, "slider_range must be a tuple (min, max, step)"),
        (lambda: NeuronExplorer(slider_range=(-3, 3, 0.7)), ValueError, "whole number of steps"),
        (lambda: ActivationExplorer("softmax"), ValueError, "must be one of sigmoid, tanh, relu, got 'softmax'"),
        (lambda: ActivationExplorer("sigmod"), ValueError, "unknown activation 'sigmod'; valid names are"),
        (lambda: ActivationExplorer(3), TypeError, "ActivationExplorer: activation must be a name (str)"),
        (lambda: ActivationExplorer(z0=6.5), ValueError, "z0 must be a value of its slider, from -6 to 6"),
        (lambda: LossSurfaceExplorer(x=[1.0, 2.0], y=[0.0]), ValueError, "the same length, got 2 and 1"),
        (lambda: LossSurfaceExplorer(x=[], y=[]), ValueError, "x must be a non-empty 1-D array, got shape (0,)"),
        (lambda: LossSurfaceExplorer(x=[[1.0]], y=[[0.0]]), ValueError, "1-D array, got shape (1, 1)"),
        (lambda: LossSurfaceExplorer(x=["a"], y=[0.0]), TypeError, "x must be a 1-D array of numbers"),
        (lambda: LossSurfaceExplorer(x=[np.inf], y=[0.0]), ValueError, "x must hold finite numbers only"),
        (lambda: LossSurfaceExplorer(y=[2.0]), ValueError, "the targets y must lie in [0, 1]"),
        (lambda: LossSurfaceExplorer(w0=5.1), ValueError, "w0 must be a value of its slider, from -1 to 5"),
        (lambda: LossSurfaceExplorer(eta=0), ValueError, "eta and eta_choices must be positive"),
        (lambda: LossSurfaceExplorer(eta="fast"), TypeError, "eta must be a number, got str"),
        (lambda: LossSurfaceExplorer(steps=2.5), TypeError, "steps must be a whole number (int), got float"),
        (lambda: LossSurfaceExplorer(steps=0), ValueError, "steps must be from 1 to 5000, got 0"),
        (lambda: LossSurfaceExplorer(w_range=(1, -1)), ValueError, "w_range must have low < high"),
        (lambda: LossSurfaceExplorer(eta_choices=[]), TypeError, "eta_choices must be a non-empty list"),
        (lambda: LossSurfaceExplorer(x=np.zeros(1001), y=np.zeros(1001)), ValueError, "at most 1000 examples"),
        (lambda: descent_path("mse", [1.0], [0.0], 2, 2, 0.15, 10), ValueError, "loss must be one of quadratic"),
        (lambda: descent_path("quadratic", [1.0], [0.0], 2, 2, -0.1, 10), ValueError, "eta must be positive"),
        (lambda: descent_path("quadratic", [1.0], [0.0], 2, 2, 0.1, -1), ValueError, "steps must be >= 0"),
        (lambda: mean_cost("quadratic", [1.0], [0.0], "w", 0.0), TypeError, "mean_cost: w must be a number"),
    ],
)
def test_bad_arguments_are_refused_with_a_message_naming_them(make, error, message):
    with pytest.raises(error) as info:
        make()
    assert message in str(info.value)


def test_setting_an_attribute_is_checked_and_a_refused_value_changes_nothing():
    neuron = NeuronExplorer()
    with pytest.raises(ValueError, match=r"NeuronExplorer: w2 must be a value of its slider.*got 9"):
        neuron.w2 = 9.0
    assert neuron.w2 == 2.0
    neuron.w2 = -0.75
    assert neuron.w2 == -0.75
    activation = ActivationExplorer()
    with pytest.raises(ValueError, match="activation must be one of sigmoid, tanh, relu, got 'step'"):
        activation.activation = "step"
    activation.activation = "logistic"  # nnlib's alias
    assert activation.activation == "sigmoid"
    loss = LossSurfaceExplorer()
    with pytest.raises(ValueError, match=r"eta must be one of \[0.01, .*\], got 0.4"):
        loss.eta = 0.4
    loss.eta = 1.0
    assert loss.eta == 1.0


# --- the state the front end gets -----------------------------------------------------------


def test_each_explorer_ships_its_front_end_and_starts_where_its_chapter_says():
    cases = [
        (NeuronExplorer(w1=1.0, w2=2.0, b=-1.0), "neuron.js", {"w1": 1.0, "w2": 2.0, "b": -1.0, "limit": 3.0}),
        (ActivationExplorer("sigmoid", z0=1.0), "activation.js", {"activation": "sigmoid", "z0": 1.0}),
        (
            LossSurfaceExplorer(x=[1.0], y=[0.0], w0=2.0, b0=2.0, eta=0.15, steps=300),
            "loss_surface.js",
            {"x": [1.0], "y": [0.0], "w0": 2.0, "b0": 2.0, "eta": 0.15, "steps": 300},
        ),
    ]
    for widget, module, expected in cases:
        state = widget.get_state()
        assert state["_model_module"] == "anywidget" and state["_view_name"] == "AnyView"
        esm = state["_esm"]
        assert esm.startswith(f"// {module.split('.')[0]}.js: the front end of nnlib.widgets.")
        assert 'from "./' not in esm, "relative imports must be inlined (nnlib.widgets.esm.bundle)"
        assert "export function setupCanvas" in esm and "export class Axes" in esm  # ui.js and chart.js
        assert "export default { render: guarded(" in esm
        assert {k: state[k] for k in expected} == expected
        json.dumps(state)  # what the saved notebook and the website keep: plain JSON


def test_the_loss_explorer_keeps_its_data_and_adds_its_learning_rate_to_the_choices():
    x = np.linspace(-1.0, 1.0, 5)
    explorer = LossSurfaceExplorer(x=x, y=(x > 0).astype(float), eta=0.4)
    state = explorer.get_state()
    assert state["x"] == x.tolist() and state["y"] == [0.0, 0.0, 0.0, 1.0, 1.0]
    assert 0.4 in state["eta_choices"] and state["eta_choices"] == sorted(state["eta_choices"])
    assert list(state["w_range"]) == [-4.5, 5.5] and list(state["b_range"]) == [-4.5, 5.5]


# --- the numbers -------------------------------------------------------------------------------


def train_neuron(loss, w, b, x=1.0, y=0.0, eta=0.15, epochs=300):
    """The losses chapter's train_neuron (book/losses/losses.ipynb), as the learner reads it."""
    outputs, params = [], [(w, b)]
    for _ in range(epochs):
        z = w * x + b
        a = nnlib.activations.sigmoid(z)
        dC_dz = (a - y) * nnlib.activations.sigmoid_prime(z) if loss == "quadratic" else a - y
        w = w - eta * dC_dz * x
        b = b - eta * dC_dz
        outputs.append(a)
        params.append((w, b))
    return np.array(outputs), np.array(params)


def test_descent_path_is_the_chapters_train_neuron_for_one_example():
    for loss in ("quadratic", "cross_entropy"):
        for w0, b0, eta in [(2.0, 2.0, 0.15), (0.6, 0.9, 0.15), (3.0, 3.0, 1.0), (-1.0, 5.0, 3.0)]:
            outputs, params = train_neuron(loss, w0, b0, eta=eta)
            path = descent_path(loss, [1.0], [0.0], w0, b0, eta, 300)
            np.testing.assert_array_equal(path, params)  # the same operations: bit for bit
            np.testing.assert_array_equal(nnlib.activations.sigmoid(path[:-1].sum(axis=1)), outputs)


def test_descent_path_is_the_chapters_descend_on_the_40_examples():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(-1.0, 0.6, 20), rng.normal(1.0, 0.6, 20)])
    y = np.concatenate([np.zeros(20), np.ones(20)])
    for loss in ("quadratic", "cross_entropy"):
        w, b, expected = -4.0, 5.0, [(-4.0, 5.0)]
        for _ in range(300):  # the chapter's descend(loss, -4.0, 5.0)
            z = w * x + b
            a = nnlib.activations.sigmoid(z)
            delta = (a - y) * nnlib.activations.sigmoid_prime(z) if loss == "quadratic" else a - y
            w, b = w - 1.0 * np.mean(delta * x), b - 1.0 * np.mean(delta)
            expected.append((w, b))
        np.testing.assert_array_equal(descent_path(loss, x, y, -4.0, 5.0, 1.0, 300), expected)


def test_the_quadratic_plateau_the_chapter_describes():
    # from w = b = 2 (a = 0.982) the quadratic cost hardly moves for a hundred epochs; cross-entropy does
    quad = descent_path("quadratic", [1.0], [0.0], 2.0, 2.0, 0.15, 300)
    cross = descent_path("cross_entropy", [1.0], [0.0], 2.0, 2.0, 0.15, 300)
    a = lambda path, k: float(nnlib.activations.sigmoid(path[k].sum()))  # noqa: E731
    assert a(quad, 0) == pytest.approx(0.982, abs=1e-3)
    assert a(quad, 100) > 0.9 and a(cross, 100) < 0.5


def test_mean_cost_is_nnlibs_loss():
    x, y = np.array([-1.0, 0.5, 2.0]), np.array([0.0, 1.0, 1.0])
    a = nnlib.activations.sigmoid(0.7 * x - 0.2)[:, None]
    assert mean_cost("quadratic", x, y, 0.7, -0.2) == nnlib.losses.quadratic(a, y[:, None])
    assert mean_cost("cross_entropy", x, y, 0.7, -0.2) == nnlib.losses.binary_cross_entropy(a, y[:, None])


@needs_node
def test_the_js_activations_are_nnlibs():
    z = np.concatenate([np.linspace(-40, 40, 4001), [0.0, -0.0, 1e-300, -1e-300, 709.8, -1000.0, 1000.0]])
    got = run_js(
        "const out = {};"
        "for (const [name, act] of Object.entries(activation.ACTIVATIONS))"
        "  out[name] = { f: DATA.map(act.f), prime: DATA.map(act.prime) };"
        "console.log(JSON.stringify(out));",
        z.tolist(),
    )
    assert sorted(got) == ["relu", "sigmoid", "tanh"]
    for name, values in got.items():
        act = nnlib.get_activation(name)
        # the formulas are nnlib's, operation for operation; Math.tanh and NumPy's tanh may differ
        # in the last bit, so sigmoid and tanh agree to within a couple of units in the last place
        np.testing.assert_allclose(values["f"], act(z), rtol=0, atol=4.5e-16)
        np.testing.assert_allclose(values["prime"], act.prime(z), rtol=0, atol=4.5e-16)
    np.testing.assert_array_equal(got["relu"]["prime"], nnlib.activations.relu_prime(z))  # relu'(0) = 0
    np.testing.assert_array_equal(got["relu"]["f"], nnlib.activations.relu(z))


@needs_node
def test_the_js_descent_is_nnlibs():
    rng = np.random.default_rng(0)
    x40 = np.concatenate([rng.normal(-1.0, 0.6, 20), rng.normal(1.0, 0.6, 20)])
    y40 = np.concatenate([np.zeros(20), np.ones(20)])
    problems = [
        ([1.0], [0.0], 2.0, 2.0, 0.15, 300),  # the losses chapter's explorer, as it starts
        ([1.0], [0.0], 0.6, 0.9, 0.15, 300),
        ([1.0], [0.0], -1.0, 5.0, 3.0, 300),
        (x40.tolist(), y40.tolist(), -4.0, 5.0, 1.0, 300),  # the chapter's loss-surface data
        (rng.normal(size=200).tolist(), rng.uniform(size=200).tolist(), 1.0, -1.0, 0.5, 100),  # > 128: recursion
    ]
    runs = [{"loss": loss, "args": p} for p in problems for loss in ("quadratic", "cross_entropy")]
    got = run_js(
        "console.log(JSON.stringify(DATA.map(({ loss, args }) => {"
        "  const p = loss_surface.descend(loss, ...args);"
        "  return { w: Array.from(p.w), b: Array.from(p.b),"
        "           cost: loss_surface.cost(loss, args[0], args[1], args[2], args[3]) }; })));",
        runs,
    )
    worst = 0.0
    for run, result in zip(runs, got):
        x, y, w0, b0, eta, steps = run["args"]
        path = descent_path(run["loss"], x, y, w0, b0, eta, steps)
        js = np.column_stack([result["w"], result["b"]])
        worst = max(worst, float(np.max(np.abs(js - path))))
        np.testing.assert_allclose(js, path, rtol=0, atol=1e-12, err_msg=f"{run['loss']} {run['args'][2:]}")
        assert result["cost"] == pytest.approx(mean_cost(run["loss"], x, y, w0, b0), rel=1e-14, abs=1e-300)
    assert worst < 1e-12


@needs_node
def test_the_js_mean_sums_as_numpy_does():
    rng = np.random.default_rng(2)
    sizes = [1, 3, 7, 8, 9, 40, 128, 129, 300, 1000]  # the loop, 8 accumulators, and halving above 128
    arrays = [(rng.normal(size=n) * 10.0 ** rng.integers(-6, 6, size=n)).tolist() for n in sizes]
    got = run_js("console.log(JSON.stringify(DATA.map(loss_surface.mean)));", arrays)
    assert got == [float(np.mean(a)) for a in arrays]  # bit for bit


@needs_node
def test_the_js_numbers_are_written_as_python_writes_them():
    values = [0.19661193324148185, 1.0, 2.2e-05, 123.4, 1234.5, -0.5, 0.99996, -2.205019, 0.0, 1e-300, 5e7]
    got = run_js("console.log(JSON.stringify(DATA.map((v) => chart.formatG(v, 3))));", values)
    assert [g.replace("\u2212", "-") for g in got] == [format(v, ".3g") for v in values]
    sliders = [-3.0, -0.25, 0.15, 0.6000000000000001, 2.0, 0.01]
    got = run_js("console.log(JSON.stringify(DATA.map(chart.formatValue)));", sliders)
    assert [g.replace("\u2212", "-") for g in got] == [format(v, "g") for v in sliders]


@needs_node
def test_the_neuron_readout_and_line_are_the_pictures():
    got = run_js(
        "console.log(JSON.stringify(DATA.map(([w1, w2, b]) => ["
        "  neuron.describe(w1, w2, b, 3), neuron.decisionSegment(w1, w2, b, 3)])));",
        [[1.0, 2.0, -1.0], [0.0, 0.0, -1.0], [1.0, 0.0, 3.0], [1.0, 1.0, -9.0]],
    )
    text, segment = got[0]
    assert text.startswith("w = (1, 2), b = \u22121: z = 1 x\u2081 + 2 x\u2082 \u2212 1.")
    assert "distance |b| / \u2016w\u2016 = 0.447" in text  # 1 / sqrt(5)
    for x1, x2 in segment:  # both ends lie on w1 x1 + w2 x2 + b = 0, on the square's edge
        assert x1 + 2 * x2 - 1 == pytest.approx(0, abs=1e-12) and max(abs(x1), abs(x2)) == pytest.approx(3)
    assert "\u03c3(\u22121) = 0.269 everywhere" in got[1][0] and got[1][1] is None
    assert sorted(got[2][1]) == [[-3.0, -3.0], [-3.0, 3.0]]  # x1 = -3: the left edge
    assert "outside the square" not in got[2][0]
    assert got[3][1] is None and "outside the square" in got[3][0]  # |b| / |w| = 6.4 > 3 * sqrt(2)

"""The playground, driven from Python: settings, TF Playground URLs, training, buttons."""

from __future__ import annotations

import asyncio
import base64
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from nnlib.widgets.playground.features import FEATURES, feature_matrix  # noqa: E402
from nnlib.widgets.playground.settings import Settings, SettingsWarning, load_settings  # noqa: E402
from nnlib.widgets.playground.trainer import Trainer  # noqa: E402

pytest.importorskip("ipywidgets")
from nnlib.widgets.playground import Playground  # noqa: E402

EXAMPLE_URL = (
    "https://playground.tensorflow.org/#activation=tanh&batchSize=10&dataset=circle"
    "&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2"
    "&seed=0.72031&showTestData=false&discretize=false&percTrainData=50&x=true&y=true"
    "&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false"
    "&collectStats=false&problem=classification&initZero=false&hideText=false"
)
CHAPTER = Path(__file__).resolve().parents[1] / "book" / "playground" / "playground.ipynb"


def warnings_of(fn, *args):
    """Call fn(*args); return its result and the messages of the SettingsWarnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn(*args)
    return result, [str(w.message) for w in caught if issubclass(w.category, SettingsWarning)]


def params(net):
    return net.get_params()


def same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b))


# --- features and settings --------------------------------------------------------------
def test_feature_matrix_computes_each_named_feature():
    X = np.array([[0.5, -2.0], [3.0, 1.0]])
    F = feature_matrix(X, list(FEATURES))
    x1, x2 = X[:, 0], X[:, 1]
    expected = np.column_stack([x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2), np.cos(x1), np.cos(x2)])
    np.testing.assert_allclose(F, expected)
    assert feature_matrix(X, ["x2^2", "x1"]).tolist() == [[4.0, 0.5], [1.0, 3.0]]
    with pytest.raises(ValueError, match="tan"):
        feature_matrix(X, ["tan(x1)"])


@pytest.mark.parametrize(
    "bad, field",
    [
        (dict(hidden=(4, 0)), "hidden"),
        (dict(learning_rate=-0.1), "learning_rate"),
        (dict(dataset="moons"), "dataset"),
        (dict(features=()), "features"),
        (dict(hidden=(2,) * 7), "hidden"),
        (dict(noise=80), "noise"),
    ],
)
def test_bad_settings_raise_a_message_naming_the_field(bad, field):
    with pytest.raises(ValueError, match=f"Settings.{field}"):
        Settings(**bad)


def test_settings_string_round_trip():
    s = Settings(
        dataset="spiral",
        noise=15,
        train_percent=70,
        seed=12,
        features=("x1", "cos(x2)", "x1*x2"),
        hidden=(8, 1, 3),
        activation="relu",
        learning_rate=0.003,
        batch_size=25,
        regularization="L2",
        regularization_rate=0.001,
        show_test_data=True,
        discretize=True,
    )
    text = s.to_string()
    assert Settings.from_string(text) == s
    assert load_settings(text) == s
    assert Settings.from_string("dataset=xor;hidden=") == Settings(dataset="xor", hidden=())


def test_tf_url_round_trip():
    s = Settings(
        dataset="reg-gauss",
        noise=5,
        train_percent=30,
        seed=4321,
        features=("sin(x1)", "cos(x1)", "x2^2"),
        hidden=(3,),
        activation="sigmoid",
        learning_rate=0.1,
        batch_size=3,
        regularization="L1",
        regularization_rate=0.01,
        init_zero=True,
    )
    url = s.to_tf_url()
    assert url.startswith("https://playground.tensorflow.org/#")
    assert "problem=regression" in url and "regDataset=reg-gauss" in url
    again, notes = warnings_of(Settings.from_tf_url, url)
    assert again == s and notes == []


def test_example_url_reproduces_its_setup():
    s, notes = warnings_of(Settings.from_tf_url, EXAMPLE_URL)
    assert notes == []
    assert (s.activation, s.batch_size, s.learning_rate, s.hidden) == ("tanh", 10, 0.03, (4, 2))
    assert (s.features, s.train_percent, s.noise, s.dataset) == (("x1", "x2"), 50, 0, "circle")
    assert (s.problem, s.regularization, s.show_test_data, s.seed) == ("classification", "none", False, 72031)
    core = Trainer(s)
    assert core.net.sizes == [2, 4, 2, 1]
    assert [layer.activation.name for layer in core.net.layers] == ["tanh", "tanh", "tanh"]
    assert len(core.X_train) == len(core.X_test) == 250
    assert set(np.unique(core.y_train)) == {-1.0, 1.0}  # tanh output, targets -1 / +1


def test_tf_url_unknown_and_malformed_parameters_are_named_not_fatal():
    url = EXAMPLE_URL.replace("learningRate=0.03", "learningRate=fast").replace("networkShape=4,2", "networkShape=4,0")
    s, notes = warnings_of(Settings.from_tf_url, url + "&frobnicate=1&dataset=moons&cosX=true")
    text = " ".join(notes)
    for name in ("frobnicate", "learningRate='fast'", "networkShape='4,0'", "moons"):
        assert name in text
    assert s.learning_rate == Settings().learning_rate and s.hidden == Settings().hidden
    assert s.dataset == "circle" and "cos(x1)" in s.features


def test_garbage_settings_string_loads_defaults_with_messages():
    s, notes = warnings_of(Settings.from_string, "colour=red;hidden=two;learning_rate=-3")
    assert s == Settings()
    assert any("colour" in n for n in notes) and any("hidden" in n for n in notes)
    assert any("learning_rate" in n for n in notes)


# --- the core -------------------------------------------------------------------------------
def test_loss_decreases_on_circle():
    core = Trainer(Settings(dataset="circle", hidden=(4,), learning_rate=0.1))
    start = core.train_loss
    core.step(30)
    assert core.epoch == 30 and len(core.history["train_loss"]) == 31
    assert core.train_loss < 0.5 * start and core.test_loss < 0.5 * start


def test_reset_restores_the_seeds_initial_network_and_replays_the_run():
    s = Settings(seed=5)
    core = Trainer(s)
    fresh = params(core.net)
    core.step(5)
    losses = list(core.history["train_loss"])
    assert not same(params(core.net), fresh)
    core.reset()
    assert core.epoch == 0 and same(params(core.net), fresh)
    assert same(params(Trainer(s).net), fresh)  # the same seed, the same weights
    core.step(5)
    assert core.history["train_loss"] == losses
    other = Trainer(s.replace(seed=6))
    assert not same(params(other.net), fresh) and not np.array_equal(other.X_train, core.X_train)


def test_changing_the_learning_rate_keeps_the_network_and_takes_effect():
    core = Trainer(Settings())
    core.step(3)
    before = params(core.net)
    assert core.apply(core.settings.replace(learning_rate=1e-9)) == "optimizer"
    assert core.epoch == 3 and same(params(core.net), before)
    core.step(1)
    tiny = max(np.abs(a - b).max() for a, b in zip(params(core.net), before))
    assert tiny < 1e-6
    core.apply(core.settings.replace(learning_rate=0.3))
    before = params(core.net)
    core.step(1)
    assert max(np.abs(a - b).max() for a, b in zip(params(core.net), before)) > 1e3 * tiny


def test_structural_changes_give_a_fresh_network():
    core = Trainer(Settings())
    core.step(2)
    assert core.apply(core.settings.replace(hidden=(3,), features=("x1", "x2", "x1^2"))) == "network"
    assert core.epoch == 0 and core.net.sizes == [3, 3, 1] and core.F_train.shape[1] == 3
    assert core.apply(core.settings.replace(dataset="reg-plane")) == "data"
    assert core.net.layers[-1].activation.name == "identity"
    assert core.apply(core.settings.replace(discretize=True)) == "view"


def test_divergence_keeps_the_last_good_weights_and_explains():
    core = Trainer(Settings(activation="relu", hidden=(8, 8, 8), learning_rate=1e6, dataset="reg-plane"))
    done = core.step(5)
    assert done < 5 and "diverged" in core.message and "smaller learning rate" in core.message
    assert all(np.isfinite(p).all() for p in params(core.net))
    assert core.epoch == done and np.isfinite(core.train_loss)
    core.apply(core.settings.replace(learning_rate=1e-4))  # a sane rate: training goes on
    assert core.step(2) == 2 and core.message == "" and core.epoch == done + 2


def test_grid_outputs_and_frames():
    core = Trainer(Settings(hidden=(3, 2)), resolution=20)
    out, hidden = core.grid_outputs()
    assert out.shape == (20, 20) and [h.shape for h in hidden] == [(20, 20, 3), (20, 20, 2)]
    np.testing.assert_allclose(out.ravel(), core.predict(core.grid)[:, 0])
    frames = core.record(6, every=2)
    assert [f.epoch for f in frames] == [0, 2, 4, 6]
    assert same(frames[-1].params, params(core.net))


# --- the widget -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pg():
    return Playground(EXAMPLE_URL, epochs=2)


def test_widget_starts_with_a_picture_and_the_urls_setup(pg):
    assert pg.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert pg.core.epoch == 2 and pg.settings.hidden == (4, 2)
    assert pg.controls["learning_rate"].value == 0.03 and pg.controls["activation"].value == "tanh"
    assert [f for f, box in pg.feature_boxes.items() if box.value] == ["x1", "x2"]
    assert pg.settings_box.value == pg.settings.to_string()


def test_buttons_step_reset_and_repeated_clicks(pg):
    pg.reset()
    fresh = params(pg.core.net)
    for _ in range(7):
        pg.buttons["step"].click()
    assert pg.core.epoch == 7 and len(pg.core.history["epoch"]) == 8
    assert pg.epoch_label.value == "<b>epoch 7</b>"
    pg.buttons["reset"].click()
    assert pg.core.epoch == 0 and same(params(pg.core.net), fresh) and not pg.playing


def test_controls_change_settings_and_bad_values_show_a_message(pg):
    pg.controls["learning_rate"].value = 0.1
    assert pg.settings.learning_rate == 0.1 and pg.core.optimizer.lr == 0.1
    pg.controls["learning_rate"].value = -1.0  # bad: message, nothing changes
    assert "learning_rate" in pg.status.value and "positive" in pg.status.value
    assert pg.settings.learning_rate == 0.1 and pg.controls["learning_rate"].value == 0.1
    pg.controls["learning_rate"].value = 0.03
    pg.feature_boxes["x1^2"].value = True
    assert pg.settings.features == ("x1", "x2", "x1^2") and pg.core.net.sizes[0] == 3
    for box in pg.feature_boxes.values():
        box.value = False
    assert "features" in pg.status.value and pg.settings.features == ("x1^2",)
    assert pg.feature_boxes["x1^2"].value is True  # the last box springs back
    pg.load(EXAMPLE_URL)
    assert pg.settings == Settings.from_tf_url(EXAMPLE_URL) and pg.feature_boxes["x1^2"].value is False


def test_layer_buttons(pg):
    pg.load(EXAMPLE_URL)
    pg.buttons["add_layer"].click()
    pg.buttons["layer1+"].click()
    assert pg.settings.hidden == (5, 2, 2) and pg.core.net.sizes == [2, 5, 2, 2, 1]
    pg.buttons["layer3-"].click()
    pg.buttons["layer3-"].click()  # would leave zero neurons
    assert pg.settings.hidden == (5, 2, 1) and "needs 1 to 8 neurons" in pg.status.value
    for _ in range(8):
        pg.buttons["add_layer"].click()
    assert len(pg.settings.hidden) == 6 and "at most 6" in pg.status.value
    assert pg.layer_columns[5][0].layout.display == ""
    pg.load(EXAMPLE_URL)
    assert pg.layer_columns[2][0].layout.display == "none"


def test_problem_switch_regenerate_and_bad_loads(pg):
    pg.load(EXAMPLE_URL)
    seed, X = pg.settings.seed, pg.core.X_train.copy()
    pg.buttons["regenerate"].click()
    assert pg.settings.seed == seed + 1 and not np.array_equal(pg.core.X_train, X)
    pg.controls["problem"].value = "regression"
    assert pg.settings.dataset == "reg-plane" and pg.core.net.layers[-1].activation.name == "identity"
    pg.load("dataset=moons;noise=3")
    assert "moons" in pg.status.value and pg.settings.noise == 3
    pg.load(EXAMPLE_URL + "&nonsense=1")
    assert "nonsense" in pg.status.value


def test_play_pause_in_an_event_loop(pg):
    pg.load(EXAMPLE_URL)

    async def session():
        for _ in range(5):  # fast repeated clicks: one loop only
            pg.play()
        task = pg._task
        while pg.core.epoch < 4:
            await asyncio.sleep(0.001)
        pg.buttons["play"].click()  # pause
        await task
        kept, epoch = params(pg.core.net), pg.core.epoch
        for _ in range(20):
            await asyncio.sleep(0)
        return task, kept, epoch

    task, kept, epoch = asyncio.run(session())
    assert task.done() and not pg.playing and pg.play_button.description == "Play"
    assert pg.core.epoch == epoch >= 4 and same(params(pg.core.net), kept)
    assert len(pg.core.history["epoch"]) == epoch + 1  # one record per epoch: no double steps
    assert pg.image.format == "png"  # paused: a lossless picture


def test_pause_right_after_play_wins(pg):
    async def session():
        epoch = pg.core.epoch
        pg.play()
        pg.pause()  # before the loop ever ran
        await pg._task
        return epoch

    epoch = asyncio.run(session())
    assert pg.core.epoch == epoch and not pg.playing
    assert asyncio.run(pg.run(max_updates=3)) == 3 and pg.core.epoch == epoch + 3 and not pg.playing


def test_update_is_single_flight(pg):
    pg._busy = True  # as if an update were running
    try:
        epoch = pg.core.epoch
        assert pg.update() is False and pg.core.epoch == epoch
    finally:
        pg._busy = False
    assert pg.update() is True and pg.core.epoch == epoch + 1


def test_chapter_notebook_keeps_the_widget_state(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(CHAPTER, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "store it without outputs"
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}, store_widget_state=True
    ).execute()
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    models = {k: v for k, v in state.items()}
    images = [m for m in models.values() if m["model_name"] == "ImageModel"]
    values = [base64.b64decode(b["data"]) for m in images for b in m.get("buffers", []) if b["path"] == ["value"]]
    assert len(images) >= 1 and len(values) == len(images)  # the playground
    assert all(v[:8] == b"\x89PNG\r\n\x1a\n" and len(v) > 10_000 for v in values)
    dashboards = [
        m["state"] for m in models.values() if m["state"].get("_anywidget_id", "").endswith(".DashboardWidget")
    ]
    assert len(dashboards) == 1 and dashboards[0]["status"] == "done"  # the dashboard keeps its final state
    assert len(dashboards[0]["history"]["epoch"]) == 60 and len(dashboards[0]["frame_ends"]) >= 2
    names = {m["model_name"] for m in models.values()}
    assert {"ButtonModel", "FloatTextModel", "DropdownModel", "IntSliderModel", "CheckboxModel"} <= names
    html = "".join(
        o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
    )
    assert "<img" in html or "animation" in html.lower()

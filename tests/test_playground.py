"""The playground, driven from Python: settings, TF Playground URLs, training, the saved state,
and the widget's protocol with its page (the page's messages simulated, no browser).

The front end itself is tested in chromium in ``tests/browser/test_playground_widget.py``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from nnlib.widgets.playground.features import FEATURES, feature_matrix  # noqa: E402
from nnlib.widgets.playground.settings import Settings, SettingsWarning, load_settings  # noqa: E402
from nnlib.widgets.playground.trainer import Trainer  # noqa: E402

pytest.importorskip("anywidget")
from nnlib.widgets.playground import Playground, run_experiment, widget  # noqa: E402
from nnlib.widgets.playground.trainer import STATE_PARTS  # noqa: E402

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


def test_divergence_keeps_the_last_completed_step_and_explains():
    settings = Settings(activation="relu", hidden=(8, 8, 8), learning_rate=1e6, dataset="reg-plane")
    core = Trainer(settings)
    done = core.step(5)
    assert done < 5 and "diverged" in core.message and "smaller learning rate" in core.message
    assert "The weights of the last completed step are kept" in core.message
    assert core.epoch == done and len(core.history["epoch"]) == done + 1 and np.isfinite(core.train_loss)
    # The same run by hand, step by step, until a step makes a weight NaN or infinite.
    ref = Trainer(settings)
    net, bs, last = ref.net, settings.batch_size, ref.net.get_params()
    with np.errstate(all="ignore"):
        while True:
            order = ref._shuffle_rng.permutation(len(ref.F_train))
            steps = range(0, len(order), bs)
            for start in steps:
                net.forward(ref.F_train[order[start : start + bs]])
                net.backward(ref.y_train[order[start : start + bs]])
                ref.optimizer.step(net.layers)
                if not all(np.isfinite(p).all() for p in net.get_params()):
                    break
                last = net.get_params()
            else:
                continue
            break
    for got, want in zip(params(core.net), last):
        np.testing.assert_array_equal(got, want)
    core.reset()
    core.apply(core.settings.replace(learning_rate=1e-4))  # a sane rate: training goes on
    assert core.step(2) == 2 and core.message == "" and core.epoch == 2


def test_grid_outputs():
    core = Trainer(Settings(hidden=(3, 2)), resolution=20)
    out, hidden = core.grid_outputs()
    assert out.shape == (20, 20) and [h.shape for h in hidden] == [(20, 20, 3), (20, 20, 2)]
    np.testing.assert_allclose(out.ravel(), core.predict(core.grid)[:, 0])


# --- the saved state: what the page's engine loads -------------------------------------------
def test_export_state_is_the_engines_json_shape_and_holds_the_run():
    core = Trainer(Settings(dataset="xor", hidden=(3,), features=("x1", "x2", "x1*x2"), seed=4))
    core.step(3)
    state = json.loads(json.dumps(core.export_state(), allow_nan=False))  # plain JSON
    assert tuple(state) == STATE_PARTS
    assert state["settings"]["features"] == ["x1", "x2", "x1*x2"] and state["settings"]["hidden"] == [3]
    assert Settings(**state["settings"]) == core.settings
    np.testing.assert_array_equal(state["data"]["x_train"], core.X_train)
    np.testing.assert_array_equal(state["data"]["y_test"], core.y_test.ravel())
    for W, b, layer in zip(state["params"]["weights"], state["params"]["biases"], core.net.layers):
        np.testing.assert_array_equal(W, layer.W)  # JSON keeps every bit of a float64
        np.testing.assert_array_equal(b, layer.b.ravel())
    assert state["epoch"] == 3 and state["history"]["epoch"] == [0, 1, 2, 3]
    assert state["history"]["train_loss"] == core.history["train_loss"]
    rng = core._shuffle_rng.bit_generator.state
    assert state["shuffle_rng"]["state"] == str(rng["state"]["state"]) and state["message"] == ""
    assert core.export_state(["epoch", "params"]).keys() == {"epoch", "params"}


@pytest.mark.parametrize("parts, error", [("epoch", TypeError), ([1], TypeError), (["weights"], ValueError)])
def test_export_state_refuses_unknown_parts(parts, error):
    with pytest.raises(error, match="export_state"):
        Trainer(Settings(hidden=(2,))).export_state(parts)


# --- the widget and its page: the protocol, driven from Python ----------------------------------
class Page:
    """A fake front end: says what the page says, and records every message Python sends back."""

    def __init__(self, pg: Playground) -> None:
        self.pg, self.received = pg, []
        pg.send = lambda content, buffers=None: self.received.append(content)

    def say(self, kind: str, **content) -> list[dict]:
        """Send one message as the page does; returns Python's answers to it."""
        before = len(self.received)
        self.pg._handle_custom_msg({"type": kind, **content}, [])
        return self.received[before:]

    def credit(self, epochs: int = 64, view: str = "v1") -> list[dict]:
        return self.say("credit", view=view, epochs=epochs)

    def tick(self, now: float = 0.0) -> list[dict]:
        """One tick of Python's cadence at time ``now`` (the kernel's event loop calls it while playing)."""
        before = len(self.received)
        self.pg._tick(now)
        return self.received[before:]

    def train(self, now: float = 0.0) -> dict:
        """One tick that must push: its single message."""
        (answer,) = self.tick(now)
        return answer


@pytest.fixture
def page():
    return Page(Playground(EXAMPLE_URL, epochs=2))


def params_equal(message: dict, net) -> bool:
    return all(
        np.array_equal(W, L.W) and np.array_equal(b, L.b.ravel())
        for W, b, L in zip(message["params"]["weights"], message["params"]["biases"], net.layers)
    )


def test_the_saved_state_is_the_trainers_state():
    pg = Playground(EXAMPLE_URL, epochs=3)
    saved = pg.get_state()
    for part in ("settings", "data", "params", "epoch", "history", "shuffle_rng"):
        assert saved[f"_{part}"] == pg.core.export_state([part])[part], part
    assert saved["_epoch"] == 3 and len(saved["_history"]["epoch"]) == 4
    assert "export default" in saved["_esm"] and "class Trainer" in saved["_esm"]  # engine.js inlined


def test_ping_is_answered(page):
    assert page.say("ping") == [{"type": "pong"}]


def test_python_trains_only_while_playing_and_within_the_credit(page):
    pg = page.pg
    assert page.credit(3) == [] and page.tick() == [] and pg.core.epoch == 2  # paused: credit is void
    (state,) = page.say("play")
    assert state["type"] == "state" and state["playing"] is True and "data" not in state
    assert page.tick() == []  # playing, but no view has granted credit yet
    assert page.credit(3) == []  # credit is answered by the ticks, not at once
    answer = page.train(0.0)  # the cadence's first tick: one epoch
    assert answer["type"] == "epochs" and answer["epoch"] == 3 and len(answer["losses"]) == 1
    assert answer["losses"] == [[pg.core.train_loss, pg.core.test_loss]] and params_equal(answer, pg.core.net)
    assert set(answer) == {"type", "epoch", "params", "losses", "shuffle_rng"}  # only what changed
    answer = page.train(0.5)  # far behind: as many as the credit left allows (2)
    assert answer["epoch"] == 5 and len(answer["losses"]) == 2
    assert answer["losses"][-1] == [pg.core.train_loss, pg.core.test_loss]
    assert [answer["losses"][0][0]] == pg.core.history["train_loss"][-2:-1]  # one pair of losses per epoch
    assert page.tick(0.6) == [] and pg.core.epoch == 5  # the credit is spent: nothing trains
    assert pg._epoch == 2  # while playing, the saved copy waits ...
    (state,) = page.say("pause")
    assert state["playing"] is False and state["epoch"] == 5 and pg._epoch == 5  # ... and catches up on Pause
    assert pg._history == pg.core.export_state(["history"])["history"] and len(pg._history["epoch"]) == 6
    assert page.tick(0.7) == [] and page.credit(5) == [] and page.tick(0.8) == [] and pg.core.epoch == 5


def test_a_steady_cadence_of_rate_epochs_per_second():
    page = Page(Playground(EXAMPLE_URL))
    page.say("play")
    page.credit(widget.MAX_CREDIT)
    ticks = [page.train(k * widget.TICK) for k in range(30)]
    epochs = [len(t["losses"]) for t in ticks]
    assert epochs[0] == 1 and sum(epochs) == 1 + int(29 * widget.TICK * widget.RATE)  # RATE epochs per second
    assert max(epochs) <= widget.MAX_PER_TICK and [t["epoch"] for t in ticks] == list(itertools.accumulate(epochs))
    page.credit(widget.MAX_CREDIT)
    late = page.train(100.0)  # a stall of 100 s: catch up by at most MAX_PER_TICK, not by 12,000 epochs
    assert len(late["losses"]) == widget.MAX_PER_TICK
    assert len(page.train(100.0 + widget.TICK)["losses"]) == int(widget.TICK * widget.RATE)


def test_credit_is_capped_and_bad_credit_is_refused(page):
    pg = page.pg
    page.say("play")
    page.credit(10_000)
    assert pg._credit == {"v1": widget.MAX_CREDIT}
    for bad in (0, -3, 2.5, True, "4"):
        (state,) = page.credit(bad)
        assert state["status"]["error"] and "a credit needs a view id" in state["status"]["text"]
        assert not state["playing"] and pg._credit == {}  # a broken page stops the training, and says so
        page.say("play")


def test_rapid_clicks_never_step_twice_or_half(page):
    pg = page.pg
    page.say("reset")
    fresh = params(pg.core.net)
    for kind in ["play", "play", "credit", "tick", "pause", "tick", "play", "credit", "tick", "tick", "pause", "pause"]:
        page.tick() if kind == "tick" else page.credit(1) if kind == "credit" else page.say(kind)
    assert pg.core.epoch == 2 and pg.core.history["epoch"] == [0, 1, 2]  # one record per epoch
    assert not pg.playing and pg._epoch == 2 and pg._timer is None
    for kind in ["step", "step", "play", "credit", "step", "tick"]:  # Step pauses and voids the credit
        page.tick() if kind == "tick" else page.credit() if kind == "credit" else page.say(kind)
    assert pg.core.epoch == 5 and not pg.playing
    page.say("play")
    page.credit()
    page.say("reset")
    assert pg.core.epoch == 0 and same(params(pg.core.net), fresh) and not pg.playing
    assert page.tick() == []


def test_two_views_share_the_training_and_each_spends_its_credit(page):
    pg = page.pg
    page.say("play")
    page.credit(1, view="a")
    page.credit(3, view="b")
    assert page.train(0.0)["epoch"] == 3 and pg._credit == {"b": 2}  # every view receives every epoch
    assert page.train(1.0)["epoch"] == 5 and pg._credit == {}
    assert page.tick(2.0) == []


def test_the_kernels_event_loop_drives_the_ticks(page):
    """In a kernel, credit arriving while playing schedules ticks in the running event loop until it is spent."""
    pg = page.pg

    async def in_the_kernel() -> None:
        page.say("play")
        page.credit(6)
        assert pg._timer is not None
        for _ in range(200):
            if pg.core.epoch == 8:
                break
            await asyncio.sleep(widget.TICK / 2)
        await asyncio.sleep(3 * widget.TICK)  # no credit left: no more ticks
        assert pg.core.epoch == 8 and pg._timer is None
        page.credit(2)
        page.say("pause")  # Pause cancels the tick already scheduled
        assert pg._timer is None
        await asyncio.sleep(3 * widget.TICK)
        assert pg.core.epoch == 8

    asyncio.run(in_the_kernel())
    epochs = [m for m in page.received if m["type"] == "epochs"]
    assert sum(len(m["losses"]) for m in epochs) == 6 and epochs[-1]["epoch"] == 8


def test_settings_changed_while_playing(page):
    pg = page.pg
    page.say("play")
    page.credit()
    page.tick()
    (state,) = page.say("settings", changes={"learning_rate": 0.1, "batch_size": 5})
    assert state["playing"] is True and state["epoch"] == 3 and "training continues" in state["status"]["text"]
    assert pg.core.optimizer.lr == 0.1 and pg.settings.batch_size == 5
    assert page.train(0.0)["epoch"] == 4  # training goes on with the new rate, on the credit already granted
    (state,) = page.say("settings", changes={"hidden": [3], "features": ["x1", "x2", "x1^2"]})
    assert state["playing"] is False and state["epoch"] == 0 and state["settings"]["hidden"] == [3]
    assert "data" not in state and pg.core.net.sizes == [3, 3, 1]
    assert page.tick() == [] and pg._credit == {}
    page.say("play")
    (state,) = page.say("settings", changes={"dataset": "xor"})  # new data: sent along, and paused
    assert state["playing"] is False and state["data"] == pg.core.export_state(["data"])["data"]
    (state,) = page.say("settings", changes={"discretize": True})
    assert state["settings"]["discretize"] is True and pg._settings["discretize"] is True


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"learning_rate": -1}, "learning_rate must be a positive number"),
        ({"learning_rate": None}, "learning_rate"),
        ({"features": []}, "features must name at least one feature"),
        ({"hidden": [4, 0]}, "each hidden layer needs 1 to 8"),
        ({"noise": 80}, "noise must be an integer in [0, 50]"),
        ({"colour": "red"}, "unknown setting(s) colour"),
    ],
)
def test_a_bad_setting_is_refused_in_the_status_line(page, changes, words):
    pg = page.pg
    page.say("play")
    page.credit()
    page.tick()
    before, serial = (pg.settings, params(pg.core.net), pg.core.epoch), pg._status["serial"]
    (state,) = page.say("settings", changes=changes)
    assert words in state["status"]["text"] and "kept the previous value" in state["status"]["text"]
    assert state["status"]["error"] is True and words in pg.status and pg._status["serial"] == serial + 1
    assert (pg.settings, params(pg.core.net), pg.core.epoch)[0] == before[0] and pg.core.epoch == before[2]
    assert same(params(pg.core.net), before[1]) and state["playing"] is True  # refused: nothing changed
    page.say("settings", changes=changes)
    assert pg._status["serial"] == serial + 2  # the same refusal twice still reaches the page


def test_load_a_string_or_url_and_its_notes(page):
    pg = page.pg
    (state,) = page.say("load", text="dataset=spiral;learning_rate=fast;hidden=8,8")
    assert pg.settings.dataset == "spiral" and pg.settings.hidden == (8, 8)
    assert "learning_rate='fast' could not be read" in state["status"]["text"] and "data" in state
    page.say("load", text=EXAMPLE_URL)
    assert pg.settings == Settings.from_tf_url(EXAMPLE_URL) and pg.status == "new data, fresh network"
    assert page.say("load", text=None)[0]["status"]["error"] is True  # a malformed message


def test_divergence_while_playing_pauses_and_says_so():
    page = Page(Playground("dataset=reg-plane;activation=relu;hidden=8,8,8;learning_rate=1000000"))
    pg = page.pg
    page.say("play")
    page.credit()
    answers = [page.tick(k * widget.TICK) for k in range(6)]
    last = next(a for a in answers if a and a[-1]["type"] == "state")
    assert last[-1]["playing"] is False and "diverged" in last[-1]["status"]["text"]
    assert all(m["type"] == "epochs" for m in last[:-1])  # the epochs before it were pushed, then the news
    assert not pg.playing and all(np.isfinite(p).all() for p in params(pg.core.net)) and pg._credit == {}
    assert pg._epoch == pg.core.epoch and "smaller learning rate" in pg.status


def test_step_reset_regenerate_sync_and_unknown_messages(page):
    pg = page.pg
    (state,) = page.say("step")
    assert state["epoch"] == 3 and pg._epoch == 3 and not state["playing"]
    seed, X = pg.settings.seed, pg.core.X_train.copy()
    (state,) = page.say("regenerate")
    assert pg.settings.seed == seed + 1 and state["settings"]["seed"] == seed + 1 and "data" in state
    assert not np.array_equal(pg.core.X_train, X) and state["epoch"] == 0
    (state,) = page.say("sync")
    assert set(STATE_PARTS) - {"message"} <= set(state) and state["data"]["x_train"] == pg.core.X_train.tolist()
    (state,) = page.say("frobnicate")
    assert state["status"]["error"] and "does not know" in state["status"]["text"]


def test_python_methods_act_like_the_buttons(page):
    pg = page.pg
    pg.step(4)
    assert pg.core.epoch == 6 and pg._epoch == 6 and page.received[-1]["epoch"] == 6
    pg.change(learning_rate=0.3)
    assert pg.settings.learning_rate == 0.3 and pg.core.epoch == 6
    pg.change(learning_rate=0)
    assert "learning_rate" in pg.status and pg.settings.learning_rate == 0.3
    pg.play()
    assert pg.playing and page.received[-1]["playing"] is True
    pg.load("dataset=xor")
    assert pg.settings.dataset == "xor" and not pg.playing
    pg.reset()
    assert pg.core.epoch == 0


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: Playground(3), TypeError, "Playground expected settings"),
        (lambda: Playground(epochs=-1), ValueError, "epochs to be an integer >= 0"),
        (lambda: Playground(epochs=2.5), ValueError, "epochs"),
        (lambda: Playground(Settings(), epochs=True), ValueError, "epochs"),
        (lambda: run_experiment(3), TypeError, "run_experiment expected"),
        (lambda: run_experiment("dataset=xor", epochs=-2), ValueError, "epochs"),
        (lambda: run_experiment("dataset=xor", dpi=0), ValueError, "dpi"),
    ],
)
def test_arguments_are_checked(call, error, words):
    with pytest.raises(error, match=words):
        call()


@pytest.mark.parametrize(
    "method, args, error",
    [("step", (0,), ValueError), ("step", ("1",), ValueError), ("load", (3,), TypeError)],
)
def test_a_refused_call_changes_nothing(page, method, args, error):
    pg = page.pg
    before, sent = (pg.core.epoch, params(pg.core.net), pg.settings), len(page.received)
    with pytest.raises(error, match=f"Playground.{method}"):
        getattr(pg, method)(*args)
    assert pg.core.epoch == before[0] and same(params(pg.core.net), before[1]) and pg.settings == before[2]
    assert len(page.received) == sent


def test_run_experiment_draws_a_static_picture():
    result = run_experiment("dataset=xor;hidden=4", epochs=5)
    assert result.png[:8] == b"\x89PNG\r\n\x1a\n" and result.core.epoch == 5
    assert repr(result).startswith("epoch 5: training loss")


def test_chapter_notebook_saves_the_playgrounds_state(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(CHAPTER, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "store it without outputs"
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}, store_widget_state=True
    ).execute()
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    playgrounds = [m["state"] for m in state.values() if "_params" in m["state"] and "_esm" in m["state"]]
    assert playgrounds, "no saved Playground in the executed chapter"
    assert [saved["_epoch"] for saved in playgrounds] == [30, 0]  # the tour after 30 epochs; XOR, untrained
    for saved in playgrounds:  # everything the page needs to show the run without a kernel
        assert len(saved["_history"]["epoch"]) == saved["_epoch"] + 1
        assert saved["_data"]["x_train"] and saved["_params"]["weights"] and saved["_shuffle_rng"]["state"]
        assert "class Trainer" in saved["_esm"]
    models = state
    dashboards = [
        m["state"] for m in models.values() if m["state"].get("_anywidget_id", "").endswith(".DashboardWidget")
    ]
    assert len(dashboards) == 1 and dashboards[0]["status"] == "done"  # the dashboard keeps its final state
    assert len(dashboards[0]["history"]["epoch"]) == 60 and len(dashboards[0]["frame_ends"]) >= 2

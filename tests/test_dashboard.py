"""The live training dashboard: when it sends, what it sends and what its widget keeps, with a fake clock."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest

from nnlib import Network, fit
from nnlib.callbacks import Callback
from nnlib.data import playground
from nnlib.widgets import dashboard as dashboard_module
from nnlib.widgets.dashboard import Throttle, TrainingDashboard

pytest.importorskip("anywidget")

KEYS = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy")


class FakeClock:
    """Time stands still unless the test moves it."""

    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


class Tick(Callback):
    """Simulated training time: each batch and each epoch take some seconds (runs before the dashboard)."""

    def __init__(self, clock: FakeClock, epoch: float = 0.0, batch: float = 0.0) -> None:
        self.clock, self.epoch, self.batch = clock, epoch, batch

    def on_batch_end(self, state) -> None:
        self.clock.t += self.batch

    def on_epoch_end(self, state) -> None:
        self.clock.t += self.epoch


class Sent:
    """Records what the dashboard sends to the browser, and when (replaces ``widget.send``)."""

    def __init__(self, dash: TrainingDashboard, clock: FakeClock) -> None:
        self.messages: list[tuple[float, dict, list]] = []
        dash.widget.send = lambda content, buffers=None: self.messages.append((clock.t, content, buffers or []))

    def of(self, kind: str) -> list[tuple[float, dict, list]]:
        return [m for m in self.messages if m[1]["type"] == kind]


@pytest.fixture(scope="module")
def data():
    X, y = playground("gaussian", n=120, noise=0.1, rng=0)
    return X, y  # labels 0 / 1


def small_net(n_in: int = 2, n_out: int = 1, output: str = "sigmoid", loss: str = "binary_cross_entropy") -> Network:
    return Network([n_in, 3, n_out], activation="tanh", output_activation=output, loss=loss, init="xavier", rng=0)


def as_sent(history) -> dict[str, list]:
    """The history as the widget holds it: 6 significant digits, NaN as None."""
    return {k: [v if k == "epoch" else None if math.isnan(v) else float(f"{v:.6g}") for v in history[k]] for k in KEYS}


def decode(grid: bytes) -> np.ndarray:
    return (np.frombuffer(grid, dtype=np.uint8).astype(float) - 127) / 127


# --- the throttle ---------------------------------------------------------------------


def test_throttle_sends_at_once_then_every_interval_stretched_by_cost_up_to_max():
    clock = FakeClock()
    th = Throttle(min_interval=0.2, max_interval=0.4, budget=0.05, clock=clock)
    assert th.ready()  # the first update goes at once
    th.record(clock.t)  # an update that cost nothing
    assert th.interval == 0.2 and not th.ready()
    clock.t += 0.2
    assert th.ready()
    started = clock.t
    clock.t += 0.015  # an update that took 15 ms: 0.015 / 0.05 = 0.3 s to the next
    th.record(started)
    assert th.interval == pytest.approx(0.3)
    clock.t += 0.29
    assert not th.ready()
    clock.t += 0.01
    assert th.ready()
    started = clock.t
    clock.t += 1.0  # a very slow update: still at least 2 a second
    th.record(started)
    assert th.interval == 0.4
    th.start()
    assert th.ready()


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(budget=0), ValueError, "0 < budget <= 1"),
        (dict(budget=1.5), ValueError, "0 < budget <= 1"),
        (dict(min_interval=0.5, max_interval=0.4), ValueError, "min_interval <= max_interval"),
        (dict(min_interval=-1), ValueError, "min_interval"),
        (dict(max_interval="1"), TypeError, "max_interval must be a finite number, got '1'"),
        (dict(budget=math.nan), TypeError, "budget must be a finite number"),
        (dict(clock=3), TypeError, "clock must be a function"),
    ],
)
def test_throttle_refuses_bad_settings(kwargs, error, match):
    with pytest.raises(error, match=match):
        Throttle(**kwargs)


# --- when the dashboard sends ---------------------------------------------------------


@pytest.mark.parametrize("update_cost", [0.0, 0.05])
def test_a_one_second_fit_is_sent_live_at_least_twice_a_second_and_ends_with_the_final_state(data, update_cost):
    X, y = data
    clock = FakeClock()
    dash = TrainingDashboard(X, y, display=False, clock=clock)
    sent = Sent(dash, clock)
    if update_cost:  # slow updates: each grid takes 50 ms of fake time
        encode = dashboard_module._DecisionGrid.encode

        def slow(self, net):
            clock.t += update_cost
            return encode(self, net)

        dashboard_module._DecisionGrid.encode = slow
    try:
        start = clock.t
        net = small_net()
        history = fit(net, X, y, epochs=100, lr=0.1, callbacks=[Tick(clock, epoch=0.01), dash], progress=False, rng=0)
    finally:
        dashboard_module._DecisionGrid.encode = encode if update_cost else dashboard_module._DecisionGrid.encode
    end = clock.t
    times = [t for t, _, _ in sent.of("update")]
    assert times[0] - start <= 0.5  # the first epoch is on screen at once
    gaps = np.diff([start, *times, end])
    assert gaps.max() <= 0.5 + 0.01 + update_cost  # at least 2 updates a second (an epoch is 10 ms)
    assert len(times) >= 2 * (end - start) - 1
    if not update_cost:
        assert len(times) <= (end - start) / 0.25 + 1  # and not more than 4 a second
    # the final state is always complete in the widget's state
    w = dash.widget
    assert w.status == "done" and w.epochs == 100 and w.run == 1
    assert w.history == as_sent(history)
    assert w.grid == dash._map.encode(net)
    assert dash.n_updates == len(times) + 1


def test_the_updates_carry_only_the_new_entries_and_add_up_to_the_history(data):
    X, y = data
    clock = FakeClock()
    dash = TrainingDashboard(X, y, display=False, clock=clock, resolution=12)
    sent = Sent(dash, clock)
    history = fit(
        small_net(),
        X,
        y,
        epochs=50,
        lr=0.1,
        validation_data=(X[:30], y[:30]),
        callbacks=[Tick(clock, epoch=0.03), dash],
        progress=False,
        rng=0,
    )
    rebuilt: dict[str, list] = {k: [] for k in KEYS}
    for _, message, buffers in sent.of("update"):
        assert message["start"] == len(rebuilt["epoch"])  # nothing sent twice, nothing skipped
        for k in KEYS:
            rebuilt[k] += message["history"][k]
        assert len(buffers) == 1 and len(buffers[0]) == 12 * 12  # the grid of that moment, one byte a point
    assert 1 < len(sent.of("update")) < 50
    assert all(rebuilt[k] == as_sent(history)[k][: len(rebuilt[k])] for k in KEYS)


def test_a_quick_fit_sends_the_first_epoch_and_the_end(data):
    X, y = data
    clock = FakeClock()  # no time passes
    dash = TrainingDashboard(X, y, display=False, clock=clock)
    sent = Sent(dash, clock)
    history = fit(small_net(), X, y, epochs=5, lr=0.1, callbacks=[dash], progress=False, rng=0)
    assert [m["start"] for _, m, _ in sent.of("update")] == [0]
    assert dash.n_updates == 2 and dash.widget.history == as_sent(history)


def test_a_long_epoch_reports_its_progress_between_batches(data):
    X, y = data
    clock = FakeClock()
    dash = TrainingDashboard(X, y, display=False, clock=clock)
    sent = Sent(dash, clock)
    # 12 batches of 10 per epoch at 0.1 s each: 1.2 s per epoch
    fit(small_net(), X, y, epochs=3, batch_size=10, lr=0.1, callbacks=[Tick(clock, batch=0.1), dash], progress=False)
    progress = sent.of("progress")
    assert progress and all(m["batches"] == 12 and 1 <= m["batch"] <= 12 for _, m, _ in progress)
    times = [t for t, _, _ in sent.messages]
    assert np.diff([100.0, *times]).max() <= 0.5  # something new at least twice a second


# --- what the widget keeps --------------------------------------------------------------


def test_the_state_holds_the_map_points_and_a_replay_of_at_most_max_frames(data):
    X, y = data
    clock = FakeClock()
    dash = TrainingDashboard(X, y, display=False, clock=clock, resolution=20, max_frames=10, max_points=50)
    net = small_net()
    history = fit(net, X, y, epochs=60, lr=0.1, callbacks=[Tick(clock, epoch=0.01), dash], progress=False, rng=0)
    w = dash.widget
    m = w.map
    assert m["kind"] == "scalar" and m["range"] == [0.0, 1.0] and m["resolution"] == 20
    assert m["xlim"][0] < X[:, 0].min() and m["xlim"][1] > X[:, 0].max()
    assert m["ylim"][0] < X[:, 1].min() and m["ylim"][1] > X[:, 1].max()
    assert len(m["x"]) == len(m["y"]) == len(m["labels"]) == 50 and set(m["labels"]) == {0, 1}
    np.testing.assert_allclose(m["x"], X[:50, 0], atol=1e-4)
    # the replay: epoch 1, every few epochs, and the last; one grid per frame
    assert w.frame_ends[0] == 1 and w.frame_ends[-1] == len(history) == 60
    assert 2 <= len(w.frame_ends) <= 10 and w.frame_ends == sorted(set(w.frame_ends))
    assert len(w.frame_grids) == len(w.frame_ends) * 20 * 20
    assert w.frame_grids[-400:] == w.grid
    # the grid is the network's output, scaled to -1..1 in 255 steps, row 0 at the bottom
    xs, ys = np.linspace(*m["xlim"], 20), np.linspace(*m["ylim"], 20)
    xx, yy = np.meshgrid(xs, ys)
    expected = 2 * net.predict(np.column_stack([xx.ravel(), yy.ravel()]))[:, 0] - 1
    np.testing.assert_allclose(decode(w.grid), expected, atol=0.5 / 127 + 1e-4)
    # the first frame shows a different network: the replay changes the picture
    assert w.frame_grids[:400] != w.grid


def test_validation_curves_alone_when_fit_skips_the_training_set_pass(data):
    X, y = data
    clock = FakeClock()
    dash = TrainingDashboard(X, y, display=False, clock=clock)
    sent = Sent(dash, clock)
    history = fit(
        small_net(),
        X,
        y,
        epochs=20,
        lr=0.1,
        validation_data=(X[:40], y[:40]),
        train_metrics=False,
        callbacks=[Tick(clock, epoch=0.05), dash],
        progress=False,
        rng=0,
    )
    w = dash.widget
    assert w.history["loss"] == [] and w.history["accuracy"] == []
    assert w.history["val_loss"] == as_sent(history)["val_loss"] and len(w.history["val_accuracy"]) == 20
    for _, message, _ in sent.of("update"):
        assert message["history"]["loss"] == [] and message["history"]["val_loss"]


def test_regression_has_no_accuracy_and_a_map_on_the_targets_scale():
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, size=(80, 2))
    y = (X[:, 0] ** 2 + 3 * X[:, 1]).reshape(-1, 1)  # continuous targets
    clock = FakeClock()
    dash = TrainingDashboard(X, y, display=False, clock=clock, resolution=10)
    net = small_net(output="identity", loss="quadratic")
    history = fit(net, X, y, epochs=10, lr=0.05, callbacks=[Tick(clock, epoch=0.1), dash], progress=False, rng=0)
    w = dash.widget
    assert all(math.isnan(a) for a in history.accuracy)
    assert w.history["accuracy"] == [None] * 10 and all(v is not None for v in w.history["loss"])
    assert w.map["kind"] == "scalar" and "labels" not in w.map
    assert w.map["range"] == pytest.approx([y.min(), y.max()], abs=1e-5)
    values = np.array(w.map["values"])  # the points' colours: the targets on the map's scale
    np.testing.assert_allclose(values, 2 * (y[:, 0] - y.min()) / (y.max() - y.min()) - 1, atol=1e-3)


def test_several_outputs_send_the_winning_class_and_its_lead():
    X, labels = playground("gaussian", n=90, noise=0.1, rng=2)
    Y = np.eye(3)[(labels.ravel() + (X[:, 0] > 2)).astype(int)]  # three classes, one-hot
    dash = TrainingDashboard(X, Y, display=False, clock=FakeClock(), resolution=8)
    net = small_net(n_out=3, output="softmax", loss="categorical_cross_entropy")
    fit(net, X, Y, epochs=5, lr=0.1, callbacks=[dash], progress=False, rng=0)
    w = dash.widget
    assert w.map["kind"] == "classes" and w.map["classes"] == 3 and set(w.map["labels"]) <= {0, 1, 2}
    assert len(w.grid) == 2 * 64
    xx, yy = np.meshgrid(np.linspace(*w.map["xlim"], 8), np.linspace(*w.map["ylim"], 8))
    out = net.predict(np.column_stack([xx.ravel(), yy.ravel()]))
    assert list(w.grid[:64]) == out.argmax(axis=1).tolist()
    top = np.sort(out, axis=1)
    np.testing.assert_allclose(np.frombuffer(w.grid[64:], np.uint8) / 255, top[:, -1] - top[:, -2], atol=0.5 / 255)


def test_without_2d_inputs_there_is_no_map_but_still_a_replay_of_the_curves():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    y = (X[:, :1] > 0).astype(float)
    dash = TrainingDashboard(X, y, display=False, clock=FakeClock())
    fit(small_net(3), X, y, epochs=8, lr=0.1, callbacks=[dash], progress=False, rng=0)
    assert dash.widget.map == {} and dash.widget.grid == b"" and dash.widget.frame_grids == b""
    assert dash.widget.frame_ends == list(range(1, 9))
    dash = TrainingDashboard(display=False, clock=FakeClock())  # no data at all
    fit(small_net(3), X, y, epochs=3, lr=0.1, callbacks=[dash], progress=False, rng=0)
    assert dash.widget.map == {} and dash.widget.history["epoch"] == [1, 2, 3]


class StopAt(Callback):
    def __init__(self, epoch: int) -> None:
        self.epoch = epoch

    def on_epoch_end(self, state) -> None:
        state.stop = state.epoch + 1 >= self.epoch


def test_an_early_stop_is_kept_as_stopped_and_a_second_fit_starts_afresh(data):
    X, y = data
    clock = FakeClock()
    dash = TrainingDashboard(X, y, display=False, clock=clock)
    fit(small_net(), X, y, epochs=50, lr=0.1, callbacks=[Tick(clock, epoch=1.0), StopAt(7), dash], progress=False)
    w = dash.widget
    assert w.status == "stopped" and w.epochs == 50 and w.history["epoch"] == list(range(1, 8))
    assert w.frame_ends[-1] == 7
    fit(small_net(), X, y, epochs=4, lr=0.1, callbacks=[dash], progress=False, rng=0)
    assert w.run == 2 and w.status == "done" and w.history["epoch"] == [1, 2, 3, 4] and w.frame_ends == [1, 2, 3, 4]


class FailAt(Callback):
    """Raises ``error`` at the end of epoch ``epoch`` (1-based): a fit that raises."""

    def __init__(self, epoch: int, error: BaseException) -> None:
        self.epoch, self.error = epoch, error

    def on_epoch_end(self, state) -> None:
        if state.epoch + 1 == self.epoch:
            raise self.error


@pytest.mark.parametrize(
    "error, reason",
    [(RuntimeError("the data went away"), "RuntimeError: the data went away"), (KeyboardInterrupt(), "interrupted")],
)
def test_a_fit_that_raises_is_shown_as_stopped_with_its_reason(data, error, reason):
    X, y = data
    clock = FakeClock()
    dash = TrainingDashboard(X, y, display=False, clock=clock)
    with pytest.raises(type(error)):
        fit(small_net(), X, y, epochs=50, lr=0.1, callbacks=[Tick(clock, 1.0), dash, FailAt(5, error)], progress=False)
    w = dash.widget
    assert w.status == "stopped" and w.reason == reason and w.history["epoch"] == [1, 2, 3, 4, 5]
    assert w.frame_ends[-1] == 5 and len(w.grid) == 40 * 40  # the final state, as after a normal end
    fit(small_net(), X, y, epochs=3, lr=0.1, callbacks=[dash], progress=False, rng=0)
    assert w.status == "done" and w.reason == ""  # the next fit starts afresh


def test_a_diverged_fit_says_so_on_the_dashboard(data):
    X, y = data
    dash = TrainingDashboard(X, y, display=False)
    net = Network([2, 8, 1], activation="relu", output_activation="identity", loss="quadratic", rng=0)
    with pytest.raises(Exception, match="diverged|NaN|infinite") as raised:
        fit(net, X, 1e150 * y, epochs=20, lr=10.0, callbacks=[dash], progress=False)
    assert dash.widget.status == "stopped" and dash.widget.reason.startswith(type(raised.value).__name__)


def test_a_failing_on_train_error_never_hides_why_fit_stopped(data):
    X, y = data

    class Broken(Callback):
        def on_train_error(self, state, error) -> None:
            raise ValueError("broken hook")

    dash = TrainingDashboard(X, y, display=False)
    with pytest.raises(RuntimeError, match="the data went away") as raised:
        fit(small_net(), X, y, epochs=9, callbacks=[Broken(), dash, FailAt(2, RuntimeError("the data went away"))])
    assert "Broken.on_train_error failed: ValueError: broken hook" in raised.value.__notes__[0]
    assert dash.widget.status == "stopped"  # the callbacks after the broken one still heard


# --- arguments and environment ----------------------------------------------------------


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        ((np.ones(5),), {}, ValueError, r"X of shape \(n_samples, n_features\).*got array of shape \(5,\)"),
        ((np.ones((4, 2)), np.ones(3)), {}, ValueError, r"one finite row per example of X \(4\), got .*\(3,\)"),
        ((None, np.ones(3)), {}, ValueError, "got targets y but no inputs X"),
        ((np.full((2, 2), np.nan),), {}, ValueError, "finite numbers"),
        (([["a", "b"]],), {}, TypeError, "X must be an array of numbers, got list"),
        ((), {"resolution": 1}, ValueError, "resolution must be an integer from 2 to 200, got 1"),
        ((), {"max_frames": 2.5}, ValueError, "max_frames must be an integer from 2 to 200, got 2.5"),
        ((), {"display": "yes"}, TypeError, "display must be True or False, got 'yes'"),
        ((), {"budget": 0}, ValueError, "TrainingDashboard needs 0 < budget <= 1"),
    ],
)
def test_bad_arguments_are_refused_with_a_message(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        TrainingDashboard(*args, display=kwargs.pop("display", False), **kwargs)


def test_without_anywidget_training_goes_on_and_says_why_there_is_no_view(data, monkeypatch, capsys):
    X, y = data
    monkeypatch.setitem(sys.modules, "anywidget", None)  # import anywidget fails
    monkeypatch.delitem(sys.modules, "nnlib.widgets.dashboard_widget", raising=False)
    dash = TrainingDashboard(X, y, display=True, clock=FakeClock())
    assert dash.widget is None and "pip install anywidget" in capsys.readouterr().out
    history = fit(small_net(), X, y, epochs=4, lr=0.1, callbacks=[dash], progress=False, rng=0)
    assert len(history) == 4 and [n for n, _ in dash.frames] == [1, 2, 3, 4] and len(dash.grid) == 1600

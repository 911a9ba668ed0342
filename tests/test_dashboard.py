"""The live training dashboard: throttling, panels and the final picture, with a fake clock."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from nnlib import Network, fit  # noqa: E402
from nnlib.callbacks import Callback, History  # noqa: E402
from nnlib.data import playground  # noqa: E402
from nnlib.plot import update_decision_map  # noqa: E402
from nnlib.widgets.dashboard import DashboardView, Throttle, TrainingDashboard  # noqa: E402

pytest.importorskip("ipywidgets")


class FakeClock:
    """Time stands still unless the test moves it."""

    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


class Tick(Callback):
    """Simulated training time: each epoch takes ``seconds`` (runs before the dashboard)."""

    def __init__(self, clock: FakeClock, seconds: float) -> None:
        self.clock, self.seconds = clock, seconds

    def on_epoch_end(self, state) -> None:
        self.clock.t += self.seconds


def slow_drawing(dashboard: TrainingDashboard, clock: FakeClock, seconds: float) -> list[float]:
    """Make every redraw take ``seconds`` of fake time; returns the list of draw times."""
    times, update = [], dashboard.view.update

    def timed(*args, **kwargs):
        clock.t += seconds
        times.append(clock.t)
        return update(*args, **kwargs)

    dashboard.view.update = timed
    return times


@pytest.fixture(scope="module")
def data():
    X, y = playground("gaussian", n=120, noise=0.1, rng=0)
    return X, 2 * y - 1


def small_net(n_in: int = 2) -> Network:
    return Network([n_in, 3, 1], activation="tanh", output_activation="tanh", init="xavier", rng=0)


def test_throttle_respects_interval_and_budget():
    clock = FakeClock()
    th = Throttle(min_interval=0.25, budget=0.1, first_cost=0.05, clock=clock)
    assert not th.ready()  # no time has passed: a draw would be 100 % of it
    clock.t += 0.5  # 0.05 <= 0.1 * 0.5
    assert th.ready()
    started = clock.t
    clock.t += 0.2  # the draw took 0.2 s
    th.record(started)
    assert th.spent == pytest.approx(0.2) and th.cost == pytest.approx(0.2)
    clock.t += 0.3  # interval passed, but 0.2 + 0.2 > 0.1 * 1.0
    assert not th.ready()
    clock.t += 3.1  # elapsed 4.1: 0.4 <= 0.41
    assert th.ready()
    th.min_interval = 10.0
    assert not th.ready()
    with pytest.raises(ValueError, match="budget"):
        Throttle(budget=0)


def test_panels_follow_the_problem(data):
    X, y = data
    view = DashboardView(X, y)
    classes = History(epoch=[1], loss=[0.3], accuracy=[0.8])
    regression = History(epoch=[1], loss=[0.3], accuracy=[math.nan])
    assert view.choose_panels(classes, small_net()) == ["loss", "accuracy", "decision map"]
    assert view.choose_panels(regression, small_net()) == ["loss", "decision map"]
    assert DashboardView().choose_panels(classes, small_net()) == ["loss", "accuracy"]
    assert DashboardView(np.ones((4, 3))).choose_panels(classes, small_net(3)) == ["loss", "accuracy"]


def test_drawing_stays_within_the_budget_and_the_final_state_is_drawn(data):
    X, y = data
    clock = FakeClock()
    dash = TrainingDashboard(X, y, min_interval=0.25, budget=0.05, display=False, clock=clock)
    draws = slow_drawing(dash, clock, seconds=0.1)
    net = small_net()
    history = fit(
        net,
        X,
        y,
        epochs=200,
        lr=0.05,
        callbacks=[Tick(clock, 0.05), dash],
        progress=False,
        validation_data=(X[:40], y[:40]),
        rng=0,
    )
    training = 200 * 0.05
    assert 2 <= dash.n_draws == len(draws)  # some live redraws, then the final one
    assert (dash.n_draws - 1) * 0.1 <= 0.05 * (training + (dash.n_draws - 1) * 0.1) + 1e-9
    assert dash.progress.value == 200 and dash.progress.bar_style == "success"
    assert dash.png[:8] == b"\x89PNG\r\n\x1a\n" and dash.image.value == dash.png
    for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
        np.testing.assert_allclose(dash.view.lines[key].get_ydata(), history[key])
    before = dash.view.map.get_array().copy()
    update_decision_map(dash.view.map, net)  # the map shows the final network
    np.testing.assert_allclose(dash.view.map.get_array(), before)


def test_a_quick_fit_is_drawn_once_at_the_end(data):
    X, y = data
    clock = FakeClock()  # no time passes: never "ready"
    dash = TrainingDashboard(X, y, display=False, clock=clock)
    fit(small_net(), X, y, epochs=5, lr=0.05, callbacks=[dash], progress=False, rng=0)
    assert dash.n_draws == 1 and len(dash.view.lines["loss"].get_xdata()) == 5
    assert "5 / 5" in dash.label.value


class StopAt(Callback):
    def __init__(self, epoch: int) -> None:
        self.epoch = epoch

    def on_epoch_end(self, state) -> None:
        state.stop = state.epoch + 1 >= self.epoch


def test_an_early_stop_is_drawn_as_unfinished(data):
    X, y = data
    clock = FakeClock()
    dash = TrainingDashboard(X, y, display=False, clock=clock, min_interval=0.0, budget=1.0)
    fit(small_net(), X, y, epochs=50, lr=0.05, callbacks=[Tick(clock, 1.0), StopAt(7), dash], progress=False, rng=0)
    assert len(dash.view.lines["loss"].get_xdata()) == 7 == dash.progress.value
    assert dash.progress.bar_style == "info" and "7 / 50" in dash.label.value
    assert dash.n_draws == 8  # budget 100 %: every epoch, plus the end


def test_the_loss_axis_grows_when_the_loss_rises(data):
    X, y = data
    view, net = DashboardView(X, y), small_net()
    h = History(epoch=[1, 2], loss=[0.5, 0.4], accuracy=[0.5, 0.6])
    view.update(h, net, epochs=10)
    first = view.fig
    assert view.axes["loss"].get_xlim() == (0, 10) and view.axes["loss"].get_ylim()[1] >= 0.5
    h.epoch.append(3), h.loss.append(2.0), h.accuracy.append(0.4)
    view.update(h, net, epochs=10)
    assert view.axes["loss"].get_ylim()[1] >= 2.0 and view.fig is not first
    png = view.to_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    np.testing.assert_allclose(view.lines["loss"].get_ydata(), [0.5, 0.4, 2.0])


def test_validation_curves_alone_when_fit_skips_the_training_set_pass(data):
    X, y = data
    dash = TrainingDashboard(X, y, display=False, clock=FakeClock())
    history = fit(
        small_net(),
        X,
        y,
        epochs=4,
        lr=0.05,
        validation_data=(X[:40], y[:40]),
        train_metrics=False,
        callbacks=[dash],
        progress=False,
        rng=0,
    )
    assert dash.view.panels == ["loss", "accuracy", "decision map"]
    assert len(dash.view.lines["loss"].get_ydata()) == 0
    np.testing.assert_allclose(dash.view.lines["val_loss"].get_ydata(), history.val_loss)
    assert "4 / 4" in dash.label.value and "validation loss" in dash.label.value

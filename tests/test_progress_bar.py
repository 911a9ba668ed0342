"""fit's tqdm bar: redrawn at most 10 times a second, and always with the current numbers."""

from __future__ import annotations

import numpy as np
import pytest
import tqdm.std

from nnlib import Network, fit
from nnlib.callbacks import Callback


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class Tick(Callback):
    """Each epoch takes ``seconds`` of fake time."""

    def __init__(self, clock: FakeClock, seconds: float) -> None:
        self.clock, self.seconds = clock, seconds

    def on_epoch_end(self, state) -> None:
        self.clock.t += self.seconds


@pytest.mark.parametrize("validation", [False, True])
def test_the_bar_refreshes_at_most_ten_times_a_second_with_the_current_loss(monkeypatch, validation):
    clock = FakeClock()
    monkeypatch.setattr(tqdm.std, "time", clock)  # tqdm reads its clock when a bar is created
    monkeypatch.setattr(tqdm.std.tqdm, "monitor_interval", 0)  # no monitor thread
    refreshes: list[tuple[int, str]] = []
    refresh = tqdm.std.tqdm.refresh

    def counted(self, *args, **kwargs):
        refreshes.append((self.n, self.postfix or ""))
        return refresh(self, *args, **kwargs)

    monkeypatch.setattr(tqdm.std.tqdm, "refresh", counted)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    y = (X[:, :1] > 0).astype(float)
    net = Network([2, 3, 1], activation="tanh", loss="binary_cross_entropy", rng=0)
    epochs, seconds = 300, 0.01  # 3 s of fake time
    history = fit(
        net,
        X,
        y,
        epochs=epochs,
        lr=0.1,
        callbacks=[Tick(clock, seconds)],
        validation_data=(X[:10], y[:10]) if validation else None,
        train_metrics=not validation,
        rng=0,
    )
    assert 10 <= len(refreshes) <= epochs * seconds / 0.1 + 2  # not one per epoch any more (300 before)
    key = "val_loss" if validation else "loss"
    for n, postfix in refreshes:
        if n:  # what each refresh shows is the epoch just finished, not the one before
            assert postfix == f"{key}={history[key][n - 1]:.4g}"

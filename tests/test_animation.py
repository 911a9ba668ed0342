"""Training animations for pages without a kernel."""

from __future__ import annotations

import base64
import io
import math
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from PIL import Image  # noqa: E402

from nnlib import Network, fit  # noqa: E402
from nnlib.data import playground  # noqa: E402
from nnlib.plot import style  # noqa: E402
from nnlib.plot.animation import AnimationHTML, FrameRecorder, animate_frames, training_animation  # noqa: E402
from nnlib.widgets.playground.trainer import feature_matrix  # noqa: E402


@pytest.fixture(scope="module")
def data():
    X, y = playground("circle", n=80, rng=0)
    return X, 2 * y - 1


def frames_of(html: str) -> list[bytes]:
    """The embedded frames of a to_jshtml page, decoded."""
    found = re.findall(r'frames\[\d+\] = "data:image/(?:png|jpeg);base64,([^"]+)"', html)
    return [base64.b64decode(f.replace("\\\n", "").replace("\\n", "")) for f in found]


def test_recorder_keeps_every_kth_epoch_and_the_last(data):
    X, y = data
    net = Network([2, 3, 1], "tanh", output_activation="tanh", init="xavier", rng=0)
    rec = FrameRecorder(every=3)
    history = fit(net, X, y, epochs=7, lr=0.1, callbacks=[rec], progress=False, rng=0)
    assert [f.epoch for f in rec.frames] == [1, 3, 6, 7]
    assert [f.loss for f in rec.frames] == [history.loss[i - 1] for i in (1, 3, 6, 7)]
    assert all(np.array_equal(a, b) for a, b in zip(rec.frames[-1].params, net.get_params()))
    assert not all(np.array_equal(a, b) for a, b in zip(rec.frames[0].params, net.get_params()))


def test_training_animation_is_a_small_player_at_the_asked_dpi(data):
    X, y = data
    net = Network([4, 3, 1], "tanh", output_activation="tanh", init="xavier", rng=0)
    inputs = lambda P: feature_matrix(P, ["x1", "x2", "x1^2", "x2^2"])  # noqa: E731
    with style(), matplotlib.rc_context({"savefig.dpi": 150}):  # the book's style saves at 150 dpi
        html = training_animation(
            net,
            X,
            y,
            epochs=6,
            every=2,
            inputs=inputs,
            lr=0.1,
            rng=0,
            validation_data=(X[:20], y[:20]),
            dpi=30,
            resolution=20,
        )
    assert isinstance(html, AnimationHTML) and html._repr_html_() == str(html)
    assert 'type="range"' in html and len(html) < 3_000_000
    frames = frames_of(html)
    assert len(frames) == 4  # epochs 1, 2, 4, 6
    sizes = {Image.open(io.BytesIO(f)).size for f in frames}
    assert sizes == {(8 * 30, round(3.6 * 30))}  # dpi 30, not the style's 150
    # Every frame has the same layout: the band above the axes (the title) is identical.
    tops = [np.asarray(Image.open(io.BytesIO(f)).convert("L"))[:12, 10:90] for f in frames]
    assert all(np.abs(t.astype(int) - tops[1].astype(int)).max() < 40 for t in tops[1:])
    assert len(repr(html)) < 100


def test_animate_frames_puts_the_weights_back(data):
    X, y = data
    net = Network([2, 3, 1], "tanh", output_activation="tanh", init="xavier", rng=1)
    rec = FrameRecorder(every=1)
    fit(net, X, y, epochs=3, lr=0.1, callbacks=[rec], progress=False, rng=0)
    net.set_params([np.zeros_like(p) for p in net.get_params()])
    animate_frames(net, rec.frames, X, y, dpi=20, resolution=10)
    assert all(not p.any() for p in net.get_params())
    with pytest.raises(ValueError, match="no frames"):
        animate_frames(net, [], X, y)


def test_frames_are_recorded_when_fit_skips_the_training_set_pass():
    X = np.random.default_rng(0).normal(size=(40, 2))
    Y = (X[:, :1] > 0).astype(float)
    recorder = FrameRecorder()
    Network([2, 4, 1], rng=0).fit(
        X, Y, epochs=3, callbacks=[recorder], train_metrics=False, validation_data=(X, Y), progress=False, rng=0
    )
    assert [f.epoch for f in recorder.frames] == [1, 2, 3]
    assert all(math.isnan(f.loss) and math.isfinite(f.val_loss) for f in recorder.frames)

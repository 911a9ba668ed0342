"""Animations of a training run that work without a kernel (on the website).

:func:`training_animation` trains a network with :func:`~nnlib.training.fit`, keeps a
copy of the weights every few epochs, and replays them as a matplotlib
animation: the decision map (for 2-D inputs) next to the loss curve. It
returns the animation as self-contained HTML/JavaScript with a frame slider
(``FuncAnimation.to_jshtml``), which a notebook shows and a static page keeps.

>>> training_animation(Network([2, 8, 1], "tanh"), X, y, epochs=100)  # doctest: +SKIP

:func:`animate_frames` replays frames recorded any other way (a list of :class:`Frame`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import matplotlib
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..callbacks import Callback, TrainState
from ..training import fit
from .decision import plot_decision_boundary, update_decision_map
from .style import BLUE, ORANGE, style

__all__ = ["AnimationHTML", "Frame", "FrameRecorder", "animate_frames", "training_animation"]


class AnimationHTML(str):
    """The animation's HTML: a ``str`` that Jupyter displays as the player itself."""

    def _repr_html_(self) -> str:
        return str(self)

    def __repr__(self) -> str:  # the text/plain output: not the whole page again
        return f"<training animation: {len(self) / 1e6:.1f} MB of HTML>"


@dataclass
class Frame:
    """The state of a training run at the end of one epoch."""

    epoch: int
    params: list[np.ndarray]  # copies of W0, b0, W1, b1, ... (Network.get_params)
    loss: float
    val_loss: float = math.nan


@dataclass
class FrameRecorder(Callback):
    """A :func:`~nnlib.training.fit` callback that keeps a :class:`Frame` every ``every`` epochs (and the last)."""

    every: int = 1
    frames: list[Frame] = field(default_factory=list)

    def on_train_begin(self, state: TrainState) -> None:
        self.frames = []

    def on_epoch_end(self, state: TrainState) -> None:
        if (state.epoch + 1) % self.every == 0 or state.epoch == 0:
            self._keep(state)

    def on_train_end(self, state: TrainState) -> None:
        if state.history.epoch and (not self.frames or self.frames[-1].epoch != state.history.epoch[-1]):
            self._keep(state)

    def _keep(self, state: TrainState) -> None:
        h = state.history
        self.frames.append(
            Frame(
                h.epoch[-1],
                state.net.get_params(),
                h.loss[-1] if h.loss else math.nan,
                h.val_loss[-1] if h.val_loss else math.nan,
            )
        )


def animate_frames(
    net,
    frames: Sequence[Frame],
    X,
    y,
    *,
    predict: Callable | None = None,
    X_test=None,
    y_test=None,
    title: str = "Training",
    fps: int = 8,
    dpi: int = 64,
    resolution: int = 50,
    embed_limit_mb: float = 8.0,
) -> AnimationHTML:
    """Replay recorded frames: decision map of ``predict`` (default ``net.predict``) and loss curve.

    Parameters
    ----------
    net : Network
        Its parameters are set from each frame in turn, then put back as they were.
    frames : sequence of Frame
    X, y : arrays
        The 2-D points ``(n_samples, 2)`` drawn on the map and their labels or targets.
    predict : callable, optional
        Maps points of shape ``(n, 2)`` to outputs, e.g. through input features.
    fps, dpi : int
        Frames per second of the player; resolution of each frame (keep it modest:
        every frame is embedded in the page as a PNG).

    Returns
    -------
    AnimationHTML
        ``FuncAnimation(...).to_jshtml()``: a player with a frame slider.
    """
    if not frames:
        raise ValueError("animate_frames: got no frames to animate")
    predict = predict or net.predict
    saved = net.get_params()
    losses = np.array([f.loss for f in frames])
    val = np.array([f.val_loss for f in frames])
    epochs = np.array([f.epoch for f in frames])
    try:
        with style():
            fig = Figure(figsize=(8.0, 3.6), dpi=dpi, layout="none")
            FigureCanvasAgg(fig)
            ax_map, ax_loss = fig.subplots(1, 2, width_ratios=[1, 1.25])
            fig.subplots_adjust(left=0.09, right=0.97, bottom=0.14, top=0.80, wspace=0.3)
            net.set_params(frames[0].params)
            image = plot_decision_boundary(
                predict,
                X,
                y,
                ax=ax_map,
                X_test=X_test,
                y_test=y_test,
                resolution=resolution,
                colorbar=False,
                title="Decision map",
            )
            if ax_map.get_legend() is not None:
                ax_map.get_legend().remove()  # the caption explains the markers
            for ax in (ax_map, ax_loss):  # few ticks: every frame redraws them
                ax.xaxis.set_major_locator(MaxNLocator(5))
                ax.yaxis.set_major_locator(MaxNLocator(5))
            top = np.nanmax(np.r_[losses, val]) if np.isfinite(np.r_[losses, val]).any() else 1.0
            ax_loss.set(xlim=(0, max(epochs[-1], 1)), ylim=(0, 1.08 * top), xlabel="epoch", ylabel="loss", title="Loss")
            (train_line,) = ax_loss.plot([], [], color=BLUE, label="training")
            (val_line,) = ax_loss.plot([], [], "--", color=ORANGE, label="validation / test")
            ax_loss.legend(loc="upper right", fontsize=10)
            heading = fig.suptitle("", fontsize=12, y=0.98)

        def draw(i: int):
            net.set_params(frames[i].params)
            update_decision_map(image, predict)
            train_line.set_data(epochs[: i + 1], losses[: i + 1])
            val_line.set_data(epochs[: i + 1], val[: i + 1])
            heading.set_text(f"{title}: epoch {epochs[i]}, loss {losses[i]:.3f}")
            return image, train_line, val_line, heading

        anim = FuncAnimation(fig, draw, frames=len(frames), interval=1000 / fps, blit=False)
        # JPEG frames: a third of the size of PNG and quicker to encode. The dpi as asked and
        # no layout engine even when the book style (savefig.dpi 150, constrained layout) is
        # active: savefig would switch that layout on after the first frame.
        with matplotlib.rc_context(
            {
                "animation.embed_limit": embed_limit_mb,
                "animation.frame_format": "jpeg",
                "savefig.dpi": dpi,
                "figure.constrained_layout.use": False,
                "figure.autolayout": False,
            }
        ):
            html = anim.to_jshtml(fps=fps, default_mode="once")
    finally:
        net.set_params(saved)
    return AnimationHTML(html)


def training_animation(
    net,
    X,
    Y,
    *,
    epochs: int = 60,
    every: int | None = None,
    max_frames: int = 40,
    inputs: Callable[[np.ndarray], np.ndarray] | None = None,
    y=None,
    validation_data: tuple | None = None,
    title: str = "Training",
    fps: int = 8,
    dpi: int = 64,
    resolution: int = 50,
    **fit_kwargs,
) -> AnimationHTML:
    """Train ``net`` on ``(X, Y)`` with :func:`~nnlib.training.fit` and return an animation of the run.

    Parameters
    ----------
    net : Network
        Trained in place (it ends in the state of the last epoch).
    X : array of shape (n_samples, 2)
        The points (drawn on the decision map).
    Y : array of shape (n_samples, n_outputs)
        Training targets.
    epochs : int
    every : int, optional
        Keep a frame every ``every`` epochs; by default at most ``max_frames`` frames.
    inputs : callable, optional
        Turns points into network inputs (e.g. extra features); then ``fit`` sees ``inputs(X)``.
    y : array, optional
        Labels to colour the points by (default ``Y``).
    validation_data : (X_val, Y_val), optional
        Raw points and targets; the validation loss is drawn and the points shown hollow.
    **fit_kwargs
        Passed on to :func:`~nnlib.training.fit` (``lr``, ``optimizer``, ``batch_size``, ``rng``, ...).

    Returns
    -------
    AnimationHTML
        An HTML player with a frame slider; display it, or write it into a page.
    """
    every = every or max(1, math.ceil(epochs / max_frames))
    recorder = FrameRecorder(every)
    transform = inputs or (lambda P: P)
    val = None if validation_data is None else (transform(np.asarray(validation_data[0])), validation_data[1])
    fit(
        net,
        transform(np.asarray(X)),
        Y,
        epochs=epochs,
        validation_data=val,
        callbacks=[recorder],
        progress=False,
        **fit_kwargs,
    )
    X_test, y_test = validation_data if validation_data is not None else (None, None)
    return animate_frames(
        net,
        recorder.frames,
        X,
        Y if y is None else y,
        X_test=X_test,
        y_test=y_test,
        predict=lambda P: net.predict(transform(P)),
        title=title,
        fps=fps,
        dpi=dpi,
        resolution=resolution,
    )

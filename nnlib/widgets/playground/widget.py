"""A neural-network playground in the notebook, in the spirit of TensorFlow Playground.

>>> pg = Playground("https://playground.tensorflow.org/#dataset=xor&networkShape=4")  # doctest: +SKIP
>>> pg                                                                                   # doctest: +SKIP

Press play and watch the network learn: the big map is the network's output
over the plane, the small maps what every neuron computes, the lines between
them the weights (width ~ |w|, blue positive, vermillion negative).

This module holds what the buttons do: :class:`Playground` (train, play, pause,
step, reset, load settings) and :func:`run_experiment` (train a set-up without
widgets and draw it). The parts are in their own modules:

* :mod:`~nnlib.widgets.playground.trainer`: :class:`~nnlib.widgets.playground.trainer.Trainer`,
  data, network and training as plain Python, tested without a browser;
* :mod:`~nnlib.widgets.playground.settings`: :class:`Settings`, settings strings and TF Playground URLs;
* :mod:`~nnlib.widgets.playground.features`: the input features;
* :mod:`~nnlib.widgets.playground.figure`: :class:`PlaygroundFigure`, all views in one matplotlib
  figure, updated in place and sent to the page as a PNG in an ``ipywidgets.Image``,
  so the saved notebook still shows a picture;
* :mod:`~nnlib.widgets.playground.controls`: the widgets of the control panel.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from .controls import PlaygroundControls
from .figure import PlaygroundFigure
from .settings import Settings, SettingsWarning, load_settings
from .trainer import Trainer

__all__ = ["Experiment", "Playground", "run_experiment"]


class Playground(PlaygroundControls):
    """The interactive playground: controls, a live picture, play / pause / step / reset.

    Parameters
    ----------
    settings : Settings, str or None
        A :class:`~nnlib.widgets.playground.settings.Settings`, a settings string
        (:meth:`Settings.to_string`) or a TensorFlow Playground URL.
    epochs : int
        Epochs to train before the first picture (so a saved notebook shows a trained map).
    interval : float
        Smallest time in seconds between two updates while playing.

    The play loop is an asyncio task on the notebook's event loop: each update
    trains one epoch and redraws (:meth:`update`), then yields, so clicks and
    other cells run in between. Updates never overlap, and pause, reset or a
    new learning rate only ever act between two epochs.

    The controls themselves (building the widgets, reading them into settings
    and back) come from :class:`~nnlib.widgets.playground.controls.PlaygroundControls`.
    """

    def __init__(
        self, settings: Settings | str | None = None, *, epochs: int = 0, interval: float = 0.02, dpi: int = 80
    ) -> None:
        import ipywidgets as w

        self._w = w
        self.status_text, self.playing, self.interval = "", False, interval
        self._busy, self._syncing = False, False
        self._task: asyncio.Task | None = None
        if isinstance(settings, str):
            settings, notes = _read(settings)
            self.status_text = notes
        self.core = Trainer(settings)
        self.figure = PlaygroundFigure(self.core, dpi=dpi)
        self._build_widgets()
        if epochs:
            self.core.step(epochs)
        self.render()
        self._set_status(self.status_text)

    @classmethod
    def from_tf_url(cls, url: str, **kwargs) -> Playground:
        """A playground set up like a ``https://playground.tensorflow.org/#...`` URL."""
        return cls(url, **kwargs)

    # --- actions (what the buttons call) -----------------------------------------------
    def update(self, fmt: str = "jpeg") -> bool:
        """One tick of the play loop: train one epoch, redraw every view. False if skipped."""
        if self._busy:  # single flight: never re-enter
            return False
        self._busy = True
        try:
            self.core.step(1)
            if self.core.message:
                self.pause()
                self._set_status(self.core.message, error=True)
            self.render(fmt)
        finally:
            self._busy = False
        return True

    def render(self, fmt: str = "png") -> None:
        """Redraw the figure into the image widget and refresh the labels."""
        self.figure.update(self.core)
        self.image.format = fmt
        self.image.value = self.figure.render(fmt)
        self.epoch_label.value = f"<b>epoch {self.core.epoch:,}</b>"

    def step(self, epochs: int = 1) -> None:
        """Train ``epochs`` epochs now (the Step button trains one), then redraw."""
        if self._busy:
            return
        self._busy = True
        try:
            self.core.step(epochs)
            self._set_status(self.core.message, error=bool(self.core.message))
        finally:
            self._busy = False
        self.render()

    def play(self) -> None:
        """Start the play loop (needs a running asyncio loop, as in Jupyter)."""
        if self.playing:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._set_status("no running event loop: call step(n), or await run() in a cell", error=True)
            return
        self._set_playing(True)
        if self._task is None or self._task.done():  # a loop still winding down just carries on
            self._task = loop.create_task(self._loop())

    def pause(self) -> None:
        """Stop after the current epoch; the network stays as it is."""
        self._set_playing(False)

    async def run(self, max_updates: int | None = None) -> int:
        """Play until paused, or for ``max_updates`` updates; returns how many ran."""
        self._set_playing(True)
        return await self._loop(max_updates)

    async def _loop(self, max_updates: int | None = None) -> int:
        """Update, yield to the event loop (clicks and cells run here), repeat while playing."""
        done = 0
        try:
            while self.playing and (max_updates is None or done < max_updates):
                start = time.perf_counter()
                done += self.update()
                await asyncio.sleep(max(0.005, self.interval - (time.perf_counter() - start)))
        finally:
            if max_updates is not None and done >= max_updates:
                self.pause()
            self.render()  # leave a lossless picture behind
        return done

    def _set_playing(self, playing: bool) -> None:
        self.playing = playing
        self.play_button.description, self.play_button.icon = ("Pause", "pause") if playing else ("Play", "play")

    def reset(self) -> None:
        """Pause, and start again from this seed's initial weights."""
        self.pause()
        self.core.reset()
        self.render()

    def regenerate(self) -> None:
        """Pause, draw new data (the next seed) and start from fresh weights."""
        self.pause()
        self._apply(self.core.settings.replace(seed=(self.core.settings.seed + 1) % 2**32))

    def load(self, text: str) -> None:
        """Load a settings string or a TF Playground URL; problems go to the status line."""
        settings, notes = _read(text)
        if settings is None:
            self._set_status(notes, error=True)
            return
        self._apply(settings, notes)

    @property
    def settings(self) -> Settings:
        return self.core.settings

    # --- applying settings -------------------------------------------------------------------
    def _apply(self, settings: Settings, notes: str = "") -> None:
        what = self.core.apply(settings)
        if what in ("data", "network"):
            self.pause()
            self.figure.build(self.core)
        self._sync_controls()
        self.render()
        lr = f"learning rate {settings.learning_rate:g}, batch size {settings.batch_size}"
        self._set_status(
            notes
            or {
                "data": "new data, fresh network",
                "network": "fresh network",
                "optimizer": f"{lr}: training continues",
            }.get(what, "")
        )


@dataclass
class Experiment:
    """A playground run trained without widgets: the core (network, losses) and a picture.

    In a notebook it shows as the playground's figure (a PNG).
    """

    core: Trainer
    png: bytes

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        c = self.core
        return f"epoch {c.epoch}: training loss {c.train_loss:.4f}, test loss {c.test_loss:.4f}"


def run_experiment(settings: Settings | str, epochs: int = 200, dpi: int = 72) -> Experiment:
    """Train a playground set-up for ``epochs`` epochs (no widgets) and draw the result.

    ``settings`` is a :class:`Settings`, a settings string or a TF Playground URL
    (problems in a string are reported as :class:`SettingsWarning`).
    """
    if isinstance(settings, str):
        settings = load_settings(settings)
    core = Trainer(settings)
    core.step(epochs)
    figure = PlaygroundFigure(core, dpi=dpi)
    figure.update(core)
    return Experiment(core, figure.render("png"))


def _read(text: str) -> tuple[Settings | None, str]:
    """Settings from a string or URL, and the warnings raised on the way as one message."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SettingsWarning)
        try:
            settings = load_settings(text)
        except (TypeError, ValueError) as e:
            return None, f"could not load the settings: {e}"
    notes = "; ".join(str(m.message) for m in caught if issubclass(m.category, SettingsWarning))
    return settings, notes

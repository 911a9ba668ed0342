"""A neural-network playground in the notebook, in the spirit of TensorFlow Playground.

>>> pg = Playground("https://playground.tensorflow.org/#dataset=xor&networkShape=4")  # doctest: +SKIP
>>> pg                                                                                   # doctest: +SKIP

Press Play and watch the network learn: the big map is the network's output over
the plane, the small maps what every neuron computes, the lines between them the
weights (width ~ ``|w|``, blue positive, vermillion negative).

:class:`Playground` is an `anywidget <https://anywidget.dev>`_. Its front end,
``nnlib/widgets/static/playground.js``, draws every picture and computes every heat
map itself from the weights, with ``engine.js``, the JavaScript port of this
package's maths. Who trains depends on where the page is:

* **With a Python kernel** (JupyterLab, Notebook, VS Code, Colab), nnlib trains: while
  playing, :class:`Playground` trains with its :class:`~nnlib.widgets.playground.trainer.Trainer`
  at a steady cadence, from a timer in the kernel's event loop (the loop that also
  delivers the page's messages, so a click is handled between two epochs, never in the
  middle of one). Every tick (``TICK`` s) it trains the epochs due at ``RATE`` epochs per
  second (two per frame at 60 frames per second, as the page trains without a kernel) and
  pushes what changed in one message (weights, biases, the losses of each epoch, the epoch).
  Flow control: the page hands out *credits*, epochs it is ready to receive, a window at a
  time, and Python trains only while a view has credit. A slow page (or a hidden tab, which
  draws nothing and so grants nothing) slows training down instead of queueing messages.
* **Without a kernel** (the book's website), nobody answers the page's first message
  (a ping), so the page trains with ``engine.js``'s ``Trainer``, which computes what
  nnlib computes, from the state saved in the notebook.

The protocol, as plain messages (``content`` of anywidget's custom messages), page -> Python:

* ``{"type": "ping"}``: Python answers ``{"type": "pong"}``;
* ``{"type": "credit", "view": id, "epochs": n}``: the view is ready for ``n`` more epochs.
  While playing, Python pushes ``{"type": "epochs", "epoch", "params", "losses": [[train,
  test], ...], "shuffle_rng"}``: the epochs trained in one tick (one pair of losses each),
  ``epoch`` the last of them and ``params`` its weights. Credit is kept per view, at most
  ``MAX_CREDIT`` epochs, and spent by every view at once (all views receive every message);
  Pause, Step, Reset and any change that pauses drop it;
* ``play``, ``pause``, ``step``, ``reset``, ``regenerate`` and ``sync``;
  ``{"type": "settings", "changes": {field: value}}`` and ``{"type": "load", "text": str}``
  (a settings string or a TF Playground URL): each answered with ``{"type": "state", ...}``,
  the whole state, with the data only when they changed (always for ``sync``). A refused
  value changes only the status line.

A ``state`` message holds ``playing``, ``status`` (``{"text", "error", "serial"}``) and
the parts of :meth:`Trainer.export_state <nnlib.widgets.playground.trainer.Trainer.export_state>`.
The same parts are also kept in the widget's synced traits (``_settings``, ``_data``,
``_params``, ``_epoch``, ``_history``, ``_shuffle_rng``, ``_status``), updated whenever
training stops, so a saved notebook (and the website built from it) opens showing
exactly the run the kernel had. The page reads them once, when it is drawn; after
that it follows the messages, which always arrive in order.

:func:`run_experiment` trains a set-up without any widget and shows it as a static
picture (:mod:`~nnlib.widgets.playground.figure`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
import warnings
from dataclasses import dataclass

import anywidget
import traitlets

from ..esm import bundle
from .figure import PlaygroundFigure
from .settings import Settings, SettingsWarning, load_settings
from .trainer import Trainer

__all__ = ["Experiment", "Playground", "run_experiment"]

_SAVED = ("settings", "data", "params", "epoch", "history", "shuffle_rng")  # the synced parts of the state
RATE = 120  # epochs per second while playing, at most (the page trains 2 per frame without a kernel)
TICK = 1 / 60  # seconds between two pushes: one message per frame of a 60 Hz screen
MAX_PER_TICK = 4  # epochs in one tick, at most: after a stall Python catches up this fast, no faster
MAX_CREDIT = 64  # epochs a view may ask for ahead, at most (the page asks for far fewer)


class Playground(anywidget.AnyWidget):
    """The interactive playground: controls, live pictures, Play / Pause / Step / Reset.

    Parameters
    ----------
    settings : Settings, str or None
        A :class:`~nnlib.widgets.playground.settings.Settings`, a settings string
        (:meth:`~nnlib.widgets.playground.settings.Settings.to_string`) or a TensorFlow Playground URL. Problems in a
        string are skipped and shown in the status line.
    epochs : int
        Epochs to train before the widget is shown (so a saved notebook shows a trained map).

    Notes
    -----
    The buttons of the page call the methods of the same names: :meth:`play`,
    :meth:`pause`, :meth:`step`, :meth:`reset`, :meth:`regenerate`, :meth:`load` and
    :meth:`change` (one or more settings). Called from a cell, they act the same way,
    and every view of the widget follows. Training while playing is driven by the
    page (it grants the credit for each epoch), so :meth:`play` without a view shown trains
    nothing; use :meth:`step` for that.
    """

    _esm = traitlets.Unicode(bundle("playground.js")).tag(sync=True)
    _settings = traitlets.Dict().tag(sync=True)
    _data = traitlets.Dict().tag(sync=True)
    _params = traitlets.Dict().tag(sync=True)
    _epoch = traitlets.Int(0).tag(sync=True)
    _history = traitlets.Dict().tag(sync=True)
    _shuffle_rng = traitlets.Dict().tag(sync=True)
    _status = traitlets.Dict().tag(sync=True)

    def __init__(self, settings: Settings | str | None = None, *, epochs: int = 0) -> None:
        if settings is not None and not isinstance(settings, (Settings, str)):
            raise TypeError(
                "Playground expected settings as a Settings, a settings string or a TF Playground URL, "
                f"got {type(settings).__name__}"
            )
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
            raise ValueError(f"Playground expected epochs to be an integer >= 0, got {epochs!r}")
        notes = ""
        if isinstance(settings, str):
            settings, notes = _read(settings)
            if settings is None:
                raise ValueError(f"Playground: {notes}")
        core = Trainer(settings)
        if epochs:
            core.step(epochs)
        status = {"text": notes or core.message, "error": bool(core.message) and not notes, "serial": 0}
        state = core.export_state(_SAVED)
        super().__init__(**{f"_{k}": v for k, v in state.items()}, _status=status)
        self.core = core
        self.playing = False
        self._credit: dict[str, int] = {}  # view -> epochs it is ready to receive
        self._clock: tuple[float, int] | None = None  # (start, epochs trained since) of the cadence
        self._timer: asyncio.Handle | None = None  # the next tick, when one is scheduled
        self.on_msg(self._on_message)

    @classmethod
    def from_tf_url(cls, url: str, **kwargs) -> Playground:
        """A playground set up like a ``https://playground.tensorflow.org/#...`` URL."""
        return cls(url, **kwargs)

    @property
    def settings(self) -> Settings:
        """The current :class:`~nnlib.widgets.playground.settings.Settings`."""
        return self.core.settings

    @property
    def playing(self) -> bool:
        """Whether the playground trains (while a view grants credit)."""
        return self._playing

    @playing.setter
    def playing(self, value: bool) -> None:
        self._playing = value
        if not value:  # paused: the credits are void, no tick stays scheduled
            self._credit = {}
            self._clock = None
            if getattr(self, "_timer", None) is not None:
                self._timer.cancel()
                self._timer = None

    @property
    def status(self) -> str:
        """The text of the status line (empty when there is nothing to say)."""
        return self._status.get("text", "")

    # --- actions: the buttons of the page, and methods to call from a cell ---------------
    def play(self) -> None:
        """Start playing: Python trains while a view of the widget grants credit."""
        self.playing = True
        self._publish("")

    def pause(self) -> None:
        """Stop playing; the network stays as it is after the last whole epoch."""
        self.playing = False
        self._publish("")

    def step(self, epochs: int = 1) -> None:
        """Pause and train ``epochs`` epochs now (the Step button trains one)."""
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
            raise ValueError(f"Playground.step expected epochs to be an integer >= 1, got {epochs!r}")
        self.playing = False
        self.core.step(epochs)
        self._publish(self.core.message, error=bool(self.core.message))

    def reset(self) -> None:
        """Pause, and start again from this seed's initial weights."""
        self.playing = False
        self.core.reset()
        self._publish("")

    def regenerate(self) -> None:
        """Pause, draw new data (the next seed) and start from fresh weights."""
        self._apply(self.core.settings.replace(seed=(self.core.settings.seed + 1) % 2**32))

    def load(self, text: str) -> None:
        """Load a settings string or a TF Playground URL; problems go to the status line."""
        if not isinstance(text, str):
            raise TypeError(f"Playground.load expected a settings string or a TF URL, got {type(text).__name__}")
        settings, notes = _read(text)
        if settings is None:
            self._publish(notes, error=True)
        else:
            self._apply(settings, notes)

    def change(self, **changes) -> None:
        """Change some settings, e.g. ``change(learning_rate=0.1, hidden=(4,))``.

        A value that makes no sense is refused: nothing changes and the status line
        (:attr:`status`) says why. A new learning rate, batch size or regularisation
        applies from the next epoch while playing; new data or a new network pause.
        """
        fields = [f.name for f in dataclasses.fields(Settings)]
        unknown = sorted(set(changes) - set(fields))
        try:
            if unknown:
                raise ValueError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(fields)}")
            settings = self.core.settings.replace(**changes)
        except (TypeError, ValueError) as e:
            self._publish(f"{e} (kept the previous value)", error=True)
            return
        self._apply(settings)

    # --- the messages of the page ----------------------------------------------------------
    def _on_message(self, widget, content, buffers) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        try:
            if kind == "ping":
                self.send({"type": "pong"})
            elif kind == "credit":
                self._grant(content.get("view"), content.get("epochs"))
            elif kind in ("play", "pause", "reset", "regenerate"):
                getattr(self, kind)()
            elif kind == "step":
                self.step(1)
            elif kind == "sync":
                self._publish(self.status, error=self._status.get("error", False), data=True)
            elif kind == "settings" and isinstance(content.get("changes"), dict):
                self.change(**content["changes"])
            elif kind == "load" and isinstance(content.get("text"), str):
                self.load(content["text"])
            else:
                self._publish(f"the page sent a message the playground does not know: {content!r}", error=True)
        except Exception as e:  # never leave the page waiting: say what went wrong
            self.playing = False
            self._publish(f"{type(e).__name__}: {e}", error=True)

    def _grant(self, view, epochs) -> None:
        """A view is ready for ``epochs`` more epochs: train (from the next tick) while playing."""
        if not isinstance(view, str) or isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
            raise ValueError(f"a credit needs a view id and a number of epochs >= 1, got {view!r} and {epochs!r}")
        if not self.playing:  # late credit, sent before the page heard of a Pause: void
            return
        self._credit[view] = min(self._credit.get(view, 0) + epochs, MAX_CREDIT)
        if self._timer is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no event loop (a plain script, a test): whoever calls _tick drives training
                return
            self._timer = loop.call_soon(self._tick)

    def _tick(self, now: float | None = None) -> None:
        """Train the epochs due at ``RATE`` per second (at least one), push them, and schedule the next tick.

        ``now`` (``time.perf_counter()`` when None) lets a test drive the clock.
        """
        self._timer = None
        try:
            self._push(now)
        except Exception as e:  # never leave the page waiting: say what went wrong
            self.playing = False
            self._publish(f"{type(e).__name__}: {e}", error=True)

    def _push(self, now: float | None) -> None:
        credit = max(self._credit.values(), default=0)
        if not self.playing or credit < 1:
            self._clock = None  # a stall: the cadence starts again from the next credit
            return
        now = time.perf_counter() if now is None else now
        start, done = self._clock or (now, 0)
        due = int((now - start) * RATE + 1e-9) + 1 - done  # (+1e-9: 2 / 120 s is 2 epochs, not 1.999)
        n = max(1, min(due, MAX_PER_TICK, credit))
        c, losses = self.core, []
        for _ in range(n):
            if c.step(1) == 0:  # diverged: the last good weights are kept
                break
            losses.append([c.train_loss, c.test_loss])
        if losses:
            self._credit = {v: k - len(losses) for v, k in self._credit.items() if k > len(losses)}
            self.send({"type": "epochs", "losses": losses, **c.export_state(("params", "epoch", "shuffle_rng"))})
        if len(losses) < n:  # diverged: pause and say so
            self.playing = False
            self._publish(c.message, error=True)
            return
        # far behind (a busy kernel, a slow page): restart the cadence rather than chase the backlog
        self._clock = (now, 1) if due > MAX_PER_TICK else (start, done + n)
        if self._credit and self._timer is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return
            self._timer = loop.call_later(TICK, self._tick)

    # --- applying settings, and telling the page ---------------------------------------------
    def _apply(self, settings: Settings, notes: str = "") -> None:
        what = self.core.apply(settings)
        if what in ("data", "network"):
            self.playing = False
        s = self.core.settings
        said = {
            "data": "new data, fresh network",
            "network": "fresh network",
            "optimizer": f"learning rate {s.learning_rate:g}, batch size {s.batch_size}: training continues",
        }
        self._publish(notes or said.get(what, ""), data=what == "data")

    def _publish(self, text: str, error: bool = False, data: bool = False) -> None:
        """Keep the synced traits (the saved state) up to date and send the page the whole state."""
        status = {"text": text, "error": error, "serial": self._status.get("serial", 0) + 1}
        parts = _SAVED if data else tuple(p for p in _SAVED if p != "data")
        state = self.core.export_state(parts)
        with self.hold_sync():
            for part, value in state.items():
                setattr(self, f"_{part}", value)
            self._status = status
        self.send({"type": "state", "playing": self.playing, "status": status, **state})


@dataclass
class Experiment:
    """A playground run trained without widgets: the core (network, losses) and a picture.

    In a notebook it shows as a static picture (a PNG) of the network and its decision map.
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
    if not isinstance(settings, (Settings, str)):
        raise TypeError(
            f"run_experiment expected a Settings, a settings string or a TF URL, got {type(settings).__name__}"
        )
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"run_experiment expected epochs to be an integer >= 0, got {epochs!r}")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 20 <= dpi <= 600:
        raise ValueError(f"run_experiment expected dpi to be an integer from 20 to 600, got {dpi!r}")
    if isinstance(settings, str):
        settings = load_settings(settings)
    core = Trainer(settings)
    core.step(epochs)
    return Experiment(core, PlaygroundFigure(core, dpi=dpi).render())


def _read(text: str) -> tuple[Settings | None, str]:
    """Settings from a string or URL, and the warnings raised on the way as one message."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SettingsWarning)
        try:
            settings = load_settings(text)
        except (TypeError, ValueError) as e:
            return None, f"could not load the settings: {e}"
    notes = "; ".join(str(m.message) for m in caught if issubclass(m.category, SettingsWarning))
    return settings, notes

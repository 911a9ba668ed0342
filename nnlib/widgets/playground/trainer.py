"""The plain logic of the playground: a training state machine, with no widgets.

Everything here can be driven and tested from plain Python;
``nnlib.widgets.playground.widget`` puts controls and pictures on top. A run is
defined by a :class:`~nnlib.widgets.playground.settings.Settings`; its input features
come from :func:`~nnlib.widgets.playground.features.feature_matrix`.

Choices, as in TensorFlow Playground:

* Classification labels are turned into targets ``-1`` / ``+1``; the output
  neuron is ``tanh`` and the loss is the quadratic cost
  ``C = (1/n) sum_x 1/2 (a - y)^2``, so the reported train and test losses are
  the numbers TF Playground shows. Regression uses a linear output and the
  same loss on targets in ``[-1, 1]``.
* Weights start uniform in ``[-0.5, 0.5]`` and biases at ``0.1`` (all weights
  zero with ``init_zero``). One *epoch* is one pass over the shuffled training
  set in mini-batches of ``batch_size``: ``net.forward``, ``net.backward`` and
  ``SGD.step`` for each batch. It is :func:`nnlib.training.fit` for one epoch, so each
  step is checked before it is taken, as in every nnlib training: the weights stay finite.
"""

from __future__ import annotations

import dataclasses
import math
import threading

import numpy as np

from ...data import playground, train_test_split
from ...network import Network
from ...optimizers import SGD
from ...training import TrainingDiverged, fit
from .features import feature_matrix
from .settings import Settings

__all__ = ["STATE_PARTS", "Trainer", "tf_uniform"]

# The parts of a saved run, in the shape engine.js's Trainer.fromState reads (see export_state).
STATE_PARTS = ("settings", "data", "params", "epoch", "history", "message", "shuffle_rng")


# --- the training state machine ------------------------------------------------------
def tf_uniform(n_in: int, n_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    """TF Playground's initial weights: uniform in [-0.5, 0.5], shape ``(n_in, n_out)``."""
    return np.random.default_rng(rng).uniform(-0.5, 0.5, (n_in, n_out)).astype(dtype)


class Trainer:
    """Data, network, optimiser and loss history of one playground, with no widgets.

    Every public method takes a lock, so a training loop, a button handler or a
    second thread can never see (or leave) a half-updated network. The same
    seed always gives the same data, the same initial weights and the same
    shuffling, so :meth:`reset` replays a run exactly.

    Parameters
    ----------
    settings : Settings, optional
    resolution : int
        Grid points per axis for the decision map and the neuron maps.
    """

    EXTENT = (-6.0, 6.0)

    def __init__(self, settings: Settings | None = None, resolution: int = 50) -> None:
        self._lock = threading.RLock()
        axis = np.linspace(*self.EXTENT, resolution)
        gx, gy = np.meshgrid(axis, axis)  # row i is x2 = axis[i]
        self.grid = np.column_stack([gx.ravel(), gy.ravel()])  # (resolution^2, 2)
        self.resolution = resolution
        self.settings = settings if settings is not None else Settings()
        self.message = ""
        self._make_data()
        self.reset()

    # --- building ----------------------------------------------------------------------
    def _seeds(self) -> list[np.random.SeedSequence]:
        return np.random.SeedSequence(self.settings.seed).spawn(3)  # data, weights, shuffling

    def _make_data(self) -> None:
        s = self.settings
        data_rng = np.random.default_rng(self._seeds()[0])
        X, y = playground(s.dataset, n=s.n_samples, noise=s.noise / 100, rng=data_rng)
        if s.problem == "classification":
            y = 2.0 * y - 1.0  # labels 0/1 -> targets -1/+1
        self.X_train, self.y_train, self.X_test, self.y_test = train_test_split(
            X, y, test_fraction=1 - s.train_percent / 100, rng=data_rng
        )
        self._features_for_data()

    def _features_for_data(self) -> None:
        f = self.settings.features
        self.F_train = feature_matrix(self.X_train, f)  # (n_train, n_features)
        self.F_test = feature_matrix(self.X_test, f)
        self.F_grid = feature_matrix(self.grid, f)

    def _make_network(self) -> Network:
        s = self.settings
        out = "tanh" if s.problem == "classification" else "identity"
        net = Network(
            [len(s.features), *s.hidden, 1],
            activation=s.activation,
            output_activation=out,
            loss="quadratic",
            init=tf_uniform,
            rng=np.random.default_rng(self._seeds()[1]),
        )
        for layer in net.layers:
            layer.b[:] = 0.1
            if s.init_zero:
                layer.W[:] = 0.0
        return net

    def _make_optimizer(self) -> SGD:
        s = self.settings
        rate = s.regularization_rate
        return SGD(
            lr=s.learning_rate,
            l1=rate if s.regularization == "L1" else 0.0,
            l2=rate if s.regularization == "L2" else 0.0,
        )

    # --- the state machine ----------------------------------------------------------------
    def reset(self) -> None:
        """A fresh network with this seed's initial weights; epoch 0, empty history."""
        with self._lock:
            self.net = self._make_network()
            self.optimizer = self._make_optimizer()
            self._shuffle_rng = np.random.default_rng(self._seeds()[2])
            self.epoch = 0
            self.history: dict[str, list] = {"epoch": [], "train_loss": [], "test_loss": []}
            self.message = ""
            self._record()

    def apply(self, settings: Settings) -> str:
        """Switch to new settings, rebuilding only what they change.

        Returns ``"data"`` (new data and a fresh network), ``"network"`` (a
        fresh network), ``"optimizer"`` (same network, new learning rate, batch
        size or regularisation: training continues) or ``"view"``.
        """
        if not isinstance(settings, Settings):
            raise TypeError(f"Trainer.apply expected Settings, got {type(settings).__name__}")
        with self._lock:
            old, self.settings = self.settings, settings
            changed = {
                f.name for f in dataclasses.fields(Settings) if getattr(old, f.name) != getattr(settings, f.name)
            }
            if changed & {"dataset", "noise", "train_percent", "seed", "n_samples"}:
                self._make_data()
                self.reset()
                return "data"
            if changed & {"features", "hidden", "activation", "init_zero"}:
                self._features_for_data()
                self.reset()
                return "network"
            if changed & {"learning_rate", "regularization", "regularization_rate", "batch_size"}:
                new = self._make_optimizer()
                self.optimizer.lr, self.optimizer.l1, self.optimizer.l2 = new.lr, new.l1, new.l2
                return "optimizer"
            return "view"

    def regenerate(self) -> str:
        """New data: the next seed (so a regenerated set can be shared by its seed)."""
        with self._lock:
            return self.apply(self.settings.replace(seed=(self.settings.seed + 1) % 2**32))

    def step(self, epochs: int = 1) -> int:
        """Train ``epochs`` epochs; returns how many ran (fewer if training diverged).

        Each epoch is :func:`~nnlib.training.fit` for one epoch: it shuffles the training set
        with this run's generator and, for each mini-batch, runs ``net.forward``,
        ``net.backward`` and the optimiser's step, each step checked before it is taken. If a
        step would make a weight NaN or infinite, training stops with the weights of the last
        completed step. If the epoch ends with finite weights but a loss that is not a finite
        number (the outputs overflowed), the weights of the last recorded epoch come back.
        Either way ``message`` says what happened.
        """
        with self._lock, np.errstate(over="ignore", invalid="ignore"):
            self.message = ""
            net, opt = self.net, self.optimizer
            for done in range(int(epochs)):
                before = net.get_params()
                try:
                    fit(
                        net,
                        self.F_train,
                        self.y_train,
                        epochs=1,
                        batch_size=self.settings.batch_size,
                        optimizer=opt,
                        progress=False,
                        train_metrics=False,
                        rng=self._shuffle_rng,
                    )
                except TrainingDiverged:
                    self.message = (
                        f"training diverged in epoch {self.epoch + 1} with learning rate {opt.lr:g}: "
                        f"a step would have made a weight NaN or infinite. The weights of the last "
                        f"completed step are kept; try a smaller learning rate."
                    )
                    return done
                self.epoch += 1
                if not self._record():
                    net.set_params(before)
                    self.epoch -= 1
                    self.message = (
                        f"training diverged in epoch {self.epoch + 1} with learning rate "
                        f"{opt.lr:g}: the loss became NaN or infinite. The weights of epoch "
                        f"{self.epoch} are kept; try a smaller learning rate."
                    )
                    return done
            return int(epochs)

    def _record(self) -> bool:
        """Append this epoch's losses to the history; False (nothing appended) if not finite."""
        net = self.net
        train = net.loss(net.forward(self.F_train), self.y_train)
        test = net.loss(net.forward(self.F_test), self.y_test)
        if not (math.isfinite(train) and math.isfinite(test)):
            return False
        self.history["epoch"].append(self.epoch)
        self.history["train_loss"].append(train)
        self.history["test_loss"].append(test)
        return True

    # --- what the views show ---------------------------------------------------------------
    @property
    def train_loss(self) -> float:
        return self.history["train_loss"][-1]

    @property
    def test_loss(self) -> float:
        return self.history["test_loss"][-1]

    def grid_outputs(self) -> tuple[np.ndarray, list[np.ndarray]]:
        """The output over the grid, and every hidden layer's activations over it.

        Returns
        -------
        output : array of shape (resolution, resolution)
            Row ``i`` is ``x2 = grid value i`` (draw with ``origin="lower"``).
        hidden : list of arrays of shape (resolution, resolution, n_neurons)
        """
        r = self.resolution
        with self._lock:
            out = self.net.forward(self.F_grid)
            hidden = [layer.A.reshape(r, r, -1) for layer in self.net.layers[:-1]]
        return out.reshape(r, r), hidden

    def feature_maps(self) -> np.ndarray:
        """Each input feature over the grid, scaled to [-1, 1]: shape (resolution, resolution, n_features)."""
        F = self.F_grid / np.maximum(np.abs(self.F_grid).max(axis=0), 1e-12)
        return F.reshape(self.resolution, self.resolution, -1)

    def predict(self, points) -> np.ndarray:
        """The network's output for raw points of shape ``(n, 2)``, through the input features."""
        return self.net.predict(feature_matrix(points, self.settings.features))

    # --- saving: the state the page's engine loads ------------------------------------------
    def export_state(self, parts=STATE_PARTS) -> dict:
        """This run as plain JSON, in the shape ``Trainer.fromState`` of ``engine.js`` reads.

        The page's JavaScript engine (``nnlib/widgets/static/engine.js``) shows exactly
        this run from it and, with ``shuffle_rng``, trains on as this Trainer would:

        * ``settings``: every field of :class:`Settings` (tuples as lists);
        * ``data``: ``x_train`` and ``x_test`` of shape (n, 2) as nested lists, the targets
          ``y_train`` and ``y_test`` flat (``-1`` / ``+1`` for classification);
        * ``params``: ``weights`` (one ``(n_in, n_out)`` nested list per layer) and ``biases``;
        * ``epoch``, ``history`` (``epoch``, ``train_loss``, ``test_loss``) and ``message``;
        * ``shuffle_rng``: the PCG64 state of the batch shuffling, 128-bit numbers as decimal strings.

        Parameters
        ----------
        parts : sequence of str
            Which of these to export (default all), e.g. ``("params", "epoch")`` for what
            one epoch changes.
        """
        names = tuple(parts) if not isinstance(parts, str) and hasattr(parts, "__iter__") else None
        if names is None or not all(isinstance(p, str) for p in names):
            raise TypeError(f"Trainer.export_state expected a sequence of part names, got {parts!r}")
        unknown = [p for p in names if p not in STATE_PARTS]
        if unknown:
            raise ValueError(f"Trainer.export_state: unknown part(s) {unknown}; valid: {', '.join(STATE_PARTS)}")
        with self._lock:
            return {part: getattr(self, f"_export_{part}")() for part in names}

    def _export_settings(self) -> dict:
        s = self.settings
        plain = {f.name: getattr(s, f.name) for f in dataclasses.fields(s)}
        return {k: [_plain(x) for x in v] if isinstance(v, tuple) else _plain(v) for k, v in plain.items()}

    def _export_data(self) -> dict:
        return {
            "x_train": self.X_train.tolist(),
            "y_train": self.y_train.ravel().tolist(),
            "x_test": self.X_test.tolist(),
            "y_test": self.y_test.ravel().tolist(),
        }

    def _export_params(self) -> dict:
        layers = self.net.layers
        return {"weights": [L.W.tolist() for L in layers], "biases": [L.b.ravel().tolist() for L in layers]}

    def _export_epoch(self) -> int:
        return int(self.epoch)

    def _export_history(self) -> dict:
        h = self.history
        return {
            "epoch": [int(e) for e in h["epoch"]],
            "train_loss": [float(v) for v in h["train_loss"]],
            "test_loss": [float(v) for v in h["test_loss"]],
        }

    def _export_message(self) -> str:
        return self.message

    def _export_shuffle_rng(self) -> dict:
        bits = self._shuffle_rng.bit_generator.state
        return {
            "state": str(bits["state"]["state"]),
            "inc": str(bits["state"]["inc"]),
            "has_uint32": int(bits["has_uint32"]),
            "uinteger": int(bits["uinteger"]),
        }


def _plain(value):
    """A numpy scalar as the Python number it holds (for JSON); anything else unchanged."""
    return value.item() if isinstance(value, np.generic) else value

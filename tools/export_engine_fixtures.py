"""Write the JSON fixtures that check the JavaScript engine against nnlib.

The website trains the playground with ``nnlib/widgets/static/engine.js``, a port of
nnlib's maths; ``tests/js/engine.test.mjs`` runs it on these fixtures and requires
nnlib's numbers. Run both with::

    python tools/export_engine_fixtures.py build/engine-fixtures
    NNLIB_ENGINE_FIXTURES=build/engine-fixtures node --test tests/js/

Files written to OUTDIR:

* ``train-<name>.json``, one per configuration in :data:`CONFIGS`: the settings, the
  data points, the input features, the initial weights and biases, the permutation
  nnlib drew for every epoch, and the weights, biases and losses after
  :data:`STEPS` SGD steps (mini-batch updates), computed with nnlib's own
  ``Network``, ``SGD`` and ``feature_matrix``; plus what ``Trainer`` reports
  after a few epochs (history, weights and, for one configuration, the grid outputs).
* ``diverge.json``: a run whose loss becomes infinite (message, kept weights).
* ``state.json``: a saved ``Trainer`` state and how training continues from it.
* ``rng.json``: numpy's seeds, raw draws, uniforms, permutations, normals and whole
  data sets, for the engine's copy of numpy's random numbers.
* ``settings.json``: settings strings and TF Playground URLs that nnlib writes, and the
  settings it reads from good, odd and broken ones, for ``static/settings.js``
  (``tests/js/settings.test.mjs``).
* ``optimizer-paths.json``: the paths of nnlib's SGD, momentum, RMSProp and Adam on the
  optimiser explorer's surfaces (``nnlib.widgets.optimizer_paths``), for
  ``static/optimizer_paths.js`` (``tests/js/optimizer_paths.test.mjs``).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import warnings

import numpy as np

import nnlib
from nnlib import SGD, Network
from nnlib.data import playground, train_test_split
from nnlib.widgets.playground.features import FEATURES, feature_matrix
from nnlib.widgets.playground.settings import Settings, load_settings
from nnlib.widgets.playground.trainer import Trainer, tf_uniform

STEPS = 100  # SGD steps (mini-batch updates) per training fixture
CORE_EPOCHS = 5  # epochs of Trainer.step recorded per configuration

CONFIGS = {
    # TensorFlow Playground's default set-up
    "tf-default": dict(
        dataset="circle",
        noise=0,
        features=("x1", "x2"),
        hidden=(4, 2),
        activation="tanh",
        learning_rate=0.03,
        batch_size=10,
        train_percent=50,
        regularization="none",
    ),
    "relu-l1": dict(
        dataset="xor",
        noise=10,
        features=("x1", "x2", "x1^2", "x1*x2", "sin(x1)"),
        hidden=(6, 3),
        activation="relu",
        learning_rate=0.01,
        regularization="L1",
        regularization_rate=0.001,
        batch_size=7,
        train_percent=60,
        seed=3,
    ),
    "sigmoid-l2": dict(
        dataset="spiral",
        noise=20,
        features=tuple(FEATURES),
        hidden=(8, 4, 2),
        activation="sigmoid",
        learning_rate=0.3,
        regularization="L2",
        regularization_rate=0.003,
        batch_size=15,
        train_percent=70,
        n_samples=301,
        seed=11,
    ),
    "regression-linear": dict(
        dataset="reg-plane",
        noise=5,
        features=("x1", "x2"),
        hidden=(3,),
        activation="linear",
        learning_rate=0.01,
        batch_size=10,
        seed=5,
    ),
    "regression-gauss": dict(
        dataset="reg-gauss",
        noise=15,
        features=("x1", "x2", "x1^2", "x2^2", "cos(x1)", "cos(x2)"),
        hidden=(8, 8, 8),
        activation="tanh",
        learning_rate=0.03,
        batch_size=1,
        seed=42,
    ),
    "gaussian-no-hidden": dict(
        dataset="gaussian",
        noise=30,
        hidden=(),
        activation="relu",
        learning_rate=0.1,
        batch_size=30,
        train_percent=30,
        seed=7,
        regularization="L2",
        regularization_rate=0.01,
    ),
    "init-zero": dict(
        dataset="circle",
        noise=25,
        hidden=(2,),
        init_zero=True,
        learning_rate=0.1,
        seed=2**32 - 1,
        n_samples=99,
        batch_size=4,
    ),
}
GRID_CONFIG = "tf-default"  # the one whose grid outputs are exported
DIVERGE = dict(
    dataset="reg-plane",
    features=("x1", "x2", "x1^2", "x2^2", "x1*x2"),
    hidden=(8, 8),
    activation="relu",
    learning_rate=10,
    batch_size=10,
)


def rows(a) -> list:
    return np.asarray(a, dtype=float).tolist()


def params_json(net: Network) -> dict:
    return {"weights": [rows(L.W) for L in net.layers], "biases": [rows(L.b) for L in net.layers]}


# --- training fixtures ---------------------------------------------------------------------
def training_fixture(name: str, config: dict) -> dict:
    """STEPS steps of nnlib's Network and SGD on Trainer's data, recording every permutation."""
    settings = Settings(**config)
    core = Trainer(settings)  # the data and initial weights of this seed
    seeds = np.random.SeedSequence(settings.seed).spawn(3)
    classification = settings.problem == "classification"
    F_train = feature_matrix(core.X_train, settings.features)
    F_test = feature_matrix(core.X_test, settings.features)
    net = Network(
        [len(settings.features), *settings.hidden, 1],
        activation=settings.activation,
        output_activation="tanh" if classification else "identity",
        loss="quadratic",
        init=tf_uniform,
        rng=np.random.default_rng(seeds[1]),
    )
    for layer in net.layers:
        layer.b[:] = 0.1
        if settings.init_zero:
            layer.W[:] = 0.0
    for mine, core_p in zip(net.get_params(), core.net.get_params()):
        assert np.array_equal(mine, core_p), f"{name}: this network differs from Trainer's"
    rate = settings.regularization_rate
    opt = SGD(
        lr=settings.learning_rate,
        l1=rate if settings.regularization == "L1" else 0.0,
        l2=rate if settings.regularization == "L2" else 0.0,
    )
    initial = params_json(net)
    shuffle = np.random.default_rng(seeds[2])
    n, bs = len(F_train), settings.batch_size
    orders, steps = [], 0
    while steps < STEPS:
        order = shuffle.permutation(n)
        orders.append(order.tolist())
        F, Y = F_train[order], core.y_train[order]
        for start in range(0, n, bs):
            net.forward(F[start : start + bs])
            net.backward(Y[start : start + bs])
            opt.step(net.layers)
            steps += 1
            if steps == STEPS:
                break
    fixture = {
        "name": name,
        "settings": core.export_state(["settings"])["settings"],
        "problem": settings.problem,
        "x_train": rows(core.X_train),
        "y_train": rows(core.y_train.ravel()),
        "x_test": rows(core.X_test),
        "y_test": rows(core.y_test.ravel()),
        "f_train": rows(F_train),
        "initial": initial,
        "orders": orders,
        "steps": STEPS,
        "final": params_json(net),
        "train_loss": net.loss(net.forward(F_train), core.y_train),
        "test_loss": net.loss(net.forward(F_test), core.y_test),
    }
    core.step(CORE_EPOCHS)  # what Trainer shows after a few epochs
    fixture["core"] = {
        "epochs": CORE_EPOCHS,
        "history": core.export_state(["history"])["history"],
        "params": params_json(core.net),
    }
    if name == GRID_CONFIG:
        output, hidden = core.grid_outputs()
        fixture["core"]["grid"] = {
            "resolution": core.resolution,
            "output": rows(output.ravel()),
            "hidden": [[rows(h[:, :, j].ravel()) for j in range(h.shape[2])] for h in hidden],
        }
    return fixture


def diverge_fixture() -> dict:
    core = Trainer(Settings(**DIVERGE))
    ran = core.step(10)
    assert ran < 10 and core.message, "the divergence fixture should diverge"
    return {
        "settings": core.export_state(["settings"])["settings"],
        "epochs": 10,
        "ran": ran,
        "state": core.export_state(),
    }


def state_fixture() -> dict:
    core = Trainer(Settings(**CONFIGS["relu-l1"]))
    core.step(3)
    saved = core.export_state()
    core.step(4)
    return {"saved": saved, "more_epochs": 4, "after": core.export_state()}


# --- random numbers ------------------------------------------------------------------------
RNG_SEEDS = [0, 1, 5, 42, 12345, 2**32 - 1, 2**40 + 3]


def rng_fixture() -> dict:
    seeds = []
    for seed in RNG_SEEDS:
        ss = np.random.SeedSequence(seed)
        g = np.random.default_rng(seed)
        state = g.bit_generator.state["state"]
        raw = g.bit_generator.random_raw(5)
        g = np.random.default_rng(seed)  # interleaved calls share the 32-bit buffer
        mixed = {
            "uniform_a": rows(g.uniform(0.0, 1.0, 10)),
            "perm_a": g.permutation(7).tolist(),
            "uniform_b": rows(g.uniform(-0.5, 0.5, 3)),
            "perm_b": g.permutation(300).tolist(),
            "perm_c": g.permutation(1).tolist(),
            "perm_d": g.permutation(2).tolist(),
            "uniform_c": rows(g.uniform(-6.0, 6.0, 4)),
        }
        seeds.append(
            {
                "seed": str(seed),
                "pool": ss.pool.tolist(),
                "children": [
                    {
                        "spawn_key": list(c.spawn_key),
                        "pool": c.pool.tolist(),
                        "state32": c.generate_state(8, np.uint32).tolist(),
                    }
                    for c in ss.spawn(3)
                ],
                "state": {"state": str(state["state"]), "inc": str(state["inc"])},
                "raw": [str(int(v)) for v in raw],
                "mixed": mixed,
            }
        )
    normal = np.random.default_rng(2024).standard_normal(20000)
    datasets = []
    for name in ("circle", "xor", "gaussian", "spiral", "reg-plane", "reg-gauss"):
        for noise in (0.0, 0.25, 0.5):
            for seed in (0, 99):
                rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(3)[0])
                X, y = playground(name, n=200, noise=noise, rng=rng)
                X_train, y_train, X_test, y_test = train_test_split(X, y, test_fraction=0.3, rng=rng)
                datasets.append(
                    {
                        "name": name,
                        "noise": noise,
                        "seed": seed,
                        "n": 200,
                        "test_fraction": 0.3,
                        "X": rows(X),
                        "y": rows(y.ravel()),
                        "x_train": rows(X_train),
                        "y_train": rows(y_train.ravel()),
                        "x_test": rows(X_test),
                        "y_test": rows(y_test.ravel()),
                    }
                )
    return {"seeds": seeds, "normal": {"seed": 2024, "values": rows(normal)}, "datasets": datasets}


# --- settings as text ------------------------------------------------------------------------
TEXTS = [
    "dataset=xor;hidden=4,2;noise=10;show_test_data=1",
    "dataset=spiral;learning_rate=0.00001;regularization=L1;regularization_rate=0.003;hidden=",
    "dataset=reg-gauss;features=cos(x2),x1;seed=0.123;batch_size=25;discretize=true",
    "colour=red;hidden=two;learning_rate=-3;noise=80;seed=hello",
    "learning_rate=1e-7;train_percent=70;init_zero=1;n_samples=300;activation=relu",
    "https://playground.tensorflow.org/#activation=relu&batchSize=3&dataset=gauss&regDataset=reg-plane"
    "&learningRate=0.3&regularizationRate=0.01&noise=25&networkShape=8,8,1&seed=0.00042&showTestData=true"
    "&discretize=false&percTrainData=30&x=true&y=false&xTimesY=true&sinX=true&problem=classification"
    "&initZero=false&regularization=L2",
    "https://playground.tensorflow.org/#problem=regression&regDataset=reg-gauss&networkShape=&x=false&y=false"
    "&learningRate=fast&frobnicate=1&cosY=maybe",
    "https://playground.tensorflow.org/#dataset=moons&networkShape=4,0&problem=banana",
]


def settings_fixture() -> dict:
    """What nnlib reads from each of TEXTS, and writes for what it read."""
    cases = []
    for text in TEXTS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            settings = load_settings(text)
        cases.append(
            {
                "text": text,
                "settings": {f: list(v) if isinstance(v, tuple) else v for f, v in vars(settings).items()},
                "string": settings.to_string(),
                "tf_url": settings.to_tf_url(),
            }
        )
    return {"cases": cases}


def optimizer_paths_fixture() -> dict:
    """nnlib's optimisers on the explorer's surfaces, at a few learning rates, 200 steps each."""
    from nnlib.widgets.optimizer_paths import OPTIMIZERS, SURFACES, optimizer_path, surface_cost

    cases = []
    for surface in SURFACES:
        for name, spec in OPTIMIZERS.items():
            for lr in (spec["lr"], 0.01, 1.0):
                path = optimizer_path(name, lr, 200, surface)
                if not np.isfinite(path).all():
                    continue  # SGD at 1.0 diverges: JSON has no inf
                costs = [surface_cost(surface, w, b) for w, b in path]
                cases.append({"optimizer": name, "lr": lr, "surface": surface, "path": rows(path), "costs": costs})
    return {"surfaces": SURFACES, "cases": cases}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=pathlib.Path)
    out = parser.parse_args().outdir
    out.mkdir(parents=True, exist_ok=True)
    files = {f"train-{name}.json": training_fixture(name, config) for name, config in CONFIGS.items()}
    files.update({"diverge.json": diverge_fixture(), "state.json": state_fixture(), "rng.json": rng_fixture()})
    files["settings.json"] = settings_fixture()
    files["optimizer-paths.json"] = optimizer_paths_fixture()
    for filename, content in files.items():
        (out / filename).write_text(json.dumps(content, allow_nan=False))
    print(f"wrote {len(files)} fixtures to {out} (from {pathlib.Path(nnlib.__file__).parent})")


if __name__ == "__main__":
    main()

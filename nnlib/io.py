"""Saving and loading networks as ``.npz`` files, without pickle.

A saved file holds plain arrays only: ``W0, b0, W1, b1, ...`` and a JSON
string ``config`` describing the architecture. Loading uses
``np.load(..., allow_pickle=False)``, so a file can never run code; a file
that contains a pickled object is refused with a clear error.
"""

from __future__ import annotations

import json
import os

import numpy as np

from .network import Network

FORMAT = "nnlib-network/1"


def save(net, path: str | os.PathLike) -> None:
    """Write ``net`` to ``path`` (``.npz``). Predictions after :func:`load` are identical."""
    config = {
        "format": FORMAT,
        "sizes": net.sizes,
        "activation": net.layers[0].activation.name if len(net.layers) > 1 else net.layers[-1].activation.name,
        "output_activation": net.layers[-1].activation.name,
        "loss": net.loss.name,
        "init": net.init if isinstance(net.init, str) else "gaussian",
        "dtype": net.dtype.name,
    }
    arrays = {f"{k}{i}": p for i, layer in enumerate(net.layers) for k, p in (("W", layer.W), ("b", layer.b))}
    np.savez(path, config=np.array(json.dumps(config)), **arrays)


def load(path: str | os.PathLike):
    """Read a network written by :func:`save`."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except ValueError as e:
        if "allow_pickle" in str(e):  # numpy: "Object arrays cannot be loaded when allow_pickle=False"
            raise ValueError(
                f"refusing to load {path!s}: it contains a pickled Python object, which could "
                f"run arbitrary code. nnlib files hold plain arrays only."
            ) from None
        raise ValueError(f"{path!s} is not an nnlib network file (.npz): {e}") from None
    if "config" not in arrays:
        raise ValueError(
            f"{path!s} is not an nnlib network file: it has no 'config' entry (found {', '.join(arrays) or 'nothing'})"
        )
    config = json.loads(str(arrays.pop("config")))
    if config.get("format") != FORMAT:
        raise ValueError(f"{path!s}: expected format {FORMAT!r}, got {config.get('format')!r}")
    net = Network(
        config["sizes"],
        activation=config["activation"],
        output_activation=config["output_activation"],
        loss=config["loss"],
        init=config["init"],
        rng=0,
        dtype=np.dtype(config["dtype"]),
    )
    net.set_params([arrays[f"{k}{i}"] for i in range(len(net.layers)) for k in ("W", "b")])
    return net

"""Saving and loading networks as ``.npz`` files, without pickle.

A saved file is a zip archive of plain ``.npy`` arrays: ``W0, b0, W1, b1, ...``
and ``config``, a JSON string describing the architecture (with ``dropout``, the rate
after each hidden layer, only for a network that has dropout). :func:`load` reads it
member by member with ``allow_pickle=False``, so a file can never run code.

:func:`load` trusts nothing in the file. Every problem (a file that is not a
zip archive, a truncated or corrupt one, missing or extra arrays, a wrong shape
or dtype, NaN or inf, a config that is not the one :func:`save` writes, a
pickled object) raises :class:`NetworkFileError`, a ``ValueError`` that names
the file and what is wrong. A network that loads predicts exactly as the one
that was saved, bit for bit.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from . import checks
from .activations import ACTIVATIONS
from .initializers import INITIALIZERS
from .losses import LOSSES
from .network import Network

FORMAT = "nnlib-network/1"
SUFFIX = ".npz"
_CONFIG_KEYS = ("format", "sizes", "activation", "output_activation", "loss", "init", "dtype")
_MAX_CONFIG_BYTES = 1 << 16  # a config is a few hundred bytes
_MAX_LAYERS = 10_000
_MAX_RATIO = 1100  # zip's deflate shrinks data at most about 1,000 times


class NetworkFileError(ValueError):
    """A file that :func:`load` cannot read as an nnlib network: the message names the file and the problem."""


class NetworkFileNotFound(NetworkFileError, FileNotFoundError):
    """No file where :func:`load` looked: a :class:`NetworkFileError`, and a ``FileNotFoundError`` too."""


def _path(path, who: str) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{who}: path must be a file name (str or pathlib.Path), got {checks.shown(path)}")
    path = Path(os.fspath(path))
    if not path.name:
        raise ValueError(f"{who}: path must name a file, got {str(path)!r}")
    return path


def _with_suffix(path: Path) -> Path:
    """The name :func:`save` writes: ``path`` with ``.npz`` added unless it ends with it (numpy's rule)."""
    return path if path.name.endswith(SUFFIX) else path.with_name(path.name + SUFFIX)


def save(net: Network, path: str | os.PathLike) -> Path:
    """Write ``net`` to ``path`` and return the path written.

    ``.npz`` is added to a name that does not end with it, as numpy does:
    ``save(net, "model")`` writes ``model.npz``, and ``load("model")`` reads it back.
    The file is written next to its final place and then renamed, so a failed save
    never leaves half a file. Predictions after :func:`load` are identical, bit for bit.
    """
    if not isinstance(net, Network):
        raise TypeError(f"save: net must be an nnlib Network, got {checks.shown(net)}")
    target = _with_suffix(_path(path, "save"))
    hidden, output = net.layers[0].activation.name, net.layers[-1].activation.name
    config = {
        "format": FORMAT,
        "sizes": list(net.sizes),
        "activation": hidden if len(net.layers) > 1 else output,
        "output_activation": output,
        "loss": net.loss.name,
        "init": net.init if isinstance(net.init, str) else "gaussian",
        "dtype": net.dtype.name,
    }
    if net.dropouts:  # only then, so that a network without dropout is saved as before
        config["dropout"] = net.dropout_rates
    used = {"activation": net.layers[0].activation, "output_activation": net.layers[-1].activation, "loss": net.loss}
    for key, obj in used.items():
        table = LOSSES if key == "loss" else ACTIVATIONS
        if table.get(obj.name) is not obj:
            raise ValueError(
                f"save: {net!r} uses a custom {key} {obj.name!r}, which load could not rebuild; "
                f"nnlib files hold the built-in ones only ({', '.join(sorted(table))})"
            )
    if config["init"] not in INITIALIZERS:
        config["init"] = "gaussian"
    arrays: dict[str, Any] = {}
    for i, layer in enumerate(net.layers):
        for name, p in (("W", layer.W), ("b", layer.b)):
            bad = checks.first_non_finite(p)
            if bad is not None:
                raise ValueError(f"save: {net!r} has NaN or inf in {name}{i} at {bad}: nothing was written")
            arrays[f"{name}{i}"] = p
    if not target.parent.is_dir():
        raise FileNotFoundError(f"save: no folder {str(target.parent)!r} to write {target.name!r} in")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, config=np.array(json.dumps(config)), **arrays)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return target


def load(path: str | os.PathLike) -> Network:
    """Read a network written by :func:`save`.

    ``path`` is read as given; when there is no such file but ``path + ".npz"`` exists
    (``save`` added the suffix), that one. Any file that is not exactly what
    :func:`save` writes raises :class:`NetworkFileError` naming the file and the problem;
    so does a folder or a path that cannot be looked at. When neither name exists the error
    (:class:`NetworkFileNotFound`) is also a ``FileNotFoundError``, and names both.
    """
    given = _path(path, "load")
    try:
        file = given if given.exists() else _with_suffix(given)
        found, folder = file.exists(), file.is_dir()
    except (OSError, ValueError) as e:  # no permission to look, a name too long, a NUL byte
        raise NetworkFileError(
            f"{given}: load cannot look for this file ({type(e).__name__}: {e}); the path must name a readable file"
        ) from None
    if not found:
        also = f" nor {str(file)!r}" if file != given else ""
        where = "" if given.is_absolute() else f" (relative to the working folder {os.getcwd()})"
        raise NetworkFileNotFound(f"load: there is no file {str(given)!r}{also}{where}")
    if folder:
        raise NetworkFileError(
            f"{file}: a folder, not an nnlib network file; the path must name a file written by save"
        )
    try:
        return _read(file)
    except NetworkFileError:
        raise
    except Exception as e:  # whatever the zip, zlib or npy readers raise on damaged bytes
        raise NetworkFileError(f"{file}: not a readable nnlib network file ({type(e).__name__}: {e})") from None


def _problem(file: Path, what: str) -> NetworkFileError:
    return NetworkFileError(f"{file}: {what}")


def _read(file: Path) -> Network:
    with open(file, "rb") as f:
        head = f.read(8)
    if not head.startswith(b"PK\x03\x04"):
        raise _problem(file, f"not an nnlib network file (.npz, a zip archive): it starts with {_describe(head)}")
    with zipfile.ZipFile(file) as archive:
        members = {info.filename: info for info in archive.infolist()}
        if len(members) != len(archive.infolist()):
            raise _problem(file, "an entry appears twice in the archive")
        names = {}
        for member in members:
            if not member.endswith(".npy") or "/" in member:
                raise _problem(file, f"unexpected entry {member!r}: an nnlib network file holds .npy arrays only")
            names[member[: -len(".npy")]] = member
        for info in members.values():  # before anything else: never a pickle, whatever the rest says
            _refuse_pickles(file, archive, info)
        if "config" not in names:
            found = ", ".join(sorted(names)) or "nothing"
            raise _problem(file, f"not an nnlib network file: it has no 'config' entry (found {found})")
        config = _config(file, _array(file, archive, members[names["config"]], _MAX_CONFIG_BYTES))
        declared = sum(info.file_size for info in members.values())
        net = _network(file, config, declared)
        expected = {f"{k}{i}": getattr(layer, k) for i, layer in enumerate(net.layers) for k in ("W", "b")}
        missing = [k for k in expected if k not in names]
        extra = sorted(set(names) - set(expected) - {"config"})
        if missing or extra:
            parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
                [f"unexpected {', '.join(extra)}"] if extra else []
            )
            raise _problem(file, f"the arrays do not match the config's {net.sizes}: {'; '.join(parts)}")
        params = []
        for name, old in expected.items():
            limit = old.nbytes + 4096  # the .npy header is at most a few hundred bytes
            arr = _array(file, archive, members[names[name]], limit)
            if arr.shape != old.shape:
                raise _problem(file, f"{name} has shape {arr.shape}; the config's {net.sizes} needs {old.shape}")
            if arr.dtype.kind != "f" or arr.dtype.itemsize != net.dtype.itemsize:
                raise _problem(file, f"{name} has dtype {arr.dtype}; the config says {net.dtype.name}")
            bad = checks.first_non_finite(arr)
            if bad is not None:
                raise _problem(file, f"{name} holds {arr[bad].item()!r} at {bad}: the weights must be finite numbers")
            params.append(arr.astype(net.dtype, copy=False))
    net.set_params(params)
    return net


def _describe(head: bytes) -> str:
    """What the first bytes of a file say it is, for the message."""
    if not head:
        return "nothing (the file is empty)"
    if head.startswith(b"\x93NUMPY"):
        return "'\\x93NUMPY': it is a single .npy array"
    if head.startswith(b"\x89PNG"):
        return "'\\x89PNG': it is a PNG image"
    if head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return "a pickle's opening bytes: it is a pickled Python object, which nnlib never loads (it could run code)"
    if head[:2] == b"\x1f\x8b":
        return "a gzip header: it is a gzip file"
    return f"{head!r}"


def _refuse_pickles(file: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read the header of one .npy member: an array of Python objects would be unpickled."""
    with archive.open(info) as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            _, _, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            _, _, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise _problem(
                file, f"{info.filename} is a .npy array of format version {version}, which nnlib does not write"
            )
    if dtype.hasobject:
        raise _problem(file, _PICKLE.format(name=info.filename))


_PICKLE = (
    "refusing to load {name}: it contains a pickled Python object, which could run arbitrary code; "
    "nnlib files hold plain arrays only"
)


def _array(file: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> np.ndarray:
    """One member as an array, read with allow_pickle=False and at most ``limit`` bytes."""
    name = info.filename
    if info.file_size > limit:
        raise _problem(file, f"{name} is {info.file_size} bytes, more than the {limit} its shape needs")
    data = archive.read(info)  # checks the CRC
    try:
        return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    except ValueError as e:
        if "pickle" in str(e).lower():  # numpy: "Object arrays cannot be loaded when allow_pickle=False"
            raise _problem(file, _PICKLE.format(name=name)) from None
        raise _problem(file, f"{name} is not a valid .npy array ({e})") from None


def _config(file: Path, arr: np.ndarray) -> dict:
    if arr.ndim != 0 or arr.dtype.kind != "U":
        raise _problem(file, f"config must be one JSON string, got an array of dtype {arr.dtype} and shape {arr.shape}")
    try:
        config = json.loads(str(arr))
    except (ValueError, RecursionError) as e:
        raise _problem(file, f"config is not valid JSON ({e})") from None
    if not isinstance(config, dict):
        raise _problem(file, f"config must be a JSON object, got {type(config).__name__}")
    if config.get("format") != FORMAT:
        raise _problem(file, f"expected format {FORMAT!r}, got {checks.shown(config.get('format'))}")
    keys = set(config)
    if keys != set(_CONFIG_KEYS) and keys != set(_CONFIG_KEYS) | {"dropout"}:
        missing, extra = sorted(set(_CONFIG_KEYS) - keys), sorted(keys - set(_CONFIG_KEYS) - {"dropout"})
        raise _problem(file, f"config keys differ from {FORMAT}: missing {missing}, unexpected {extra}")
    sizes = config["sizes"]
    if (
        not isinstance(sizes, list)
        or not 2 <= len(sizes) <= _MAX_LAYERS + 1
        or not all(type(s) is int and 1 <= s <= 1 << 31 for s in sizes)
    ):
        raise _problem(file, f"config sizes must be a list of 2 or more positive integers, got {checks.shown(sizes)}")
    for key, table in (
        ("activation", ACTIVATIONS),
        ("output_activation", ACTIVATIONS),
        ("loss", LOSSES),
        ("init", INITIALIZERS),
    ):
        if config[key] not in table:
            raise _problem(
                file, f"config {key} must be one of {', '.join(sorted(table))}, got {checks.shown(config[key])}"
            )
    if config["dtype"] not in ("float32", "float64"):
        raise _problem(file, f"config dtype must be 'float32' or 'float64', got {checks.shown(config['dtype'])}")
    rates = config.get("dropout", [0.0] * (len(sizes) - 2))
    if (
        not isinstance(rates, list)
        or len(rates) != len(sizes) - 2
        or not all(type(r) in (int, float) and 0 <= r < 1 for r in rates)
    ):
        raise _problem(
            file,
            f"config dropout must be a list of {len(sizes) - 2} rates in [0, 1) (one per hidden layer), "
            f"got {checks.shown(rates)}",
        )
    return config


def _network(file: Path, config: dict, declared: int) -> Network:
    """The network the config describes, once its weights are sure to be in the file."""
    sizes, itemsize = config["sizes"], np.dtype(config["dtype"]).itemsize
    needed = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])) * itemsize
    if needed > declared or needed > _MAX_RATIO * file.stat().st_size:
        raise _problem(
            file, f"config sizes {sizes} need {needed} bytes of weights, more than the file's arrays can hold"
        )
    return Network(
        sizes,
        activation=config["activation"],
        output_activation=config["output_activation"],
        loss=config["loss"],
        init=config["init"],
        rng=0,
        dtype=config["dtype"],
        dropout=config.get("dropout", 0.0),
    )

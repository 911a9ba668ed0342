"""Saving and loading: bit-identical round trips, and one clear error (NetworkFileError, naming
the file) for every truncated, corrupt, foreign or tampered file; pickles are never loaded."""

import gzip
import io
import json
import pickle
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import Network
from nnlib.io import FORMAT, NetworkFileError

NETS = [
    dict(sizes=[3, 5, 4], activation="relu", loss="cce", init="he", dtype=np.float64),
    dict(sizes=[2, 1], activation="tanh", loss="bce", dtype=np.float32),
    dict(sizes=[4, 3, 3, 2], activation="leaky_relu", output_activation="identity", dtype=np.float64),
]


@pytest.mark.parametrize("spec", NETS, ids=lambda s: "-".join(map(str, s["sizes"])))
def test_round_trip_is_bit_identical(tmp_path, spec):
    spec = dict(spec)
    net = Network(spec.pop("sizes"), rng=9, **spec)
    written = nnlib.save(net, tmp_path / "net.npz")
    back = nnlib.load(written)
    for a, b in zip(back.get_params(), net.get_params()):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    assert repr(back) == repr(net) and back.init == net.init
    X = np.random.default_rng(0).normal(size=(6, net.sizes[0]))
    np.testing.assert_array_equal(back.predict(X), net.predict(X))


def test_a_name_written_by_save_loads_back(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    net = Network([2, 3, 1], rng=0)
    assert nnlib.save(net, "model") == tmp_path / "model.npz" or nnlib.save(net, "model").name == "model.npz"
    for name in ("model", "model.npz", tmp_path / "model"):
        np.testing.assert_array_equal(nnlib.load(name).get_params()[0], net.get_params()[0])
    with pytest.raises(FileNotFoundError, match="no file 'other'"):
        nnlib.load("other")


def test_a_missing_file_a_folder_or_an_unreadable_path_get_one_nnlib_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(nnlib.NetworkFileError, match=r"no file 'model' nor 'model\.npz' \(relative to .*") as info:
        nnlib.load("model")
    assert isinstance(info.value, FileNotFoundError) and isinstance(info.value, ValueError)
    with pytest.raises(FileNotFoundError, match=r"there is no file '[^']*gone\.npz'$"):
        nnlib.load(tmp_path / "gone.npz")  # absolute, with the suffix: one name tried
    (tmp_path / "folder.npz").mkdir()
    for name in ("folder.npz", "folder"):
        with pytest.raises(nnlib.NetworkFileError, match=r"folder\.npz: a folder, not an nnlib network file"):
            nnlib.load(name)
    with pytest.raises(nnlib.NetworkFileError, match=r"load cannot look for this file \((OSError|ValueError)"):
        nnlib.load("x" * 5000)  # a name too long for the file system
    with pytest.raises(nnlib.NetworkFileError, match=r"there is no file 'a\\x00b'"):
        nnlib.load("a\0b")  # a name no file can have


def test_save_refuses_what_load_could_not_read_and_writes_nothing(tmp_path):
    net = Network([2, 1], rng=0)
    with pytest.raises(TypeError, match="save: net must be an nnlib Network"):
        nnlib.save("net", tmp_path / "x.npz")
    with pytest.raises(TypeError, match="save: path must be a file name"):
        nnlib.save(net, 3)
    net.layers[0].W[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or inf in W0 at \\(0, 0\\): nothing was written"):
        nnlib.save(net, tmp_path / "bad.npz")
    assert list(tmp_path.iterdir()) == []


# --- foreign, corrupt and tampered files -----------------------------------------------------


def _good_bytes(tmp_path) -> bytes:
    path = nnlib.save(Network([3, 4, 2], activation="tanh", rng=1), tmp_path / "good.npz")
    return path.read_bytes()


def _npz(tmp_path, name="bad.npz", **arrays):
    path = tmp_path / name
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    return path


def _config(**changes):
    config = {
        "format": FORMAT,
        "sizes": [3, 2],
        "activation": "sigmoid",
        "output_activation": "sigmoid",
        "loss": "quadratic",
        "init": "gaussian",
        "dtype": "float64",
    }
    config.update(changes)
    return np.array(json.dumps(config))


def _params(dtype=np.float64):
    return {"W0": np.ones((3, 2), dtype), "b0": np.zeros(2, dtype)}


FOREIGN = {
    "text": (b"hello, this is a text file\n", "starts with b'hello, t'"),
    "png": (b"\x89PNG\r\n\x1a\n" + bytes(40), "a PNG image"),
    "empty": (b"", "the file is empty"),
    "random": (bytes(range(7, 250, 3)), "not an nnlib network file"),
    "gzip": (gzip.compress(b"abc"), "a gzip file"),
    "pickle": (pickle.dumps({"W0": [1, 2]}), "pickled Python object, which nnlib never loads"),
}


@pytest.mark.parametrize("kind", sorted(FOREIGN))
def test_foreign_files_are_described_for_what_they_are(tmp_path, kind):
    data, what = FOREIGN[kind]
    path = tmp_path / f"{kind}.npz"
    path.write_bytes(data)
    with pytest.raises(NetworkFileError, match=f"{path}.*") as info:
        nnlib.load(path)
    assert what in str(info.value)
    if kind != "pickle":
        assert "pickle" not in str(info.value)


def test_a_single_npy_array_is_not_a_network(tmp_path):
    path = tmp_path / "w.npy"
    np.save(path, np.zeros(3))
    with pytest.raises(NetworkFileError, match="single .npy array"):
        nnlib.load(path)


TAMPERED = {
    "extra array": (dict(config=_config(), **_params(), W9=np.zeros(2)), "unexpected W9"),
    "missing array": (dict(config=_config(), W0=np.ones((3, 2))), "missing b0"),
    "wrong shape": (dict(config=_config(), W0=np.ones((2, 3)), b0=np.zeros(2)), r"W0 has shape \(2, 3\)"),
    "wrong dtype": (dict(config=_config(), **_params(np.float32)), "W0 has dtype float32; the config says float64"),
    "int weights": (dict(config=_config(), W0=np.ones((3, 2), int), b0=np.zeros(2)), "W0 has dtype int64"),
    "nan": (dict(config=_config(), W0=np.full((3, 2), np.nan), b0=np.zeros(2)), "W0 holds nan at"),
    "inf": (dict(config=_config(), W0=np.ones((3, 2)), b0=np.array([0, np.inf])), "b0 holds inf at"),
    "no config": (dict(**_params()), "has no 'config' entry"),
    "config not json": (dict(config=np.array("{nope"), **_params()), "config is not valid JSON"),
    "config a list": (dict(config=np.array("[1, 2]"), **_params()), "config must be a JSON object"),
    "config numbers": (dict(config=np.arange(3), **_params()), "config must be one JSON string"),
    "old format": (dict(config=_config(format="nnlib-network/0"), **_params()), "expected format"),
    "extra key": (dict(config=_config(colour="red"), **_params()), r"unexpected \['colour'\]"),
    "bad activation": (dict(config=_config(activation="swish"), **_params()), "activation must be one of"),
    "bad loss": (dict(config=_config(loss=3), **_params()), "loss must be one of"),
    "bad sizes": (dict(config=_config(sizes="3,2"), **_params()), "sizes must be a list"),
    "huge sizes": (dict(config=_config(sizes=[100000, 100000]), **_params()), "more than the file's arrays"),
    "bool sizes": (dict(config=_config(sizes=[True, 2]), **_params()), "sizes must be a list"),
    "bad dtype": (dict(config=_config(dtype="int8"), **_params()), "dtype must be 'float32' or 'float64'"),
}


@pytest.mark.parametrize("kind", sorted(TAMPERED))
def test_tampered_files_are_refused_with_the_reason(tmp_path, kind):
    arrays, reason = TAMPERED[kind]
    path = _npz(tmp_path, **arrays)
    with pytest.raises(NetworkFileError, match=reason) as info:
        nnlib.load(path)
    assert str(path) in str(info.value)


def test_pickled_arrays_are_never_loaded(tmp_path):
    payload = np.empty(1, dtype=object)
    payload[0] = {"code": "anything"}
    path = _npz(tmp_path, config=_config(), W0=payload, b0=np.zeros(2))
    with pytest.raises(NetworkFileError, match="refusing to load W0.npy: it contains a pickled Python object"):
        nnlib.load(path)


def test_unexpected_zip_entries_and_duplicates(tmp_path):
    path = tmp_path / "zip.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hi")
    with pytest.raises(NetworkFileError, match="unexpected entry 'readme.txt'"):
        nnlib.load(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_truncated_files_raise_network_file_error(tmp_path, data):
    good = _good_bytes(tmp_path)
    cut = data.draw(st.integers(0, len(good) - 1), label="length kept")
    path = tmp_path / "cut.npz"
    path.write_bytes(good[:cut])
    with pytest.raises(NetworkFileError, match="cut.npz"):
        nnlib.load(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_altered_bytes_are_refused_or_change_nothing(tmp_path, data):
    good = _good_bytes(tmp_path)
    reference = nnlib.load(tmp_path / "good.npz")
    buf = bytearray(good)
    for _ in range(data.draw(st.integers(1, 3), label="bytes changed")):
        i = data.draw(st.integers(0, len(buf) - 1), label="position")
        buf[i] = data.draw(st.integers(0, 255).filter(lambda b, old=buf[i]: b != old), label="new byte")
    path = tmp_path / "altered.npz"
    path.write_bytes(bytes(buf))
    try:
        back = nnlib.load(path)
    except NetworkFileError as e:
        assert "altered.npz" in str(e)
        return
    # a change the file format does not see (a zip timestamp, ...): the network must be the same
    assert repr(back) == repr(reference)
    for a, b in zip(back.get_params(), reference.get_params()):
        np.testing.assert_array_equal(a, b)


def test_garbage_appended_or_inserted_is_refused(tmp_path):
    good = _good_bytes(tmp_path)
    for name, data in {"inserted": good[:100] + b"xyz" + good[100:], "doubled": good[: len(good) // 2] * 2}.items():
        path = tmp_path / f"{name}.npz"
        path.write_bytes(data)
        with pytest.raises(NetworkFileError, match=name):
            nnlib.load(path)
    assert io  # (imported for readers who want BytesIO experiments)

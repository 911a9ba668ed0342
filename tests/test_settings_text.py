"""Reading playground settings text never raises: whatever the text, the result is a Settings,
and every problem is a SettingsWarning (hypothesis fuzzing of settings strings and TF URLs)."""

import dataclasses
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.widgets.playground.settings import Settings, SettingsWarning, load_settings

KEYS = [f.name for f in dataclasses.fields(Settings)]
TF_KEYS = [
    "activation",
    "batchSize",
    "dataset",
    "regDataset",
    "learningRate",
    "regularizationRate",
    "noise",
    "networkShape",
    "seed",
    "showTestData",
    "discretize",
    "percTrainData",
    "x",
    "y",
    "xTimesY",
    "xSquared",
    "sinX",
    "problem",
    "initZero",
    "regularization",
]
VALUES = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["9" * 400, "9" * 5000, "1e999", "-1e999", "nan", "inf", "0x10", "1_000", "٣", "½", "\ud800"]),
    st.lists(st.integers(-(10**25), 10**25).map(str), max_size=8).map(",".join),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
SETTINGS_STRINGS = st.lists(st.tuples(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), VALUES), max_size=8).map(
    lambda pairs: ";".join(f"{k}={v}" for k, v in pairs)
)
TF_URLS = st.tuples(
    st.sampled_from(
        ["https://playground.tensorflow.org/#", "http://[::1#", "https://[bad/?", "#", "?", "http://x/?", ""]
    ),
    st.lists(st.tuples(st.one_of(st.sampled_from(TF_KEYS), st.text(max_size=6)), VALUES), max_size=10),
).map(lambda t: t[0] + "&".join(f"{k}={v}" for k, v in t[1]))
TEXT = st.one_of(st.text(), SETTINGS_STRINGS, TF_URLS)


def _read(reader, text):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = reader(text)
    others = [w for w in caught if not issubclass(w.category, SettingsWarning)]
    assert not others, [str(w.message) for w in others]
    assert isinstance(result, Settings)
    return result


@settings(max_examples=150, deadline=None)
@given(text=TEXT)
def test_reading_any_text_gives_settings_and_only_settings_warnings(text):
    for reader in (load_settings, Settings.from_string, Settings.from_tf_url):
        _read(reader, text)


@pytest.mark.parametrize(
    "text",
    [
        "https://playground.tensorflow.org/#networkShape=" + "9" * 400 + "&learningRate=0.1",  # > 1e308
        "networkShape=4," + "9" * 400,
        "hidden=" + "9" * 400,
        "learning_rate=" + "1" * 400 + ";batch_size=" + "7" * 400,
        "http://[::1/#?x=1",
        "https://[bad/?networkShape=3",
        "hidden=" + "9" * 5000,
        "seed=" + "9" * 5000,
        "learning_rate=" + "9" * 400,
        "learning_rate=1e999;noise=nan;hidden=1e3",
    ],
)
def test_the_examples_of_the_issue_load_with_warnings(text):
    result = _read(load_settings, text)
    assert result.hidden in (Settings().hidden, (3,))  # the default, or what a malformed URL still said


def test_only_text_is_read():
    with pytest.raises(TypeError, match="load_settings expected text"):
        load_settings(None)
    with pytest.raises(TypeError, match="Settings.replace: unknown setting"):
        Settings().replace(colour="red")
    with pytest.raises(ValueError, match="Settings.learning_rate must be a positive number"):
        Settings(learning_rate=10**400)

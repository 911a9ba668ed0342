"""nnlib.widgets.optimizer_paths: the optimiser explorer's arguments and state, and the paths it draws
are nnlib's optimisers (the JavaScript side is compared with them in tests/js/optimizer_paths.test.mjs)."""

import json

import numpy as np
import pytest

from nnlib import SGD, Adam
from nnlib.widgets.optimizer_paths import OptimizerExplorer, optimizer_path, surface_cost


def test_the_path_is_nnlibs_optimizer_step_by_step():
    # on the valley C = (0.1 w^2 + 4 b^2) / 2 the gradient is (0.1 w, 4 b): plain SGD by hand
    w, b = -5.0, 1.5
    for _ in range(3):
        w, b = w - 0.45 * 0.1 * w, b - 0.45 * 4 * b
    assert np.allclose(optimizer_path("sgd", 0.45, 3)[-1], [w, b])
    # Adam's first step is lr against the sign of each gradient component
    assert np.allclose(optimizer_path("adam", 0.3, 1)[1], [-5.0 + 0.3, 1.5 - 0.3])
    assert surface_cost("valley", 2.0, 1.0) == pytest.approx(0.5 * (0.1 * 4 + 4 * 1))
    # the tilted valley is the same valley turned: the same costs along its own axes
    assert surface_cost("tilted", 0.8, 0.6) == pytest.approx(surface_cost("valley", 1.0, 0.0))
    assert isinstance(SGD(), SGD) and isinstance(Adam(), Adam)


def test_rmsprop_and_adam_help_only_where_the_valley_lines_up_with_the_parameters():
    for name in ("rmsprop", "adam"):
        final = {s: surface_cost(s, *optimizer_path(name, 0.2, 40, s)[-1]) for s in ("valley", "tilted")}
        assert final["valley"] < final["tilted"], name


def test_the_explorer_state_and_its_checks():
    e = OptimizerExplorer("adam")
    state = e.get_state()
    assert state["optimizer"] == "adam" and state["lr"] == 0.2 and state["surface"] == "valley"
    assert state["_esm"].startswith("// optimizer_paths.js: the front end of nnlib.widgets.")
    assert 'from "./' not in state["_esm"]
    json.dumps(state)
    assert np.array_equal(e.path(), optimizer_path("adam", 0.2, 60, "valley"))
    for make, message in [
        (lambda: OptimizerExplorer("adagrad"), "optimizer must be one of sgd, momentum, rmsprop, adam"),
        (lambda: OptimizerExplorer(lr=0.33), "lr must be one of"),
        (lambda: OptimizerExplorer(steps=0), "steps must be a whole number from 1 to 200"),
        (lambda: OptimizerExplorer(surface="bowl"), "surface must be one of valley, tilted"),
        (lambda: optimizer_path("sgd", -1, 3), "lr must be a positive finite number"),
    ]:
        with pytest.raises(ValueError, match=message):
            make()
    with pytest.raises(Exception, match="lr must be one of"):
        e.lr = 0.33
    assert e.lr == 0.2

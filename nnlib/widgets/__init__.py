"""Widgets: live, interactive views for the notebook, on top of nnlib's core, data and plots.

- :mod:`~nnlib.widgets.playground`: the TensorFlow-Playground-style playground;
- :mod:`~nnlib.widgets.dashboard`: :class:`TrainingDashboard`, live curves while ``fit`` runs;
- :mod:`~nnlib.widgets.explorers`: :class:`NeuronExplorer`, :class:`ActivationExplorer` and
  :class:`LossSurfaceExplorer`, anywidgets whose front ends compute what they draw, so that
  they are live on the website too, without a kernel.

Importing this package needs ``ipywidgets`` only when a widget is created, and ``anywidget``
only when an explorer is first used (``pip install "nnlib[widgets]"``).
"""

from .dashboard import TrainingDashboard
from .playground import Playground, run_experiment

_EXPLORERS = ("ActivationExplorer", "LossSurfaceExplorer", "NeuronExplorer")

__all__ = ["Playground", "TrainingDashboard", "run_experiment", *_EXPLORERS]


def __getattr__(name: str):
    # The explorers subclass anywidget.AnyWidget, so importing them needs anywidget: load
    # them when they are first asked for, not with the package.
    if name in _EXPLORERS:
        from . import explorers

        return getattr(explorers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

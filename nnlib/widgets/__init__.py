"""Widgets: live, interactive views for the notebook, on top of nnlib's core, data and plots.

- :mod:`~nnlib.widgets.playground`: the TensorFlow-Playground-style playground;
- :mod:`~nnlib.widgets.dashboard`: :class:`TrainingDashboard`, live curves while ``fit`` runs;
- :mod:`~nnlib.widgets.explorers`: :class:`NeuronExplorer`, :class:`ActivationExplorer` and
  :class:`LossSurfaceExplorer`, anywidgets whose front ends compute what they draw, so that
  they are live on the website too, without a kernel;
- :mod:`~nnlib.widgets.inspectors`: :class:`WeightScaleInspector`, :class:`BackpropInspector` and
  :class:`PredictionInspector`, views of numbers nnlib computed, saved in the widget's state.

Every widget here is an anywidget: ``pip install "nnlib[widgets]"``.
"""

from .dashboard import TrainingDashboard
from .explorers import ActivationExplorer, LossSurfaceExplorer, NeuronExplorer
from .inspectors import BackpropInspector, PredictionInspector, WeightScaleInspector
from .playground import Playground, run_experiment

__all__ = [
    "ActivationExplorer",
    "BackpropInspector",
    "LossSurfaceExplorer",
    "NeuronExplorer",
    "Playground",
    "PredictionInspector",
    "TrainingDashboard",
    "WeightScaleInspector",
    "run_experiment",
]

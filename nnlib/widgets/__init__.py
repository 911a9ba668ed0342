"""Widgets: live, interactive views for the notebook, on top of nnlib's core, data and plots.

- ``nnlib.widgets.playground``: the TensorFlow-Playground-style playground;
- ``nnlib.widgets.dashboard``: ``TrainingDashboard``, live curves while ``fit`` runs (its anywidget
  is ``nnlib.widgets.dashboard_widget``);
- ``nnlib.widgets.explorers``: ``NeuronExplorer``, ``ActivationExplorer`` and
  ``LossSurfaceExplorer``, anywidgets whose front ends compute what they draw, so that
  they are live on the website too, without a kernel;
- ``nnlib.widgets.optimizer_paths``: ``OptimizerExplorer``, SGD, momentum, RMSProp and Adam on a
  two-parameter cost, computed by its front end too (live on the website);
- ``nnlib.widgets.inspectors``: ``WeightScaleInspector``, ``BackpropInspector`` and
  ``PredictionInspector``, views of numbers nnlib computed, saved in the widget's state.

Every widget here is an anywidget: ``pip install "nnlib[widgets]"``.
"""

from .dashboard import TrainingDashboard
from .explorers import ActivationExplorer, LossSurfaceExplorer, NeuronExplorer
from .inspectors import BackpropInspector, PredictionInspector, WeightScaleInspector
from .optimizer_paths import OptimizerExplorer
from .playground import Playground, run_experiment

__all__ = [
    "ActivationExplorer",
    "BackpropInspector",
    "LossSurfaceExplorer",
    "NeuronExplorer",
    "OptimizerExplorer",
    "Playground",
    "PredictionInspector",
    "TrainingDashboard",
    "WeightScaleInspector",
    "run_experiment",
]

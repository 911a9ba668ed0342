"""Widgets: live, interactive views for the notebook, on top of nnlib's core, data and plots.

- ``nnlib.widgets.playground``: the TensorFlow-Playground-style playground;
- ``nnlib.widgets.dashboard``: ``TrainingDashboard``, live curves while ``fit`` runs.

Importing this package needs ``anywidget`` (the playground is one; ``pip install "nnlib[widgets]"``).
"""

from .dashboard import TrainingDashboard
from .playground import Playground, run_experiment

__all__ = ["Playground", "TrainingDashboard", "run_experiment"]

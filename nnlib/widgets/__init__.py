"""Widgets: live, interactive views for the notebook, on top of nnlib's core, data and plots.

- :mod:`~nnlib.widgets.playground`: the TensorFlow-Playground-style playground;
- :mod:`~nnlib.widgets.dashboard`: :class:`TrainingDashboard`, live curves while ``fit`` runs
  (an anywidget, :mod:`~nnlib.widgets.dashboard_widget`, drawn by ``static/dashboard.js``).

The widgets need ``ipywidgets`` and ``anywidget`` (``pip install "nnlib[widgets]"``); without
anywidget the dashboard still records its replay but shows nothing.
"""

from .dashboard import TrainingDashboard
from .playground import Playground, run_experiment

__all__ = ["Playground", "TrainingDashboard", "run_experiment"]

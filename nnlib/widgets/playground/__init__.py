"""The playground: a TensorFlow-Playground-style trainer for 2-D data, in the notebook.

- :mod:`~nnlib.widgets.playground.features`: the input features a network may see;
- :mod:`~nnlib.widgets.playground.settings`: :class:`Settings`, settings strings and TF Playground URLs;
- :mod:`~nnlib.widgets.playground.trainer`: :class:`Trainer`, data, network and training as plain Python;
- :mod:`~nnlib.widgets.playground.widget`: :class:`Playground`, the live widget (an anywidget whose
  front end is ``nnlib/widgets/static/playground.js``), and :func:`run_experiment`;
- :mod:`~nnlib.widgets.playground.figure`: the static picture of :func:`run_experiment`.
"""

from .settings import Settings, SettingsWarning, load_settings
from .trainer import Trainer
from .widget import Experiment, Playground, run_experiment

__all__ = ["Experiment", "Playground", "Settings", "SettingsWarning", "Trainer", "load_settings", "run_experiment"]

"""nnlib: the small neural-network library built in the course *Neural networks from scratch*.

One module per concept, in the order the book introduces them:

- :mod:`nnlib.neuron`: one neuron, z = w . x + b, a = sigma(z)
- :mod:`nnlib.activations`: step, sigmoid, tanh, ReLU, leaky ReLU, softmax and derivatives
- :mod:`nnlib.losses`: quadratic, binary and categorical cross-entropy and gradients
- :mod:`nnlib.initializers`, :mod:`nnlib.layers`, :mod:`nnlib.network`: forward and backpropagation,
  training and evaluation modes
- :mod:`nnlib.metrics`: accuracy
- :mod:`nnlib.optimizers`, :mod:`nnlib.training`, :mod:`nnlib.callbacks`: SGD, momentum,
  RMSProp, Adam (and AdamW), learning-rate schedules, regularisation, ``fit``, its ``History``
  and callbacks such as early stopping
- :mod:`nnlib.layers`: the dense layer, and dropout (:class:`~nnlib.layers.Dropout`)
- :mod:`nnlib.gradcheck`: numerical gradients to check backprop
- :mod:`nnlib.diagnostics`: debugging a training run: the learning-rate range test, gradient
  and update norms per layer, dead and saturated units, runs with a planted bug
- :mod:`nnlib.io`: saving and loading networks (plain arrays, no pickle)
- :mod:`nnlib.checks`: the one format of every argument error (who, what was expected, what was given)

These core modules import only numpy and the standard library. Four layers build on
them, each a folder (see CONTRIBUTING.md):

- :mod:`nnlib.data`: the playground data sets, the shipped digits and the MNIST loader
- :mod:`nnlib.plot`: the shared style and every static figure
- :mod:`nnlib.widgets`: the playground, the training dashboard and the chapter explorers
- :mod:`nnlib.exercises`: the checkers of the chapters' exercises

Conventions: a batch has one row per example, ``X`` of shape ``(n_samples, n_features)``;
every random function takes an explicit ``rng`` (a numpy Generator or a seed).
"""

from .activations import ACTIVATIONS, get_activation
from .callbacks import Callback, EarlyStopping, History, LambdaCallback, LearningRateSchedule, TrainState
from .gradcheck import GradientCheckWarning, UnsuitablePoint, check_gradients, numerical_gradient
from .io import NetworkFileError, load, save
from .layers import Dense, Dropout
from .losses import LOSSES, get_loss
from .metrics import accuracy
from .network import Network
from .neuron import Neuron
from .optimizers import SGD, Adam, CosineDecay, RMSProp, StepDecay
from .training import TrainingDiverged, fit

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "SGD",
    "Adam",
    "Callback",
    "CosineDecay",
    "Dense",
    "Dropout",
    "EarlyStopping",
    "GradientCheckWarning",
    "History",
    "LambdaCallback",
    "LearningRateSchedule",
    "Network",
    "NetworkFileError",
    "Neuron",
    "RMSProp",
    "StepDecay",
    "TrainState",
    "TrainingDiverged",
    "UnsuitablePoint",
    "accuracy",
    "check_gradients",
    "fit",
    "get_activation",
    "get_loss",
    "load",
    "numerical_gradient",
    "save",
]

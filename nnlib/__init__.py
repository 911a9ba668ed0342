"""nnlib: the small neural-network library built in the course *Neural networks from scratch*.

One module per concept, in the order the book introduces them:

- :mod:`nnlib.neuron`: one neuron, z = w . x + b, a = sigma(z)
- :mod:`nnlib.activations`: step, sigmoid, tanh, ReLU, leaky ReLU, softmax and derivatives
- :mod:`nnlib.losses`: quadratic, binary and categorical cross-entropy and gradients
- :mod:`nnlib.initializers`, :mod:`nnlib.layers`, :mod:`nnlib.network`: forward and backpropagation
- :mod:`nnlib.optimizers`, :mod:`nnlib.training`, :mod:`nnlib.callbacks`: SGD, momentum, regularisation, ``fit``, early stopping
- :mod:`nnlib.gradcheck`: numerical gradients to check backprop
- :mod:`nnlib.datasets`, :mod:`nnlib.digits`, :mod:`nnlib.io`
- :mod:`nnlib.plotting` (with :mod:`nnlib.plot_style`, :mod:`nnlib.plot_digits`,
  :mod:`nnlib.plot_network`), :mod:`nnlib.debug` and :mod:`nnlib.chain_rule`,
  :mod:`nnlib.dashboard`, :mod:`nnlib.animation`, :mod:`nnlib.playground`
- :mod:`nnlib.exercises`: the checkers of the chapters' exercises

Conventions: a batch has one row per example, ``X`` of shape ``(n_samples, n_features)``;
every random function takes an explicit ``rng`` (a numpy Generator or a seed).
"""
from . import datasets
from .activations import ACTIVATIONS, get_activation
from .gradcheck import check_gradients, numerical_gradient
from .io import load, save
from .layers import Dense
from .losses import LOSSES, get_loss
from .network import Network, accuracy
from .neuron import Neuron
from .optimizers import SGD
from .training import Callback, EarlyStopping, History, TrainingDiverged, fit

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS", "LOSSES", "SGD", "Callback", "Dense", "EarlyStopping", "History", "Network",
    "Neuron", "TrainingDiverged", "accuracy", "check_gradients", "fit", "get_activation",
    "get_loss", "load", "numerical_gradient", "save",
]

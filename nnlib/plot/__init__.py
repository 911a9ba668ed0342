"""Static figures, in one shared style: a layer on top of nnlib's core and :mod:`nnlib.data`.

One module per kind of figure:

- :mod:`~nnlib.plot.style`: the colour-blind-safe palette, colour maps and style sheet;
- :mod:`~nnlib.plot.curves`: learning curves, an activation and its derivative;
- :mod:`~nnlib.plot.decision`: a classifier's output over the plane (decision maps);
- :mod:`~nnlib.plot.digits`: digit galleries, weights as images, the confusion matrix;
- :mod:`~nnlib.plot.network`: network diagrams whose lines show the weights;
- :mod:`~nnlib.plot.backprop`: the backpropagation "debugger": traces, shapes, per-layer views;
- :mod:`~nnlib.plot.chain_rule`: the chain rule on one neuron, as a computational graph;
- :mod:`~nnlib.plot.diagnostics`: debugging a run: the learning-rate range test, norms per layer,
  activation histograms, a dashboard of a run;
- :mod:`~nnlib.plot.animation`: recorded training runs replayed as HTML animations.

Every function draws on ``ax`` if given, else on a new figure, and returns what you
need to change the plot later. In a chapter::

    from nnlib import plot
    plot.use_style()
    plot.plot_history(history)
"""

from .animation import AnimationHTML, Frame, FrameRecorder, animate_frames, training_animation
from .backprop import (
    BackpropTrace,
    LayerTrace,
    backprop_scales,
    gradient_norms,
    layer_report,
    plot_backprop,
    plot_layer_histograms,
    plot_shapes,
    shape_table,
    trace_backprop,
)
from .chain_rule import draw_neuron_graph, neuron_graph_values
from .curves import plot_activation, plot_history
from .decision import decision_grid, plot_decision_boundary, update_decision_map
from .diagnostics import plot_activation_stats, plot_lr_range, plot_norms, plot_run
from .digits import confusion_matrix, plot_confusion_matrix, plot_weight_images, show_digits
from .network import NetworkArtists, draw_network, update_network_weights
from .style import (
    BLACK,
    BLUE,
    CLASS_COLORS,
    CLASS_MARKERS,
    DECISION_CMAP,
    DIVERGING,
    GREEN,
    NEGATIVE,
    ORANGE,
    PALETTE,
    POSITIVE,
    PURPLE,
    SKY_BLUE,
    STYLE_PATH,
    VERMILLION,
    style,
    use_style,
)

__all__ = [
    "BLACK",
    "BLUE",
    "CLASS_COLORS",
    "CLASS_MARKERS",
    "DECISION_CMAP",
    "DIVERGING",
    "GREEN",
    "NEGATIVE",
    "ORANGE",
    "PALETTE",
    "POSITIVE",
    "PURPLE",
    "SKY_BLUE",
    "STYLE_PATH",
    "VERMILLION",
    "AnimationHTML",
    "BackpropTrace",
    "Frame",
    "FrameRecorder",
    "LayerTrace",
    "NetworkArtists",
    "animate_frames",
    "backprop_scales",
    "confusion_matrix",
    "decision_grid",
    "draw_network",
    "draw_neuron_graph",
    "gradient_norms",
    "layer_report",
    "neuron_graph_values",
    "plot_activation",
    "plot_activation_stats",
    "plot_backprop",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_history",
    "plot_layer_histograms",
    "plot_lr_range",
    "plot_norms",
    "plot_run",
    "plot_shapes",
    "plot_weight_images",
    "shape_table",
    "show_digits",
    "style",
    "trace_backprop",
    "training_animation",
    "update_decision_map",
    "update_network_weights",
    "use_style",
]

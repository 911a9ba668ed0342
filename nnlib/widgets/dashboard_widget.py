"""The training dashboard's widget: the state the browser draws from, and its front end.

:class:`DashboardWidget` is an ``anywidget.AnyWidget``. Its traits are what a saved
notebook keeps (and the book's website shows without a kernel); during a fit,
:class:`~nnlib.widgets.dashboard.TrainingDashboard` sends the changes in between as
custom messages, which the front end (``static/dashboard.js``) adds to what it has:

================  =====================================================================
``run``           counts the fits; a new value starts the picture afresh
``status``        ``"waiting"``, ``"training"``, ``"done"`` or ``"stopped"`` (early, or fit raised)
``reason``        why a fit stopped when it raised (``"TrainingDiverged: ..."``), else ``""``
``epochs``        the planned number of epochs (the x range of the curves)
``history``       ``{"epoch": [...], "loss": [...], "accuracy": [...], "val_loss": [...],
                  "val_accuracy": [...]}``; NaN is ``null``; complete at the end of a fit
``map``           the decision map's set-up, ``{}`` without one: ``kind`` (``"scalar"`` or
                  ``"classes"``), ``resolution``, ``xlim``, ``ylim``, ``range`` or
                  ``classes``, and the points ``x``, ``y`` with ``labels`` or ``values``
``grid``          the latest grid of outputs, bytes (see ``dashboard._DecisionGrid``)
``frame_ends``    for the replay: the history's length at each recorded epoch
``frame_grids``   the grids of those epochs, one after the other
================  =====================================================================

Messages during a fit: ``{"type": "update", "start": i, "history": {key: new entries}}``
with the new grid as a binary buffer, and ``{"type": "progress", "epoch": e, "batch": b,
"batches": n}`` within a long epoch.
"""

from __future__ import annotations

import anywidget
import traitlets

from .esm import bundle

__all__ = ["DashboardWidget"]


class DashboardWidget(anywidget.AnyWidget):
    """The dashboard's anywidget (create it through :class:`~nnlib.widgets.dashboard.TrainingDashboard`)."""

    _esm = bundle("dashboard.js")
    run = traitlets.Int(0).tag(sync=True)
    status = traitlets.Unicode("waiting").tag(sync=True)
    reason = traitlets.Unicode("").tag(sync=True)
    epochs = traitlets.Int(0).tag(sync=True)
    history = traitlets.Dict().tag(sync=True)
    map = traitlets.Dict().tag(sync=True)
    grid = traitlets.Bytes(b"").tag(sync=True)
    frame_ends = traitlets.List(traitlets.Int()).tag(sync=True)
    frame_grids = traitlets.Bytes(b"").tag(sync=True)

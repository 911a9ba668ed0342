"""The playground's control panel: the ipywidgets, and keeping them in step with the settings.

:class:`PlaygroundControls` is the widget half of :class:`~nnlib.widgets.playground.widget.Playground`
(its base class): it builds the buttons, sliders, drop-downs and check boxes, reads
them into a new :class:`~nnlib.widgets.playground.settings.Settings` when one changes, shows
the current settings in them again, and writes the status line. What the buttons
*do* (train, play, pause, reset, load, apply settings) lives in the playground itself.
"""

from __future__ import annotations

import html

from ...data import CLASSIFICATION_SETS, REGRESSION_SETS
from .features import FEATURES
from .settings import ACTIVATION_NAMES, MAX_LAYERS, MAX_NEURONS, REGULARIZATIONS

__all__ = ["PlaygroundControls"]


class PlaygroundControls:
    """The control panel of a playground, as a base class of :class:`~nnlib.widgets.playground.widget.Playground`.

    The playground provides ``core`` (a :class:`~nnlib.widgets.playground.trainer.Trainer`),
    ``playing``, ``_syncing``, ``_w`` (the ``ipywidgets`` module) and the actions the
    controls call: ``_apply(settings)``, ``play``, ``pause``, ``step``, ``reset``,
    ``regenerate`` and ``load``. :meth:`_build_widgets` creates :attr:`widget`, the
    whole panel with the picture; ``_syncing`` is True while :meth:`_sync_controls`
    sets the controls, so their change events are not read back as new settings.
    """

    _syncing: bool  # set by the playground

    # --- settings <-> controls ------------------------------------------------------------
    def _on_control(self, change=None) -> None:
        if self._syncing:
            return
        c = self.controls
        try:
            settings = self.core.settings.replace(
                dataset=c["dataset"].value,
                noise=c["noise"].value,
                train_percent=c["train_percent"].value,
                seed=c["seed"].value,
                batch_size=c["batch_size"].value,
                activation=c["activation"].value,
                learning_rate=c["learning_rate"].value,
                regularization=c["regularization"].value,
                regularization_rate=c["regularization_rate"].value,
                show_test_data=c["show_test_data"].value,
                discretize=c["discretize"].value,
                features=tuple(f for f, box in self.feature_boxes.items() if box.value),
            )
        except (TypeError, ValueError) as e:
            self._sync_controls()  # the controls show what is really used
            self._set_status(f"{e} (kept the previous value)", error=True)
            return
        self._apply(settings)

    def _on_problem(self, change) -> None:
        if self._syncing:
            return
        sets = REGRESSION_SETS if change["new"] == "regression" else CLASSIFICATION_SETS
        self._syncing = True
        self.controls["dataset"].options = sets
        self.controls["dataset"].value = sets[0]
        self._syncing = False
        self._on_control()

    def _change_layers(self, layer: int | None, delta: int) -> None:
        hidden = list(self.core.settings.hidden)
        if layer is None:  # add or remove a whole layer
            if delta > 0 and len(hidden) >= MAX_LAYERS:
                return self._set_status(f"at most {MAX_LAYERS} hidden layers", error=True)
            hidden = hidden + [2] if delta > 0 else hidden[:-1]
        else:
            n = hidden[layer] + delta
            if not 1 <= n <= MAX_NEURONS:
                return self._set_status(
                    f"layer {layer + 1} needs 1 to {MAX_NEURONS} neurons (asked for {n}); "
                    "remove a layer with '- layer'",
                    error=True,
                )
            hidden[layer] = n
        self._apply(self.core.settings.replace(hidden=tuple(hidden)))

    def _sync_controls(self) -> None:
        s, c = self.core.settings, self.controls
        self._syncing = True
        try:
            c["problem"].value = s.problem
            c["dataset"].options = REGRESSION_SETS if s.problem == "regression" else CLASSIFICATION_SETS
            c["batch_size"].max = max(30, s.batch_size)  # a loaded string may ask for more
            for name in (
                "dataset",
                "noise",
                "train_percent",
                "seed",
                "batch_size",
                "activation",
                "learning_rate",
                "regularization",
                "regularization_rate",
                "show_test_data",
                "discretize",
            ):
                c[name].value = getattr(s, name)
            for f, box in self.feature_boxes.items():
                box.value = f in s.features
            for i, (col, label) in enumerate(self.layer_columns):
                col.layout.display = "" if i < len(s.hidden) else "none"
                label.value = f"{s.hidden[i]} neurons" if i < len(s.hidden) else ""
            self.layer_label.value = f"{len(s.hidden)} hidden layer{'s' * (len(s.hidden) != 1)}"
            self.settings_box.value = s.to_string()
            self.tf_link.value = f'<a href="{s.to_tf_url()}" target="_blank">open in TensorFlow Playground</a>'
        finally:
            self._syncing = False

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_text = text
        color = "#b3261e" if error else "#444444"
        self.status.value = f'<span style="color:{color}">{html.escape(text)}</span>' if text else ""

    # --- the widgets ------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        w, s = self._w, self.core.settings
        small = dict(layout=w.Layout(width="auto"))
        self.play_button = w.Button(description="Play", icon="play", button_style="success", **small)
        step_button = w.Button(description="Step", icon="step-forward", **small)
        reset_button = w.Button(description="Reset", icon="undo", **small)
        self.play_button.on_click(lambda _: self.pause() if self.playing else self.play())
        step_button.on_click(lambda _: self.step(1))
        reset_button.on_click(lambda _: self.reset())
        self.buttons = {"play": self.play_button, "step": step_button, "reset": reset_button}
        self.epoch_label = w.HTML()
        text = dict(style={"description_width": "initial"}, layout=w.Layout(width="170px"))
        sets = REGRESSION_SETS if s.problem == "regression" else CLASSIFICATION_SETS
        c = self.controls = {
            "problem": w.Dropdown(
                options=["classification", "regression"], value=s.problem, description="problem", **text
            ),
            "learning_rate": w.FloatText(value=s.learning_rate, description="learning rate", step=0.01, **text),
            "activation": w.Dropdown(options=ACTIVATION_NAMES, value=s.activation, description="activation", **text),
            "regularization": w.Dropdown(
                options=REGULARIZATIONS, value=s.regularization, description="regularisation", **text
            ),
            "regularization_rate": w.FloatText(
                value=s.regularization_rate, description="reg. rate", step=0.001, **text
            ),
            "dataset": w.ToggleButtons(
                options=sets, value=s.dataset, description="data", style={"button_width": "84px"}
            ),
            "noise": w.IntSlider(value=s.noise, min=0, max=50, step=5, description="noise %"),
            "train_percent": w.IntSlider(value=s.train_percent, min=10, max=90, step=10, description="train %"),
            "batch_size": w.IntSlider(value=s.batch_size, min=1, max=30, description="batch size"),
            "seed": w.BoundedIntText(
                value=s.seed, min=0, max=2**32 - 1, description="seed", layout=w.Layout(width="200px")
            ),
            "show_test_data": w.Checkbox(value=s.show_test_data, description="show test data", indent=False),
            "discretize": w.Checkbox(value=s.discretize, description="discretise output", indent=False),
        }
        for name, widget in c.items():
            widget.observe(self._on_problem if name == "problem" else self._on_control, names="value")
        self.feature_boxes = {
            f: w.Checkbox(value=f in s.features, description=f, indent=False, layout=w.Layout(width="110px"))
            for f in FEATURES
        }
        for box in self.feature_boxes.values():
            box.observe(self._on_control, names="value")
        regenerate = w.Button(description="Regenerate", icon="refresh", **small)
        regenerate.on_click(lambda _: self.regenerate())
        self.buttons["regenerate"] = regenerate
        add, remove = (w.Button(description=d, layout=w.Layout(width="90px")) for d in ("+ layer", "- layer"))
        add.on_click(lambda _: self._change_layers(None, +1))
        remove.on_click(lambda _: self._change_layers(None, -1))
        self.buttons.update({"add_layer": add, "remove_layer": remove})
        self.layer_label = w.HTML()
        self.layer_columns = []
        for i in range(MAX_LAYERS):
            plus, minus = (w.Button(description=d, layout=w.Layout(width="32px")) for d in ("+", "-"))
            plus.on_click(lambda _, i=i: self._change_layers(i, +1))
            minus.on_click(lambda _, i=i: self._change_layers(i, -1))
            self.buttons[f"layer{i + 1}+"], self.buttons[f"layer{i + 1}-"] = plus, minus
            label = w.HTML()
            self.layer_columns.append((w.VBox([w.HBox([plus, minus]), label]), label))
        self.image = w.Image(format="png", layout=w.Layout(width="100%", max_width="1000px"))
        self.status = w.HTML()
        self.settings_box = w.Text(
            description="settings",
            layout=w.Layout(width="70%"),
            placeholder="a settings string or a TensorFlow Playground URL",
        )
        load = w.Button(description="Load", icon="upload", **small)
        load.on_click(lambda _: self.load(self.settings_box.value))
        self.buttons["load"] = load
        self.tf_link = w.HTML()
        data = w.VBox(
            [
                c["problem"],
                c["dataset"],
                c["noise"],
                c["train_percent"],
                c["batch_size"],
                w.HBox([c["seed"], regenerate]),
                w.HBox([c["show_test_data"], c["discretize"]]),
            ]
        )
        feats = w.VBox([w.HTML("<b>features</b>"), *self.feature_boxes.values()])
        net = w.VBox([w.HBox([add, remove, self.layer_label]), w.HBox([col for col, _ in self.layer_columns])])
        top = w.HBox(
            [
                self.play_button,
                step_button,
                reset_button,
                self.epoch_label,
                c["learning_rate"],
                c["activation"],
                c["regularization"],
                c["regularization_rate"],
            ],
            layout=w.Layout(flex_flow="row wrap", align_items="center", grid_gap="6px"),
        )
        middle = w.HBox([data, feats, net], layout=w.Layout(flex_flow="row wrap", grid_gap="12px"))
        self.widget = w.VBox([top, middle, self.image, self.status, w.HBox([self.settings_box, load]), self.tf_link])
        self._sync_controls()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

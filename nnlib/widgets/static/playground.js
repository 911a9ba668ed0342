// playground.js: the front end of nnlib.widgets.playground.Playground (an anywidget).
//
// The page draws everything: the network with a small heat map per neuron and its weights
// as lines, the decision map with the data, the loss curves. Every heat map is computed
// here, from the weights, by engine.js (a forward pass over a 50 x 50 grid). Who trains:
//
//   * "python": a kernel answered our first message (a ping). Python trains, at a steady
//     cadence, and pushes what changed ({type: "epochs"}: weights, biases, the losses of each
//     epoch, the epoch), one message per tick. Flow control: we hand out credits ({type:
//     "credit", epochs: n}), epochs we are ready to receive, and Python trains only while it
//     has credit. Credit granted but not yet used, plus epochs received but not yet drawn, stay
//     within WINDOW; we top it up when half is spent (one message per WINDOW / 2 epochs, not
//     one per epoch: every message to the kernel costs a round trip through Jupyter's server).
//     So a page that draws slowly (or a hidden tab, which draws nothing) slows training down
//     instead of piling up messages.
//   * "browser": nobody answered within PING_MS (the book's website, offline). engine.js's
//     Trainer trains here, from the state the notebook saved, up to PAGE_EPOCHS per frame.
//
// The protocol is described in nnlib/widgets/playground/widget.py. The saved state (the
// synced traits _settings, _data, _params, _epoch, _history, _shuffle_rng, _status) is read
// once, when the view is drawn; after that Python's messages say what changed.

import { CLASSIFICATION_SETS, EXTENT, REGRESSION_SETS, Trainer, problemOf } from "./engine.js";
import { loadSettingsText, settingsToString, settingsToTfUrl } from "./settings.js";
import { button, checkbox, drawMap, frame, guarded, h, mapColor, numberInput, palette, select, setupCanvas, slider, textInput } from "./ui.js";

const PING_MS = 1000;         // how long to wait for a kernel's answer before training in the page
const WINDOW = 24;            // python: credit not yet used + epochs not yet drawn, at most (0.2 s at 120 epochs/s)
const PAGE_EPOCHS = 2;        // browser: epochs trained per frame, at most
const FRAME_BUDGET_MS = 12;   // in the page: train until this much of a frame is spent (at least one epoch)
const MAX_LAYERS = 6, MAX_NEURONS = 8, RESOLUTION = 50;
const ENGINE_TEXT = { unknown: "looking for a Python kernel…", python: "training in Python",
                      browser: "training in your browser" };
const FEATURE_LABELS = { "x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂",
  "sin(x1)": "sin x₁", "sin(x2)": "sin x₂", "cos(x1)": "cos x₁", "cos(x2)": "cos x₂" };
const NET_WIDTH = 480, MAP_SIZE = [320, 320], LOSS_SIZE = [320, 72];

const PLAYGROUND_STYLE = `
.nnlib-pg-bar, .nnlib-pg-panels, .nnlib-pg-pictures, .nnlib-pg-settings { display: flex; flex-wrap: wrap;
  gap: .4rem 1rem; align-items: center; }
.nnlib-pg-panels, .nnlib-pg-pictures { align-items: flex-start; }
.nnlib-pg-widget fieldset { border: 1px solid #8888; border-radius: 6px; margin: 0; padding: .3rem .7rem .5rem;
  display: flex; flex-direction: column; gap: .3rem; min-width: 0; }
.nnlib-pg-features { display: grid !important; grid-template-columns: repeat(3, auto); gap: .2rem .8rem !important; }
.nnlib-pg-widget legend { font-weight: 600; padding: 0 .3rem; }
.nnlib-pg-epoch { font-weight: 700; font-variant-numeric: tabular-nums; min-width: 7.5em; }
.nnlib-pg-layer { display: flex; align-items: center; gap: .4rem; font-variant-numeric: tabular-nums; }
.nnlib-pg-layer[hidden] { display: none; }
.nnlib-pg-layer .nnlib-button { min-width: 2.2em; padding: .1rem .4rem; }
.nnlib-pg-net { flex: 1 1 360px; min-width: 0; max-width: 480px; }
.nnlib-pg-out { flex: 1 1 260px; min-width: 0; max-width: 320px; display: flex; flex-direction: column; gap: .2rem; }
.nnlib-pg-losses { display: flex; justify-content: space-between; gap: .5rem; font-size: 13px;
  font-variant-numeric: tabular-nums; }
.nnlib-pg-engine { font-weight: 600; }
.nnlib-pg-settings a { white-space: nowrap; }
`;

export default { render: guarded("The playground", renderPlayground) };

function renderPlayground({ model, el }) {
  const view = {
    id: `view-${Math.random().toString(36).slice(2, 10)}`,
    mode: "unknown",       // "unknown" until a kernel answers or PING_MS pass, then "python" or "browser"
    playing: false,
    credit: 0,             // python: epochs granted to Python and not received yet
    undrawn: 0,            // python: epochs received since the last frame drawn
    syncing: false,        // python: asked for the whole state, not answered yet
    waiting: [],           // actions clicked before we knew who trains
    frameId: 0, pingTimer: 0, closed: false,
    status: { ...(model.get("_status") || {}) },
    data: model.get("_data"),
    trainer: null, featureMaps: null, layout: null,
  };

  // --- the state: a Trainer of engine.js holds what is shown, in both modes ----------------
  function rebuild(state) {
    view.data = state.data;
    view.trainer = Trainer.fromState(state, { resolution: RESOLUTION });
    view.featureMaps = view.trainer.featureMaps();    // never change while the features stay
    view.layout = null;
    syncControls();
    schedule();
  }
  const savedState = () => ({
    settings: model.get("_settings"), data: model.get("_data"), params: model.get("_params"),
    epoch: model.get("_epoch"), history: model.get("_history"), shuffle_rng: model.get("_shuffle_rng"),
  });

  // --- talking to Python ---------------------------------------------------------------------
  function send(message) { model.send(message); }

  /** Top up Python's credit to WINDOW once half of it is spent (drawn or in use). */
  function grantCredit() {
    if (view.mode !== "python" || view.closed || !view.playing) return;
    const free = WINDOW - view.credit - view.undrawn;
    if (free < WINDOW / 2) return;
    view.credit += free;
    send({ type: "credit", view: view.id, epochs: free });
  }

  const onMessage = safely((msg) => {
    if (!msg || typeof msg !== "object") return;
    if (msg.type === "pong") return kernelAnswered();
    if (view.mode !== "python") return;
    if (msg.type === "epochs") {
      const n = msg.losses.length, t = view.trainer;
      view.credit = Math.max(0, view.credit - n);
      view.undrawn += n;
      if (msg.epoch !== t.epoch + n) {                 // drawn in the middle of a run: ask for everything
        if (!view.syncing) { view.syncing = true; send({ type: "sync" }); }
      } else {
        t.net.setParams(msg.params);
        msg.losses.forEach(([train, test], i) => {
          t.history.epoch.push(t.epoch + i + 1);
          t.history.train_loss.push(train);
          t.history.test_loss.push(test);
        });
        t.epoch = msg.epoch;
        t.shuffleRng.bitGenerator.setState(msg.shuffle_rng);
        schedule();
      }
    } else if (msg.type === "state") {
      view.syncing = false;
      view.playing = msg.playing;
      if (!msg.playing) view.credit = 0;               // Python dropped it
      view.status = msg.status;
      rebuild({ ...msg, data: msg.data || view.data });
      grantCredit();
    }
  });

  function kernelAnswered() {
    clearTimeout(view.pingTimer);
    if (view.mode === "python") return;
    const late = view.mode === "browser";
    view.mode = "python";
    view.playing = false;
    if (late) send({ type: "sync" });                  // we trained here meanwhile: Python's run is the one
    runWaiting();
  }

  function noKernel() {
    if (view.mode !== "unknown") return;
    view.mode = "browser";
    runWaiting();
  }

  function runWaiting() {
    const waiting = view.waiting;
    view.waiting = [];
    waiting.forEach((f) => f());
    showStatus();
  }

  // --- what the controls do, in each mode ------------------------------------------------------
  const act = (name) => safely((...args) => {
    if (view.mode === "unknown") view.waiting.push(() => ACTIONS[name](...args));
    else ACTIONS[name](...args);
  });

  const ACTIONS = {
    play() {
      view.playing = true;
      if (view.mode === "python") { send({ type: "play" }); view.credit = 0; grantCredit(); }
      else setStatus("", false);
      syncButtons();
      schedule();
    },
    pause() {
      view.playing = false;
      view.credit = 0;
      if (view.mode === "python") send({ type: "pause" });
      syncButtons();
    },
    step() {
      view.playing = false;
      if (view.mode === "python") return send({ type: "step" });
      view.trainer.step(1);
      setStatus(view.trainer.message, !!view.trainer.message);
      syncButtons();
      schedule();
    },
    reset() {
      view.playing = false;
      if (view.mode === "python") return send({ type: "reset" });
      view.trainer.reset();
      setStatus("", false);
      syncButtons();
      schedule();
    },
    regenerate() {
      if (view.mode === "python") return send({ type: "regenerate" });
      applyHere({ seed: (view.trainer.settings.seed + 1) % 2 ** 32 });
    },
    change(changes) {
      if (view.mode === "python") return send({ type: "settings", changes });
      applyHere(changes);
    },
    load(text) {
      if (view.mode === "python") return send({ type: "load", text });
      let loaded;
      try { loaded = loadSettingsText(text); } catch (error) {
        setStatus(`could not load the settings: ${error.message}`, true);
        return syncControls();
      }
      applyHere(loaded.settings, loaded.notes.join("; "));
    },
  };

  /** In the page: change settings with engine.js's Trainer; a value that makes no sense is refused. */
  function applyHere(changes, notes = "") {
    const t = view.trainer;
    let what;
    try { what = t.apply(changes); } catch (error) {
      setStatus(`${error.message} (kept the previous value)`, true);
      return syncControls();
    }
    if (what === "data" || what === "network") {
      view.playing = false;
      view.featureMaps = t.featureMaps();
      view.layout = null;
    }
    const s = t.settings;
    const said = { data: "new data, fresh network", network: "fresh network",
                   optimizer: `learning rate ${s.learning_rate}, batch size ${s.batch_size}: training continues` };
    setStatus(notes || said[what] || "", false);
    syncControls();
    schedule();
  }

  // --- the frame loop: train (in the page), draw, ask for more (from Python) --------------------
  function schedule() {
    if (!view.frameId && !view.closed) view.frameId = requestAnimationFrame(onFrame);
  }

  const onFrame = safely(() => {
    view.frameId = 0;
    if (view.mode === "browser" && view.playing) {
      const t = view.trainer, start = performance.now();
      for (let k = 0; k < PAGE_EPOCHS && (k === 0 || performance.now() - start < FRAME_BUDGET_MS); k++) {
        if (t.step(1) === 0) {                         // diverged: the last good weights are kept
          view.playing = false;
          setStatus(t.message, true);
          syncButtons();
          break;
        }
      }
    }
    draw();
    view.undrawn = 0;
    if (view.mode === "python") grantCredit();
    else if (view.mode === "browser" && view.playing) schedule();
  });

  /** Wrap a handler: an error stops training and shows in the status line, never a blank box. */
  function safely(f) {
    return (...args) => {
      try { return f(...args); } catch (error) {
        view.playing = false;
        view.status = { text: `something went wrong in the page: ${error.message}`, error: true };
        console.error(error);
        try { syncButtons(); showStatus(); } catch { /* the status line itself is broken */ }
        return undefined;
      }
    };
  }

  // --- the controls -----------------------------------------------------------------------------
  if (!document.getElementById("nnlib-playground-style"))
    document.head.append(h("style", { id: "nnlib-playground-style" }, PLAYGROUND_STYLE));
  const root = frame(el, "Neural network playground");
  root.classList.add("nnlib-pg-widget");
  const changeTo = act("change");

  const playButton = button({ label: "Play", primary: true, onClick: () => act(view.playing ? "pause" : "play")() });
  const stepButton = button({ label: "Step", title: "train one epoch", onClick: act("step") });
  const resetButton = button({ label: "Reset", title: "back to this seed's initial weights", onClick: act("reset") });
  const epochLabel = h("span", { class: "nnlib-pg-epoch", "aria-live": "off" }, "epoch 0");
  const c = {
    learningRate: numberInput({ label: "learning rate", value: 0.03, step: "any", min: 0,
                                onChange: (v) => changeTo({ learning_rate: v }) }),
    activation: select({ label: "activation", value: "tanh", onChange: (v) => changeTo({ activation: v }),
                         options: ["relu", "tanh", "sigmoid", "linear"].map((a) => [a, a]) }),
    regularization: select({ label: "regularisation", value: "none", onChange: (v) => changeTo({ regularization: v }),
                             options: [["none", "none"], ["L1", "L1"], ["L2", "L2"]] }),
    regularizationRate: numberInput({ label: "regularisation rate", value: 0, step: "any", min: 0,
                                      onChange: (v) => changeTo({ regularization_rate: v }) }),
    problem: select({ label: "problem", value: "classification", options: [["classification", "classification"],
                      ["regression", "regression"]],
                      onChange: (v) => changeTo({ dataset: (v === "regression" ? REGRESSION_SETS : CLASSIFICATION_SETS)[0] }) }),
    dataset: select({ label: "data set", value: "circle", onChange: (v) => changeTo({ dataset: v }),
                      options: [...CLASSIFICATION_SETS, ...REGRESSION_SETS].map((d) => [d, d]) }),
    noise: slider({ label: "noise", min: 0, max: 50, step: 5, value: 0, format: (v) => `${v} %`,
                    onInput: debounced((v) => changeTo({ noise: v })) }),
    trainPercent: slider({ label: "training data", min: 10, max: 90, step: 10, value: 50, format: (v) => `${v} %`,
                           onInput: debounced((v) => changeTo({ train_percent: v })) }),
    batchSize: slider({ label: "batch size", min: 1, max: 30, step: 1, value: 10,
                        onInput: debounced((v) => changeTo({ batch_size: v })) }),
    seed: numberInput({ label: "seed", value: 0, step: 1, min: 0, width: "8em", onChange: (v) => changeTo({ seed: v }) }),
    showTest: checkbox({ label: "show test data", checked: false, onChange: (v) => changeTo({ show_test_data: v }) }),
    discretize: checkbox({ label: "discretise output", checked: false, onChange: (v) => changeTo({ discretize: v }) }),
  };
  const regenerateButton = button({ label: "Regenerate", title: "new data: the next seed", onClick: act("regenerate") });
  const featureBoxes = Object.fromEntries(Object.entries(FEATURE_LABELS).map(([f, text]) => [f, checkbox({
    label: text, checked: false,
    onChange: () => changeTo({ features: Object.keys(featureBoxes).filter((g) => featureBoxes[g].input.checked) }),
  })]));
  const layersLabel = h("span", {}, "");
  const addLayer = button({ label: "+ layer", title: "add a hidden layer", onClick: () => changeLayers(null, +1) });
  const removeLayer = button({ label: "− layer", title: "remove the last hidden layer", onClick: () => changeLayers(null, -1) });
  addLayer.setAttribute("aria-label", "add a hidden layer");
  removeLayer.setAttribute("aria-label", "remove the last hidden layer");
  const layerRows = Array.from({ length: MAX_LAYERS }, (_, i) => {
    const fewer = button({ label: "−", onClick: () => changeLayers(i, -1) });
    const more = button({ label: "+", onClick: () => changeLayers(i, +1) });
    fewer.setAttribute("aria-label", `remove a neuron from layer ${i + 1}`);
    more.setAttribute("aria-label", `add a neuron to layer ${i + 1}`);
    const count = h("span", {}, "");
    return { row: h("div", { class: "nnlib-pg-layer" }, h("span", {}, `layer ${i + 1}:`), fewer, count, more), count };
  });
  const settingsBox = textInput({ label: "settings", placeholder: "a settings string or a TensorFlow Playground URL",
                                  onEnter: (text) => act("load")(text) });
  const loadButton = button({ label: "Load", title: "load the settings string or TF Playground URL",
                             onClick: () => act("load")(settingsBox.input.value) });
  const tfLink = h("a", { target: "_blank", rel: "noopener" }, "open in TensorFlow Playground");
  const engineLabel = h("span", { class: "nnlib-pg-engine" }, "");
  const statusText = h("span", {}, "");
  const status = h("div", { class: "nnlib-status", role: "status", "aria-live": "polite" }, engineLabel, statusText);

  const netCanvas = h("canvas", { role: "img", "aria-label": "the network" });
  const lossCanvas = h("canvas", { role: "img", "aria-label": "training and test loss per epoch" });
  const mapCanvas = h("canvas", { role: "img", "aria-label": "the decision map with the data points" });
  const testLoss = h("span", {}, ""), trainLoss = h("span", {}, "");
  let netCtx = null;                                   // sized for the network's shape (networkLayout)
  const lossCtx = setupCanvas(lossCanvas, ...LOSS_SIZE);
  const mapCtx = setupCanvas(mapCanvas, ...MAP_SIZE);

  root.append(
    h("div", { class: "nnlib-pg-bar" }, playButton, stepButton, resetButton, epochLabel, c.learningRate.element,
      c.activation.element, c.regularization.element, c.regularizationRate.element),
    h("div", { class: "nnlib-pg-panels" },
      h("fieldset", {}, h("legend", {}, "data"), c.problem.element, c.dataset.element, c.noise.element,
        c.trainPercent.element, c.batchSize.element, h("div", { class: "nnlib-control" }, c.seed.element, regenerateButton),
        c.showTest.element, c.discretize.element),
      h("fieldset", { class: "nnlib-pg-features" }, h("legend", {}, "features"), Object.values(featureBoxes).map((b) => b.element)),
      h("fieldset", {}, h("legend", {}, "hidden layers"),
        h("div", { class: "nnlib-control" }, addLayer, removeLayer, layersLabel), layerRows.map((r) => r.row))),
    h("div", { class: "nnlib-pg-pictures" },
      h("div", { class: "nnlib-pg-net" }, netCanvas),
      h("div", { class: "nnlib-pg-out" }, h("div", { class: "nnlib-pg-losses" }, testLoss, trainLoss), lossCanvas, mapCanvas)),
    status,
    h("div", { class: "nnlib-pg-settings" }, settingsBox.element, loadButton, tfLink),
  );

  function changeLayers(layer, delta) {
    const hidden = [...view.trainer.settings.hidden];
    if (layer === null) {
      if (delta > 0 && hidden.length >= MAX_LAYERS) return setStatus(`at most ${MAX_LAYERS} hidden layers`, true);
      if (delta < 0 && !hidden.length) return setStatus("there is no hidden layer to remove", true);
      if (delta > 0) hidden.push(2); else hidden.pop();
    } else {
      const n = hidden[layer] + delta;
      if (n < 1 || n > MAX_NEURONS)
        return setStatus(`layer ${layer + 1} needs 1 to ${MAX_NEURONS} neurons (asked for ${n}); remove a layer with "− layer"`, true);
      hidden[layer] = n;
    }
    changeTo({ hidden });
  }

  /** Put the current settings into every control (after a change, a refusal or a load). */
  function syncControls() {
    const s = view.trainer.settings, problem = problemOf(s);
    c.learningRate.set(s.learning_rate);
    c.activation.set(s.activation);
    c.regularization.set(s.regularization);
    c.regularizationRate.set(s.regularization_rate);
    c.problem.set(problem);
    const sets = problem === "regression" ? REGRESSION_SETS : CLASSIFICATION_SETS;
    Array.from(c.dataset.input.options).forEach((o) => { o.hidden = !sets.includes(o.value); o.disabled = !sets.includes(o.value); });
    c.dataset.set(s.dataset);
    c.noise.set(s.noise);
    c.trainPercent.set(s.train_percent);
    c.batchSize.input.max = Math.max(30, s.batch_size);   // a loaded string may ask for more
    c.batchSize.set(s.batch_size);
    c.seed.set(s.seed);
    c.showTest.set(s.show_test_data);
    c.discretize.set(s.discretize);
    for (const [f, box] of Object.entries(featureBoxes)) box.set(s.features.includes(f));
    layersLabel.textContent = `${s.hidden.length} hidden layer${s.hidden.length === 1 ? "" : "s"}`;
    layerRows.forEach((r, i) => {
      r.row.hidden = i >= s.hidden.length;
      r.count.textContent = i < s.hidden.length ? `${s.hidden[i]} neuron${s.hidden[i] === 1 ? "" : "s"}` : "";
    });
    settingsBox.set(settingsToString(s));
    tfLink.href = settingsToTfUrl(s);
    netCanvas.setAttribute("aria-label", `the network: inputs ${s.features.join(", ")}; hidden layers of ` +
      `${s.hidden.join(", ") || "none"} ${s.activation} neurons; one output. Lines are the weights.`);
    syncButtons();
    showStatus();
  }

  function syncButtons() {
    playButton.textContent = view.playing ? "Pause" : "Play";
    playButton.setAttribute("aria-pressed", String(view.playing));
  }

  function setStatus(text, error) {
    view.status = { text, error };
    showStatus();
  }

  function showStatus() {
    engineLabel.textContent = ENGINE_TEXT[view.mode] + (view.status.text ? " · " : "");
    statusText.textContent = view.status.text || "";
    statusText.style.color = view.status.error ? (colors().dark ? "#ff9e80" : "#b3261e") : "";
    root.dataset.engine = view.mode;
  }

  // --- drawing ------------------------------------------------------------------------------
  function draw() {
    const t = view.trainer, s = t.settings, pal = colors();
    const { output, hidden } = t.gridOutputs();
    drawNetwork(pal, t, hidden, output);
    drawDecisionMap(pal, t, output);
    drawLosses(pal, t.history);
    epochLabel.textContent = `epoch ${t.epoch.toLocaleString("en-US")}`;
    root.dataset.epoch = String(t.epoch);                // for tests and benchmarks/playground_fps.py
    root.dataset.frames = String(Number(root.dataset.frames || 0) + 1);
    testLoss.textContent = `test loss ${t.testLoss.toFixed(3)}`;
    trainLoss.textContent = `training loss ${t.trainLoss.toFixed(3)}`;
    mapCanvas.setAttribute("aria-label", `the decision map after ${t.epoch} epochs, with the ${
      s.show_test_data ? "training and test" : "training"} points; test loss ${t.testLoss.toFixed(3)}`);
    if (view.status.error) showStatus();                 // the error colour follows light / dark mode
  }

  /** The palette of ui.js, with the text colour of the page around us (so canvas and HTML text agree). */
  function colors() {
    return { ...palette(root), text: getComputedStyle(root).color };
  }

  /** Where every node of the network picture goes: columns of features, hidden layers, output.
   *  The canvas is as tall as the tallest column needs; sizing it clears it. */
  function networkLayout(s) {
    const columns = [s.features.length, ...s.hidden, 1], top = 26, pitch = 44, size = 34;
    const W = NET_WIDTH, H = Math.max(140, top + Math.max(...columns) * pitch);
    netCtx = setupCanvas(netCanvas, W, H);
    const left = 70, right = W - 10 - size;
    const xs = columns.map((_, i) => left + (columns.length === 1 ? 0 : (i * (right - left)) / (columns.length - 1)));
    const nodes = columns.map((n, i) => Array.from({ length: n }, (_, k) => ({ x: xs[i], y: top + k * pitch })));
    return { columns, nodes, size, W, H };
  }

  function drawNetwork(pal, t, hidden, output) {
    const s = t.settings, layout = view.layout || (view.layout = networkLayout(s)), ctx = netCtx;
    const { nodes, size, columns } = layout;
    netCtx.clearRect(0, 0, layout.W, layout.H);
    // the weights: one curve per weight, width ~ |w|, blue positive, vermillion negative
    t.net.layers.forEach((L, l) => {
      const from = nodes[l], to = nodes[l + 1];
      for (let i = 0; i < L.nIn; i++)
        for (let j = 0; j < L.nOut; j++) {
          const w = L.W.data[i * L.nOut + j];
          const a = from[i], b = to[j], y0 = a.y + size / 2, y1 = b.y + size / 2, x0 = a.x + size, mid = (x0 + b.x) / 2;
          ctx.beginPath();
          ctx.moveTo(x0, y0);
          ctx.bezierCurveTo(mid, y0, mid, y1, b.x, y1);
          ctx.lineWidth = 0.5 + 3.5 * Math.min(Math.abs(w) / 2, 1);
          ctx.strokeStyle = w >= 0 ? pal.blue : pal.vermillion;
          ctx.globalAlpha = 0.35 + 0.65 * Math.min(Math.abs(w), 1);
          ctx.stroke();
        }
    });
    ctx.globalAlpha = 1;
    // a heat map in every node: the input features, every hidden neuron, the output
    const maps = [view.featureMaps, ...hidden, [output]];
    nodes.forEach((col, l) => col.forEach((node, k) => {
      drawMap(ctx, pal, maps[l][k], RESOLUTION, node.x, node.y, size, size);
      ctx.strokeStyle = pal.muted;
      ctx.lineWidth = 1;
      ctx.strokeRect(node.x - 0.5, node.y - 0.5, size + 1, size + 1);
    }));
    ctx.fillStyle = pal.text;
    ctx.font = "13px system-ui, sans-serif";
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    nodes[0].forEach((node, k) => ctx.fillText(FEATURE_LABELS[s.features[k]], node.x - 6, node.y + size / 2));
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    columns.forEach((n, l) => {
      const head = l === 0 ? "features" : l === columns.length - 1 ? "output" : `${n} neuron${n === 1 ? "" : "s"}`;
      ctx.fillText(head, nodes[l][0].x + size / 2, 16);
    });
  }

  function drawDecisionMap(pal, t, output) {
    const s = t.settings, ctx = mapCtx, [W, H] = MAP_SIZE, box = { x: 30, y: 6, w: W - 36, h: H - 30 };
    ctx.clearRect(0, 0, W, H);
    const values = s.discretize ? output.map((v) => (v >= 0 ? 1 : -1)) : output;
    drawMap(ctx, pal, values, RESOLUTION, box.x, box.y, box.w, box.h);
    const [lo, hi] = EXTENT, px = (v) => box.x + ((v - lo) / (hi - lo)) * box.w, py = (v) => box.y + box.h - ((v - lo) / (hi - lo)) * box.h;
    const regression = problemOf(s) === "regression";
    const drawPoints = (X, y, test) => {
      ctx.lineWidth = test ? 1.6 : 1;
      ctx.strokeStyle = test ? pal.text : pal.background;
      for (let i = 0; i < X.rows; i++) {
        const target = y[i];
        ctx.fillStyle = regression ? `rgb(${mapColor({ ...pal, middle: [128, 128, 128] }, target).join(",")})`
                                   : target > 0 ? pal.blue : pal.orange;
        ctx.beginPath();
        ctx.arc(px(X.data[2 * i]), py(X.data[2 * i + 1]), 3, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
    };
    drawPoints(t.XTrain, t.yTrain, false);
    if (s.show_test_data) drawPoints(t.XTest, t.yTest, true);
    ctx.strokeStyle = pal.muted;
    ctx.lineWidth = 1;
    ctx.strokeRect(box.x - 0.5, box.y - 0.5, box.w + 1, box.h + 1);
    ctx.fillStyle = pal.text;
    ctx.font = "11px system-ui, sans-serif";
    for (const v of [-6, -3, 0, 3, 6]) {
      ctx.textAlign = "center"; ctx.textBaseline = "top";
      ctx.fillText(String(v), px(v), box.y + box.h + 4);
      ctx.textAlign = "right"; ctx.textBaseline = "middle";
      ctx.fillText(String(v), box.x - 4, py(v));
    }
    ctx.textAlign = "left"; ctx.textBaseline = "bottom";
    ctx.fillText("x₁ →", box.x + box.w - 30, H);
  }

  function drawLosses(pal, history) {
    const ctx = lossCtx, [W, H] = LOSS_SIZE, n = history.epoch.length;
    ctx.clearRect(0, 0, W, H);
    ctx.strokeStyle = pal.grid;
    ctx.lineWidth = 1;
    ctx.strokeRect(0.5, 0.5, W - 1, H - 1);
    if (!n) return;
    const last = history.epoch[n - 1] || 1;
    let top = 1e-9;
    for (let i = 0; i < n; i++) top = Math.max(top, history.train_loss[i], history.test_loss[i]);
    const step = Math.max(1, Math.floor(n / (2 * W)));     // at most two points per pixel
    for (const [key, color] of [["train_loss", pal.muted], ["test_loss", pal.text]]) {
      ctx.beginPath();
      for (let i = 0; ; i = Math.min(i + step, n - 1)) {        // every step-th epoch, and the last
        const x = 2 + (history.epoch[i] / last) * (W - 4), y = H - 2 - (history[key][i] / (1.05 * top)) * (H - 4);
        if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
        if (i === n - 1) break;
      }
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.4;
      ctx.stroke();
    }
  }

  // --- start: draw the saved state, then find out who trains ------------------------------------
  rebuild(savedState());
  model.on("msg:custom", onMessage);
  try {
    send({ type: "ping" });
    view.pingTimer = setTimeout(safely(noKernel), PING_MS);
  } catch {
    noKernel();                                        // no comm at all: nobody can answer
  }
  showStatus();

  return () => {
    view.closed = true;
    view.playing = false;
    cancelAnimationFrame(view.frameId);
    clearTimeout(view.pingTimer);
    model.off("msg:custom", onMessage);
  };
}

/** Call `f` with the latest value once the reader stops moving a slider for a moment (100 ms). */
function debounced(f) {
  let timer = 0;
  return (value) => { clearTimeout(timer); timer = setTimeout(() => f(value), 100); };
}

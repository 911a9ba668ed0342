// The JavaScript engine (nnlib/widgets/static/engine.js) computes what nnlib computes.
//
// Run from the repository root:
//
//   python tools/export_engine_fixtures.py build/engine-fixtures && NNLIB_ENGINE_FIXTURES=build/engine-fixtures node --test tests/js/
//
// The fixtures are nnlib's own numbers (see the exporter's docstring). Parity tests
// require every weight, bias and loss to agree with nnlib's to 1e-9 ABSOLUTE in float64
// (the numbers are of order 1; the differences seen are rounding, about 1e-15), and
// random draws, permutations and initial weights to be EQUAL. The unit tests at the end
// need no fixtures. When you change nnlib's maths or this engine, this test tells you
// to change the other one too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

import {
  ACTIVATIONS, Network, PCG64, SGD, SeedSequence, Trainer, defaultRng, featureMatrix, fromRows, matrix,
  playground, trainTestSplit,
} from "../../nnlib/widgets/static/engine.js";

const TOL = 1e-9;
const DIR = process.env.NNLIB_ENGINE_FIXTURES;
const load = (name) => JSON.parse(readFileSync(path.join(DIR, name), "utf8"));

/** The largest |a - b| over two (nested) arrays of numbers. */
function maxDiff(a, b) {
  const x = [a].flat(Infinity), y = [b].flat(Infinity);
  assert.equal(x.length, y.length, "different sizes");
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);
}
const paramsOf = (net) => ({
  weights: net.layers.map((L) => Array.from(L.W.data)), biases: net.layers.map((L) => Array.from(L.b)),
});
/** max |engine - nnlib| over all weights and biases; fails above TOL. */
function assertParamsClose(net, expected, what) {
  const got = paramsOf(net);
  const d = Math.max(maxDiff(got.weights, expected.weights), maxDiff(got.biases, expected.biases));
  assert.ok(d <= TOL, `${what}: a weight or bias differs from nnlib's by ${d}`);
  return d;
}
let largest = 0;                                                  // the largest weight difference seen
const note = (d) => { largest = Math.max(largest, d); return d; };

// --- parity with nnlib ---------------------------------------------------------------------
test("the fixtures exist (set NNLIB_ENGINE_FIXTURES, see the header of this file)", () => {
  assert.ok(DIR && existsSync(path.join(DIR, "rng.json")),
    `no fixtures in NNLIB_ENGINE_FIXTURES=${DIR}; run: python tools/export_engine_fixtures.py build/engine-fixtures`);
});

const haveFixtures = DIR && existsSync(path.join(DIR, "rng.json"));
const trainFiles = haveFixtures ? readdirSync(DIR).filter((f) => f.startsWith("train-")).sort() : [];

for (const file of trainFiles) {
  const fx = load(file);
  const s = fx.settings;
  const sizes = [s.features.length, ...s.hidden, 1];
  const output = fx.problem === "classification" ? "tanh" : "linear";

  test(`${fx.name}: ${fx.steps} SGD steps from nnlib's weights, data and batch order give nnlib's weights`, (t) => {
    const F = featureMatrix(fx.x_train, s.features);
    assert.ok(maxDiff(Array.from(F.data), fx.f_train) <= 1e-15, "input features differ");
    const Ftest = featureMatrix(fx.x_test, s.features);
    const Y = matrix(fx.y_train.length, 1, Float64Array.from(fx.y_train));
    const Ytest = matrix(fx.y_test.length, 1, Float64Array.from(fx.y_test));
    const net = new Network(sizes, s.activation, output);
    net.setParams(fx.initial);
    const reg = s.regularization, rate = s.regularization_rate;
    const sgd = new SGD({ lr: s.learning_rate, l1: reg === "L1" ? rate : 0, l2: reg === "L2" ? rate : 0 });
    let steps = 0;
    for (const order of fx.orders) {                             // nnlib's permutation of each epoch
      for (let start = 0; start < order.length && steps < fx.steps; start += s.batch_size, steps++) {
        const batch = order.slice(start, start + s.batch_size);
        net.forward(fromRows(batch.map((i) => fx.f_train[i])));
        net.backward(matrix(batch.length, 1, Float64Array.from(batch, (i) => fx.y_train[i])));
        sgd.step(net.layers);
      }
    }
    assert.equal(steps, fx.steps);
    const d = note(assertParamsClose(net, fx.final, fx.name));
    const dTrain = Math.abs(net.loss(net.forward(F), Y) - fx.train_loss);
    const dTest = Math.abs(net.loss(net.forward(Ftest), Ytest) - fx.test_loss);
    assert.ok(dTrain <= TOL && dTest <= TOL, `losses differ by ${dTrain}, ${dTest}`);
    t.diagnostic(`max |weight - nnlib| = ${d.toExponential(2)}, |loss - nnlib| = ${Math.max(dTrain, dTest).toExponential(2)}`);
  });

  // Points made with sin and cos (circle, spiral) or normal draws (gaussian) may differ in the
  // last bit: Math.sin and numpy's sin round differently. Everything else is equal.
  test(`${fx.name}: the Trainer rebuilds nnlib's data, initial weights and batch order from the seed`, () => {
    const tr = new Trainer(s);
    assert.ok(maxDiff(Array.from(tr.XTrain.data), fx.x_train) <= 1e-12, "training points");
    assert.ok(maxDiff(Array.from(tr.XTest.data), fx.x_test) <= 1e-12, "test points");
    assert.deepEqual(Array.from(tr.yTrain), fx.y_train, "training targets");
    assert.deepEqual(Array.from(tr.yTest), fx.y_test, "test targets");
    assert.deepEqual(paramsOf(tr.net), { weights: fx.initial.weights.map((W) => W.flat()), biases: fx.initial.biases });
    for (const order of fx.orders) assert.deepEqual(Array.from(tr.shuffleRng.permutation(order.length)), order);
  });

  test(`${fx.name}: Trainer.step(${fx.core.epochs}) reports what the Python Trainer.step reports`, () => {
    const tr = new Trainer(s, { resolution: fx.core.grid?.resolution ?? 50 });
    assert.equal(tr.step(fx.core.epochs), fx.core.epochs);
    note(assertParamsClose(tr.net, { weights: fx.core.params.weights.map((W) => W.flat()), biases: fx.core.params.biases }, fx.name));
    assert.deepEqual(tr.history.epoch, fx.core.history.epoch);
    assert.ok(maxDiff(tr.history.train_loss, fx.core.history.train_loss) <= TOL);
    assert.ok(maxDiff(tr.history.test_loss, fx.core.history.test_loss) <= TOL);
    if (fx.core.grid) {                                          // the heat maps: output and every hidden neuron
      const { output, hidden } = tr.gridOutputs();
      assert.ok(maxDiff(Array.from(output), fx.core.grid.output) <= TOL, "grid output");
      assert.ok(maxDiff(hidden.map((l) => l.map((h) => Array.from(h))), fx.core.grid.hidden) <= TOL, "hidden maps");
    }
  });
}

if (haveFixtures) {
  test("a diverging run keeps the last good weights and says so, as the Python Trainer does", () => {
    const fx = load("diverge.json");
    const tr = new Trainer(fx.settings);
    assert.equal(tr.step(fx.epochs), fx.ran);
    assert.equal(tr.message, fx.state.message);
    assert.equal(tr.epoch, fx.state.epoch);
    assert.deepEqual(tr.history.epoch, fx.state.history.epoch);
    const rel = Math.max(...paramsOf(tr.net).weights.flat().map((w, i) => {
      const p = fx.state.params.weights.map((W) => W.flat()).flat()[i];
      return Math.abs(w - p) / Math.max(1, Math.abs(p));
    }));
    assert.ok(rel <= TOL, `weights after divergence differ by ${rel} (relative)`);
  });

  test("a Python Trainer state loads into a Trainer, which continues exactly as nnlib does", () => {
    const fx = load("state.json");
    for (const withRng of [true, false]) {                       // without shuffle_rng, the shuffles are replayed
      const saved = structuredClone(fx.saved);
      if (!withRng) delete saved.shuffle_rng;
      const tr = Trainer.fromState(saved);
      assert.deepEqual(tr.exportState().params, fx.saved.params, "loading changes no weight");
      tr.step(fx.more_epochs);
      const after = tr.exportState();
      assert.equal(after.epoch, fx.after.epoch);
      assert.deepEqual(after.shuffle_rng, fx.after.shuffle_rng);
      assert.ok(maxDiff(after.params.weights, fx.after.params.weights) <= TOL);
      assert.ok(maxDiff(after.history.train_loss, fx.after.history.train_loss) <= TOL);
    }
  });

  test("random numbers: numpy's SeedSequence, spawn, PCG64 and Generator, bit for bit", () => {
    const fx = load("rng.json");
    for (const s of fx.seeds) {
      const seed = BigInt(s.seed);
      const ss = new SeedSequence(seed);
      assert.deepEqual(ss.pool, s.pool, `pool of seed ${s.seed}`);
      ss.spawn(3).forEach((c, i) => {
        assert.deepEqual(c.spawnKey, s.children[i].spawn_key);
        assert.deepEqual(c.pool, s.children[i].pool);
        assert.deepEqual(Array.from(c.generateState(8)), s.children[i].state32);
      });
      const bits = new PCG64(new SeedSequence(seed));
      assert.deepEqual({ state: bits.state.toString(), inc: bits.inc.toString() }, s.state);
      assert.deepEqual([0, 1, 2, 3, 4].map(() => bits.nextUint64().toString()), s.raw);
      const g = defaultRng(new SeedSequence(seed)), m = s.mixed;   // one stream, calls interleaved
      assert.deepEqual(Array.from(g.uniform(0, 1, 10)), m.uniform_a);
      assert.deepEqual(Array.from(g.permutation(7)), m.perm_a);
      assert.deepEqual(Array.from(g.uniform(-0.5, 0.5, 3)), m.uniform_b);
      assert.deepEqual(Array.from(g.permutation(300)), m.perm_b);
      assert.deepEqual(Array.from(g.permutation(1)), m.perm_c);
      assert.deepEqual(Array.from(g.permutation(2)), m.perm_d);
      assert.deepEqual(Array.from(g.uniform(-6, 6, 4)), m.uniform_c);
    }
  });

  test("standard normal draws: numpy's ziggurat on the same stream, equal to 1e-13 relative", (t) => {
    const fx = load("rng.json").normal;
    const z = defaultRng(fx.seed).standardNormal(fx.values.length);
    let worst = 0, exact = 0;
    fx.values.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(z[i] - v) / Math.max(1, Math.abs(v)));
      exact += z[i] === v;
    });
    assert.ok(worst <= 1e-13, `a normal draw differs by ${worst} (relative)`);
    t.diagnostic(`${exact} of ${z.length} normal draws bit-identical; largest relative difference ${worst.toExponential(2)}`);
  });

  // xor and the regression sets are equal bit for bit; circle and spiral use sin and cos,
  // gaussian normal draws, which may differ from numpy's in the last bit.
  test("the six data sets and trainTestSplit reproduce nnlib's points for the same seed", (t) => {
    let exact = 0, total = 0, worst = 0;
    for (const d of load("rng.json").datasets) {
      const rng = defaultRng(new SeedSequence(d.seed).spawn(3)[0]);
      const { X, y } = playground(d.name, d.n, d.noise, rng);
      const split = trainTestSplit(X, y, d.test_fraction, rng);
      const what = `${d.name}, noise ${d.noise}, seed ${d.seed}`;
      const got = [...X.data, ...y, ...split.XTrain.data, ...split.yTrain, ...split.XTest.data, ...split.yTest];
      const want = [d.X, d.y, d.x_train, d.y_train, d.x_test, d.y_test].flat(2);
      assert.equal(got.length, want.length, what);
      got.forEach((v, i) => { exact += v === want[i]; worst = Math.max(worst, Math.abs(v - want[i])); });
      total += got.length;
      assert.ok(worst <= 1e-12, `${what}: a value differs by ${worst}`);
      if (["xor", "reg-plane", "reg-gauss"].includes(d.name)) assert.deepEqual(got, want, what);
      assert.deepEqual([...y, ...split.yTrain, ...split.yTest], [d.y, d.y_train, d.y_test].flat(), `${what}: labels`);
    }
    t.diagnostic(`${exact} of ${total} data-set numbers bit-identical; largest difference ${worst.toExponential(2)}`);
  });

  test("report: the largest weight difference from nnlib", (t) => {
    t.diagnostic(`largest |weight or bias - nnlib| over all parity tests: ${largest.toExponential(2)}`);
  });
}

// --- the engine on its own -----------------------------------------------------------------
test("each activation's derivative matches a central finite difference", () => {
  const h = 1e-6;
  for (const [name, act] of Object.entries(ACTIVATIONS)) {
    for (const z of [-3.1, -1, -0.2, 0.3, 0.9, 2.5]) {
      const numeric = (act.f(z + h) - act.f(z - h)) / (2 * h);
      assert.ok(Math.abs(act.derivative(z, act.f(z)) - numeric) < 1e-8, `${name}'(${z})`);
    }
  }
  assert.equal(ACTIVATIONS.relu.derivative(0, 0), 0, "relu'(0) = 0, as nnlib");
  for (const z of [-30, -2, 0, 1.5, 30]) assert.ok(Math.abs(ACTIVATIONS.sigmoid.f(z) - 1 / (1 + Math.exp(-z))) < 1e-15);
});

/** A small network with random weights and a random batch. */
function smallProblem(hidden, output, seed = 1) {
  const rng = defaultRng(seed);
  const net = new Network([3, 4, 3, 1], hidden, output);
  for (const L of net.layers) { L.W.data.set(rng.uniform(-1, 1, L.W.data.length)); L.b.set(rng.uniform(-1, 1, L.nOut)); }
  return { net, X: matrix(5, 3, rng.uniform(-2, 2, 15)), Y: matrix(5, 1, rng.uniform(-1, 1, 5)) };
}

test("backward (BP1-BP4) matches finite differences of the loss for every weight and bias", () => {
  for (const [hidden, output] of [["tanh", "tanh"], ["sigmoid", "linear"], ["relu", "tanh"], ["linear", "linear"]]) {
    const { net, X, Y } = smallProblem(hidden, output);
    net.forward(X);
    net.backward(Y);
    const cost = () => net.loss(net.forward(X), Y), h = 1e-6;
    for (const L of net.layers)
      for (const [p, grad] of [[L.W.data, L.dW.data], [L.b, L.db]])
        for (let i = 0; i < p.length; i++) {
          const keep = p[i];
          p[i] = keep + h; const up = cost();
          p[i] = keep - h; const down = cost();
          p[i] = keep;
          assert.ok(Math.abs(grad[i] - (up - down) / (2 * h)) < 1e-7, `${hidden}/${output}: gradient ${i}`);
        }
  }
});

test("SGD adds l2 W and l1 sign(W) to the weight gradients, never to the biases (worked by hand)", () => {
  const layer = () => {
    const net = new Network([3, 1], "linear", "linear");
    const L = net.layers[0];
    L.W.data.set([0.5, -2, 0]);
    L.b.set([0.1]);
    L.dW = matrix(3, 1, Float64Array.from([0.1, 0.2, 0.3]));
    L.db = Float64Array.from([0.3]);
    return L;
  };
  const close = (got, want) => want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) < 1e-15, `${got} vs ${want}`));
  let L = layer();
  new SGD({ lr: 0.1, l2: 0.01 }).step([L]);
  close(L.W.data, [0.5 - 0.1 * (0.1 + 0.005), -2 - 0.1 * (0.2 - 0.02), 0 - 0.1 * 0.3]);   // 0.4895, -2.018, -0.03
  close(L.b, [0.1 - 0.1 * 0.3]);
  L = layer();
  new SGD({ lr: 0.1, l1: 0.01 }).step([L]);
  close(L.W.data, [0.5 - 0.1 * (0.1 + 0.01), -2 - 0.1 * (0.2 - 0.01), 0 - 0.1 * 0.3]);    // 0.489, -2.019; sign(0) = 0
  close(L.b, [0.07]);
});

test("a step that would make a weight infinite is not taken: the last completed step is kept, with a message", () => {
  const tr = new Trainer({ dataset: "reg-plane", features: ["x1", "x2", "x1^2", "x2^2"], hidden: [8],
                           activation: "linear", learning_rate: 0.001 });
  assert.equal(tr.step(2), 2);
  const good = tr.exportState();
  assert.equal(tr.apply({ learning_rate: 50 }), "optimizer");   // training continues with a huge rate
  assert.equal(tr.step(3), 0);
  assert.equal(tr.epoch, 2);
  assert.deepEqual(tr.history, good.history);
  const { weights, biases } = tr.exportState().params;
  assert.ok([...weights.flat(2), ...biases.flat()].every(Number.isFinite), "every weight is finite");
  assert.notDeepEqual(tr.exportState().params, good.params);   // the steps of epoch 3 before the bad one
  assert.match(tr.message, /^training diverged in epoch 3 with learning rate 50: a step would have made a weight NaN/);
  assert.match(tr.message, /The weights of the last completed step are kept; try a smaller learning rate\.$/);
  tr.reset();
  tr.apply({ learning_rate: 0.001 });
  assert.equal(tr.step(1), 1);
  assert.equal(tr.message, "");
});

test("exportState -> JSON -> fromState shows the same run, which then trains identically", () => {
  const tr = new Trainer({ dataset: "spiral", noise: 10, features: ["x1", "x2", "sin(x1)"], hidden: [5, 3],
                           activation: "relu", regularization: "L1", regularization_rate: 0.001, seed: 9 });
  tr.step(3);
  const state = JSON.parse(JSON.stringify(tr.exportState()));
  assert.deepEqual(Object.keys(state).sort(), ["data", "epoch", "history", "message", "params", "settings", "shuffle_rng"]);
  const copy = Trainer.fromState(state);
  assert.deepEqual(copy.exportState(), state);
  assert.deepEqual(copy.gridOutputs(), tr.gridOutputs());
  tr.step(2);
  copy.step(2);
  assert.deepEqual(copy.exportState(), tr.exportState());
});

test("apply rebuilds only what a change needs", () => {
  const tr = new Trainer();
  tr.step(1);
  assert.equal(tr.apply({ show_test_data: true }), "view");
  assert.equal(tr.epoch, 1);
  assert.equal(tr.apply({ batch_size: 5 }), "optimizer");
  assert.equal(tr.epoch, 1);
  assert.equal(tr.apply({ features: ["x2", "x1", "x1^2"] }), "network");
  assert.deepEqual(tr.settings.features, ["x1", "x2", "x1^2"]);    // the network's input order
  assert.equal(tr.epoch, 0);
  assert.equal(tr.regenerate(), "data");
  assert.equal(tr.settings.seed, 1);
  assert.throws(() => tr.apply({ activation: "softmax" }), /activation must be/);
  assert.throws(() => new Trainer({ learningRate: 0.1 }), /unknown setting\(s\) learningRate/);
  assert.throws(() => new Trainer({ hidden: [4, 9] }), /at most 6 layers of 1 to 8 neurons/);
});

// engine.js: the playground's maths in plain JavaScript, a port of nnlib.
//
// The website has no Python kernel, so the playground trains here instead. Every
// function mirrors one in nnlib, named in its comment, and does its arithmetic in the
// same order, so both engines give the same numbers (tests/js/engine.test.mjs checks it).
// A plain ES module: named exports, no imports, no DOM; it runs in Node and in a browser.
//
// Conventions, the same as nnlib's (book/notation.md):
//   * a matrix is {rows, cols, data}, data a Float64Array in row-major order;
//   * rows are examples: a batch X has shape (n, n_in);
//   * a layer's W has shape (n_in, n_out) (column j holds neuron j's weights), b has n_out;
//   * forward:  Z = X W + b,  A = sigma(Z), both (n, n_out).
//
// Sections: 1 matrices, 2 activations, 3 input features, 4 network and SGD,
// 5 random numbers (numpy's), 6 data sets, 7 the Trainer.

// --- 1. matrices ------------------------------------------------------------------------

/** A rows x cols matrix of zeros, or wrapping `data` (row-major, length rows * cols). */
export function matrix(rows, cols, data = new Float64Array(rows * cols)) {
  if (data.length !== rows * cols) throw new Error(`matrix(${rows}, ${cols}) got ${data.length} numbers`);
  return { rows, cols, data };
}

/** A matrix from nested arrays [[row 0], [row 1], ...] (what Python's tolist() gives). */
export function fromRows(rows) {
  const n = rows.length, m = n ? rows[0].length : 0;
  const M = matrix(n, m);
  rows.forEach((row, i) => M.data.set(row, i * m));
  return M;
}

/** Nested arrays, one per row (for JSON). */
export function toRows(M) {
  const out = [];
  for (let i = 0; i < M.rows; i++) out.push(Array.from(M.data.subarray(i * M.cols, (i + 1) * M.cols)));
  return out;
}

/** Element (i, j). */
export const at = (M, i, j) => M.data[i * M.cols + j];

/** A B: (n, k) x (k, m) -> (n, m). */
export function matmul(A, B) {
  const [n, k, m, a, b] = [A.rows, A.cols, B.cols, A.data, B.data], C = matrix(n, m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * m + j];
      C.data[i * m + j] = s;
    }
  return C;
}

/** A^T B: (k, n)^T x (k, m) -> (n, m), without building A^T. */
export function matmulTA(A, B) {
  const [k, n, m, a, b] = [A.rows, A.cols, B.cols, A.data, B.data], C = matrix(n, m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[p * n + i] * b[p * m + j];
      C.data[i * m + j] = s;
    }
  return C;
}

/** A B^T: (n, k) x (m, k)^T -> (n, m), without building B^T. */
export function matmulTB(A, B) {
  const [n, k, m, a, b] = [A.rows, A.cols, B.rows, A.data, B.data], C = matrix(n, m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
      C.data[i * m + j] = s;
    }
  return C;
}

/** The rows `index[0], index[1], ...` of M, in that order (numpy's M[index]). */
export function takeRows(M, index) {
  const out = matrix(index.length, M.cols);
  index.forEach((r, i) => out.data.set(M.data.subarray(r * M.cols, (r + 1) * M.cols), i * M.cols));
  return out;
}

/** Rows start .. end - 1 of M, sharing its memory (numpy's M[start:end]). */
export function sliceRows(M, start, end) {
  end = Math.min(end, M.rows);
  return matrix(end - start, M.cols, M.data.subarray(start * M.cols, end * M.cols));
}

const copyMatrix = (M) => matrix(M.rows, M.cols, M.data.slice());

// --- 2. activations (nnlib.activations) ---------------------------------------------------
// `derivative(z, a)` is sigma'(z); like nnlib, tanh and sigmoid compute it from the output
// a = sigma(z) that forward kept (nnlib's prime_from_a), relu and linear from z.

export const ACTIVATIONS = {
  // max(0, z); relu'(0) = 0, as in nnlib.relu_prime (1 only where z > 0)
  relu: { f: (z) => Math.max(z, 0), derivative: (z, a) => (z > 0 ? 1 : 0) },
  // tanh'(z) = 1 - a^2
  tanh: { f: Math.tanh, derivative: (z, a) => 1 - a * a },
  // nnlib computes sigma(z) as 1 / (1 + e^-z), and as e^z below z = -707 where e^-z overflows; sigma' = a (1 - a)
  sigmoid: { f: (z) => (z < -707 ? Math.exp(z) : 1 / (1 + Math.exp(-z))), derivative: (z, a) => a * (1 - a) },
  // the playground's "linear" is nnlib's "identity"
  linear: { f: (z) => z, derivative: (z, a) => 1 },
};
ACTIVATIONS.identity = ACTIVATIONS.linear;

function activation(name) {
  const act = ACTIVATIONS[name];
  if (!act) throw new Error(`unknown activation ${name}; valid: relu, tanh, sigmoid, linear`);
  return act;
}

// --- 3. input features (nnlib.playground_fields) -------------------------------------------

export const FEATURES = {
  "x1": (x1, x2) => x1,
  "x2": (x1, x2) => x2,
  "x1^2": (x1, x2) => x1 * x1,
  "x2^2": (x1, x2) => x2 * x2,
  "x1*x2": (x1, x2) => x1 * x2,
  "sin(x1)": (x1, x2) => Math.sin(x1),
  "sin(x2)": (x1, x2) => Math.sin(x2),
  "cos(x1)": (x1, x2) => Math.cos(x1),
  "cos(x2)": (x1, x2) => Math.cos(x2),
};

/** The network's input: points (n, 2) (a matrix or [[x1, x2], ...]) -> (n, names.length). */
export function featureMatrix(points, names) {
  const P = Array.isArray(points) ? fromRows(points) : points;
  const bad = names.filter((f) => !(f in FEATURES));
  if (bad.length) throw new Error(`featureMatrix: unknown feature(s) ${bad}; valid: ${Object.keys(FEATURES)}`);
  const F = matrix(P.rows, names.length);
  for (let i = 0; i < P.rows; i++)
    names.forEach((f, j) => { F.data[i * F.cols + j] = FEATURES[f](P.data[2 * i], P.data[2 * i + 1]); });
  return F;
}

// --- 4. network, loss and SGD (nnlib.layers, nnlib.network, nnlib.losses, nnlib.optimizers) ---

/** One dense layer: W (n_in, n_out), b (n_out); forward keeps X, Z, A; backward fills dW, db. */
function denseLayer(nIn, nOut, act) {
  return { nIn, nOut, activation: act, W: matrix(nIn, nOut), b: new Float64Array(nOut),
           X: null, Z: null, A: null, dW: null, db: null };
}

export class Network {
  /** sizes like [2, 4, 2, 1]: inputs, hidden layers, outputs. Weights start at 0. */
  constructor(sizes, hidden = "tanh", output = "tanh") {
    this.sizes = sizes.slice();
    this.layers = [];
    for (let l = 0; l + 1 < sizes.length; l++)
      this.layers.push(denseLayer(sizes[l], sizes[l + 1], activation(l + 2 < sizes.length ? hidden : output)));
  }

  /** Output activations a^L (n, n_out) of a batch X (n, n_in); each layer keeps X, Z, A. */
  forward(X) {
    let A = X;
    for (const L of this.layers) {
      const Z = matmul(A, L.W), out = matrix(Z.rows, Z.cols), f = L.activation.f;
      for (let i = 0; i < Z.rows; i++)
        for (let j = 0; j < Z.cols; j++) {
          const k = i * Z.cols + j;
          Z.data[k] += L.b[j];                                    // Z = X W + b    (n, n_out)
          out.data[k] = f(Z.data[k]);                             // A = sigma(Z)   (n, n_out)
        }
      L.X = A; L.Z = Z; L.A = out;
      A = out;
    }
    return A;
  }

  /** Backpropagation of the quadratic cost from the last forward; fills every dW and db. */
  backward(Y) {
    const out = this.layers[this.layers.length - 1];
    // BP1: delta^L = (a - y) (.) sigma'(z^L), since dC_x/da = a - y for C_x = 1/2 (a - y)^2
    let delta = matrix(out.A.rows, out.A.cols);
    for (let i = 0; i < delta.data.length; i++)
      delta.data[i] = (out.A.data[i] - Y.data[i]) * out.activation.derivative(out.Z.data[i], out.A.data[i]);
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const L = this.layers[l], n = delta.rows;
      const deltaAvg = matrix(n, delta.cols);                     // delta / n, as nnlib divides once
      for (let i = 0; i < delta.data.length; i++) deltaAvg.data[i] = delta.data[i] / n;
      L.db = new Float64Array(L.nOut);                            // BP3: dC/db = mean over the batch of delta
      for (let i = 0; i < n; i++) for (let j = 0; j < L.nOut; j++) L.db[j] += deltaAvg.data[i * L.nOut + j];
      L.dW = matmulTA(L.X, deltaAvg);                             // BP4: dC/dW = X^T delta / n   (n_in, n_out)
      if (l > 0) {
        const below = this.layers[l - 1];
        const gradA = matmulTB(delta, L.W);                       // dC_x/da^{l-1} = delta W^T    (n, n_in)
        delta = matrix(gradA.rows, gradA.cols);                   // BP2: delta^{l-1} = (delta W^T) (.) sigma'(z^{l-1})
        for (let i = 0; i < delta.data.length; i++)
          delta.data[i] = gradA.data[i] * below.activation.derivative(below.Z.data[i], below.A.data[i]);
      }
    }
  }

  /** Quadratic cost C = (1/n) sum_x 1/2 (a - y)^2 (nnlib.losses.quadratic). */
  loss(A, Y) {
    let s = 0;
    for (let i = 0; i < A.data.length; i++) s += (A.data[i] - Y.data[i]) ** 2;
    return (0.5 * s) / A.rows;
  }

  /** Copies of every parameter: {weights: [W0, W1, ...], biases: [b0, b1, ...]}. */
  getParams() {
    return { weights: this.layers.map((L) => copyMatrix(L.W)), biases: this.layers.map((L) => L.b.slice()) };
  }

  /** Load parameters as getParams returns them, or as nested arrays (W[i][j], b[j]) from JSON. */
  setParams({ weights, biases }) {
    if (weights.length !== this.layers.length || biases.length !== this.layers.length)
      throw new Error(`the network has ${this.layers.length} layers, got ${weights.length} weight matrices`);
    this.layers.forEach((L, l) => {
      const W = Array.isArray(weights[l]) ? fromRows(weights[l]) : weights[l];
      if (W.rows !== L.nIn || W.cols !== L.nOut || biases[l].length !== L.nOut)
        throw new Error(`layer ${l} expects W of shape (${L.nIn}, ${L.nOut}) and ${L.nOut} biases`);
      L.W.data.set(W.data);
      L.b.set(biases[l]);
    });
  }
}

/** SGD with L1 / L2 regularisation of the weights (never the biases), as nnlib.optimizers.SGD. */
export class SGD {
  constructor({ lr = 0.1, l1 = 0, l2 = 0 } = {}) { Object.assign(this, { lr, l1, l2 }); }

  /** Would step(layers) keep every weight and bias finite? nnlib's fit asks this before every
   *  step, with the same arithmetic: w - lr (dW + l2 w + l1 sign(w)) and b - lr db. */
  keepsFinite(layers) {
    for (const L of layers) {
      const W = L.W.data, dW = L.dW.data;
      for (let i = 0; i < W.length; i++) {
        let g = dW[i];
        if (this.l2) g += this.l2 * W[i];
        if (this.l1) g += this.l1 * Math.sign(W[i]);
        if (!Number.isFinite(W[i] - this.lr * g)) return false;
      }
      for (let j = 0; j < L.b.length; j++) if (!Number.isFinite(L.b[j] - this.lr * L.db[j])) return false;
    }
    return true;
  }

  /** W <- W - lr (dW + l2 W + l1 sign(W)),  b <- b - lr db, in place. */
  step(layers) {
    for (const L of layers) {
      const W = L.W.data, dW = L.dW.data;
      if (this.l2) for (let i = 0; i < W.length; i++) dW[i] += this.l2 * W[i];            // d/dW of l2/2 sum W^2
      if (this.l1) for (let i = 0; i < W.length; i++) dW[i] += this.l1 * Math.sign(W[i]); // d/dW of l1 sum |W|
      for (let i = 0; i < W.length; i++) W[i] -= this.lr * dW[i];
      for (let j = 0; j < L.b.length; j++) L.b[j] -= this.lr * L.db[j];
    }
  }
}

// --- 5. random numbers: numpy's SeedSequence, PCG64 and Generator ---------------------------
// The same seed gives the same numbers as numpy, so a page can rebuild the data and initial
// weights Python made. Seeds, raw bits, uniform draws and permutations are equal bit for bit;
// normal draws (only the gaussian data set uses them) consume the same bits and agree to
// about 1e-15 (see the ziggurat's tables). BigInt does the 64- and 128-bit arithmetic.

const MASK32 = 0xffffffff, MASK64 = (1n << 64n) - 1n, MASK128 = (1n << 128n) - 1n;
const u32 = (x) => x >>> 0;
const mul32 = (a, b) => Math.imul(a, b) >>> 0;                     // (a b) mod 2^32

/** A number (or BigInt) -> its 32-bit words, least significant first; 0 -> [0]. */
function words32(n) {
  let big = BigInt(n);
  const out = [];
  do { out.push(Number(big & 0xffffffffn)); big >>= 32n; } while (big > 0n);
  return out;
}

/** numpy.random.SeedSequence: hashes a seed (and a spawn key) into a pool of 4 words. */
export class SeedSequence {
  constructor(entropy, spawnKey = []) {
    this.entropy = entropy;
    this.spawnKey = spawnKey;
    this.nChildrenSpawned = 0;
    let run = words32(entropy);
    const spawn = spawnKey.flatMap(words32);
    if (spawn.length && run.length < 4) run = run.concat(Array(4 - run.length).fill(0));
    this.pool = mixEntropy(run.concat(spawn));
  }

  /** n independent children: the same entropy, spawn keys [...spawnKey, i]. */
  spawn(n) {
    const start = this.nChildrenSpawned;
    this.nChildrenSpawned += n;
    return Array.from({ length: n }, (_, i) => new SeedSequence(this.entropy, [...this.spawnKey, start + i]));
  }

  /** nWords 32-bit words of state, drawn from the pool (numpy's generate_state(n, uint32)). */
  generateState(nWords) {
    let hash = 0x8b51f9dd;                                      // INIT_B
    const out = new Uint32Array(nWords);
    for (let i = 0; i < nWords; i++) {
      let v = u32(this.pool[i % 4] ^ hash);
      hash = mul32(hash, 0x58f38ded);                            // MULT_B
      v = mul32(v, hash);
      out[i] = u32(v ^ (v >>> 16));
    }
    return out;
  }
}

function mixEntropy(entropy) {
  let hash = 0x43b0d7e5;                                         // INIT_A
  const hashmix = (value) => {
    value = u32(value ^ hash);
    hash = mul32(hash, 0x931e8875);                              // MULT_A
    value = mul32(value, hash);
    return u32(value ^ (value >>> 16));
  };
  const mix = (x, y) => {
    const r = u32(mul32(0xca01f9dd, x) - mul32(0x4973f715, y));
    return u32(r ^ (r >>> 16));
  };
  const pool = [0, 1, 2, 3].map((i) => hashmix(i < entropy.length ? entropy[i] : 0));
  for (let src = 0; src < 4; src++)
    for (let dst = 0; dst < 4; dst++) if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
  for (let src = 4; src < entropy.length; src++)
    for (let dst = 0; dst < 4; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src]));
  return pool;
}

const PCG_MULTIPLIER = 0x2360ed051fc65da44385df649fccf645n;

/** numpy's PCG64 bit generator (PCG XSL-RR 128/64): 128-bit state and increment. */
export class PCG64 {
  constructor(seedSequence) {
    const w = Array.from(seedSequence.generateState(8), BigInt);   // = generate_state(4, uint64)
    const u64 = (k) => w[2 * k] | (w[2 * k + 1] << 32n);
    const initState = (u64(0) << 64n) | u64(1), initSeq = (u64(2) << 64n) | u64(3);
    this.inc = ((initSeq << 1n) | 1n) & MASK128;
    this.state = 0n;
    this.advance();
    this.state = (this.state + initState) & MASK128;
    this.advance();
    this.hasUint32 = false;                                       // numpy hands out 64 bits as two 32-bit halves
    this.uinteger = 0;
  }

  advance() { this.state = (this.state * PCG_MULTIPLIER + this.inc) & MASK128; }

  /** The next 64 random bits, a BigInt. */
  nextUint64() {
    this.advance();
    const s = this.state, rot = s >> 122n;
    const x = ((s >> 64n) ^ s) & MASK64;                         // xor the halves, then rotate right
    return ((x >> rot) | (x << ((64n - rot) & 63n))) & MASK64;
  }

  /** The next 32 bits: the low half of a 64-bit draw, then its high half. */
  nextUint32() {
    if (this.hasUint32) { this.hasUint32 = false; return this.uinteger; }
    const x = this.nextUint64();
    this.hasUint32 = true;
    this.uinteger = Number(x >> 32n);
    return Number(x & 0xffffffffn);
  }

  /** A double in [0, 1): the top 53 bits times 2^-53. */
  nextDouble() { return Number(this.nextUint64() >> 11n) * 2 ** -53; }

  /** numpy's bit_generator.state, with the 128-bit numbers as decimal strings (for JSON). */
  getState() {
    return { state: this.state.toString(), inc: this.inc.toString(), has_uint32: this.hasUint32 ? 1 : 0,
             uinteger: this.uinteger };
  }

  setState({ state, inc, has_uint32, uinteger }) {
    Object.assign(this, { state: BigInt(state), inc: BigInt(inc), hasUint32: !!has_uint32, uinteger });
  }
}

/** numpy's Generator on a PCG64: uniform, permutation, standardNormal. */
export class Generator {
  constructor(bitGenerator) { this.bitGenerator = bitGenerator; }

  /** `size` draws uniform in [low, high): low + (high - low) u. */
  uniform(low, high, size) {
    const out = new Float64Array(size), range = high - low;
    for (let i = 0; i < size; i++) out[i] = low + range * this.bitGenerator.nextDouble();
    return out;
  }

  /** A random integer in [0, max] < 2^32, as numpy's shuffle draws it: mask off the bits
   *  above max's highest bit and try again while the result is above max. */
  interval(max) {
    if (max === 0) return 0;
    let mask = max;
    for (const shift of [1, 2, 4, 8, 16]) mask = (mask | (mask >>> shift)) >>> 0;
    for (;;) {
      const value = (this.bitGenerator.nextUint32() & mask) >>> 0;
      if (value <= max) return value;
    }
  }

  /** 0 .. n-1 shuffled (Fisher-Yates from the end, as numpy's permutation), an Int32Array. */
  permutation(n) {
    if (n > MASK32) throw new Error("permutation: n must be below 2^32");
    const p = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.interval(i);
      [p[i], p[j]] = [p[j], p[i]];
    }
    return p;
  }

  /** `size` draws from N(0, 1): numpy's ziggurat, with 256 strips. */
  standardNormal(size) {
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = this.oneNormal();
    return out;
  }

  oneNormal() {
    const { ki, wi, fi } = ziggurat();
    const bits = this.bitGenerator;
    for (;;) {
      let r = bits.nextUint64();
      const idx = Number(r & 0xffn);                              // a strip, a sign and 52 bits
      r >>= 8n;
      const negative = (r & 1n) === 1n;
      const rabs = Number((r >> 1n) & 0xfffffffffffffn);
      const x = negative ? -(rabs * wi[idx]) : rabs * wi[idx];
      if (rabs < ki[idx]) return x;                               // inside the strip's rectangle: 99% of draws
      if (idx === 0) {                                            // the tail beyond R
        for (;;) {
          const xx = -ZIG_INV_R * Math.log1p(-bits.nextDouble());
          const yy = -Math.log1p(-bits.nextDouble());
          if (yy + yy > xx * xx) return Math.floor(rabs / 256) % 2 ? -(ZIG_R + xx) : ZIG_R + xx;   // bit 8: the sign
        }
      }
      if ((fi[idx - 1] - fi[idx]) * bits.nextDouble() + fi[idx] < Math.exp(-0.5 * x * x)) return x;
    }
  }
}

// The ziggurat's tables, computed once (Marsaglia & Tsang 2000): 256 strips of equal area
// ZIG_AREA under exp(-x^2 / 2), strip i reaching out to x_i; wi scales 52 random bits to x,
// below ki a point is surely under the curve, fi = exp(-x_i^2 / 2). numpy ships these tables
// as constants computed in higher precision; computed here in float64 they differ in the
// last digits, so a normal draw is numpy's to about 1e-15 (relative), from the same bits.
const ZIG_R = 3.6541528853610088, ZIG_INV_R = 0.27366123732975828, ZIG_AREA = 0.004928673233974657;
let zigTables = null;
function ziggurat() {
  if (zigTables) return zigTables;
  const M = 2 ** 52, ki = new Float64Array(256), wi = new Float64Array(256), fi = new Float64Array(256);
  let x1 = ZIG_R;
  wi[255] = x1 / M;
  fi[255] = Math.exp(-0.5 * x1 * x1);
  ki[0] = Math.floor((x1 * fi[255] / ZIG_AREA) * M);              // strip 0 is the base plus the tail
  wi[0] = ZIG_AREA / fi[255] / M;
  fi[0] = 1;
  for (let i = 254; i > 0; i--) {
    const x = Math.sqrt(-2 * Math.log(ZIG_AREA / x1 + fi[i + 1]));
    ki[i + 1] = Math.floor((x / x1) * M);
    wi[i] = x / M;
    fi[i] = Math.exp(-0.5 * x * x);
    x1 = x;
  }
  ki[1] = 0;
  return (zigTables = { ki, wi, fi });
}

/** numpy.random.default_rng(seed): a Generator on PCG64; seed a number, a SeedSequence or
 *  null (then a random seed, from Math.random). */
export function defaultRng(seed = null) {
  if (seed == null) seed = Math.floor(Math.random() * 2 ** 32);
  return new Generator(new PCG64(seed instanceof SeedSequence ? seed : new SeedSequence(seed)));
}

// --- 6. data sets (nnlib.data.synthetic) ----------------------------------------------------------
// TensorFlow Playground's six problems, drawn from the same random numbers in the same order
// as nnlib, so a seed gives the same points. Each returns {X: (n, 2) points, y: n labels}.
// Circle, xor and the regression sets add noise the Playground's way: a point keeps its
// position but takes the label of a jittered point x + noise * u.

export const CLASSIFICATION_SETS = ["circle", "xor", "gaussian", "spiral"];
export const REGRESSION_SETS = ["reg-plane", "reg-gauss"];

/** Pairs (x1, x2) -> an (n, 2) matrix. */
function points(n, fill) {
  const X = matrix(n, 2);
  for (let i = 0; i < n; i++) [X.data[2 * i], X.data[2 * i + 1]] = fill(i);
  return X;
}

function circle(n, noise, rng) {
  const radius = 5, nIn = Math.floor(n / 2);                   // class 1 inside r < 2.5, class 0 in 3.5 < r < 5
  const r = [...rng.uniform(0, 0.5 * radius, nIn), ...rng.uniform(0.7 * radius, radius, n - nIn)];
  const angle = rng.uniform(0, 2 * Math.PI, n);
  const X = points(n, (i) => [r[i] * Math.sin(angle[i]), r[i] * Math.cos(angle[i])]);
  const u = rng.uniform(-radius, radius, 2 * n);
  const y = Float64Array.from({ length: n },
    (_, i) => +(Math.hypot(X.data[2 * i] + noise * u[2 * i], X.data[2 * i + 1] + noise * u[2 * i + 1]) < 0.5 * radius));
  return { X, y };
}

function xor(n, noise, rng) {
  const X = matrix(n, 2, rng.uniform(-5, 5, 2 * n));
  X.data.forEach((v, i) => { X.data[i] = v + (v > 0 ? 0.3 : -0.3); });   // a 0.3 gap along both axes
  const u = rng.uniform(-5, 5, 2 * n);
  const y = Float64Array.from({ length: n },                    // 1 in quadrants I and III
    (_, i) => +((X.data[2 * i] + noise * u[2 * i]) * (X.data[2 * i + 1] + noise * u[2 * i + 1]) >= 0));
  return { X, y };
}

function gaussian(n, noise, rng) {
  const std = Math.sqrt(0.5 + 7 * noise);                     // variance 0.5 at noise 0, 4 at noise 0.5
  const y = Float64Array.from({ length: n }, (_, i) => +(i < Math.floor(n / 2)));   // 1 around (2, 2)
  const centre = (k) => (y[k >> 1] ? 2 : -2);                  // of entry k = 2 i + j of X
  const X = matrix(n, 2, rng.standardNormal(2 * n).map((z, k) => centre(k) + std * z));
  for (;;) {                                                   // keep the square: redraw the rare outliers
    const out = [...X.data.keys()].filter((k) => Math.abs(X.data[k]) > 6);
    if (!out.length) return { X, y };
    const z = rng.standardNormal(out.length);
    out.forEach((k, i) => { X.data[k] = centre(k) + std * z[i]; });
  }
}

function spiral(n, noise, rng) {
  const arm = (m, phase) => {                                  // m points along r = 5t, angle 3.5 pi t + phase
    const u = rng.uniform(-1, 1, 2 * m);
    return points(m, (i) => {
      const t = i / m, r = 5 * t, angle = 1.75 * 2 * Math.PI * t + phase;
      return [r * Math.sin(angle) + noise * u[2 * i], r * Math.cos(angle) + noise * u[2 * i + 1]];
    });
  };
  const a = arm(Math.floor(n / 2), 0), b = arm(n - Math.floor(n / 2), Math.PI);
  const X = matrix(n, 2, Float64Array.from([...a.data, ...b.data]));
  return { X, y: Float64Array.from({ length: n }, (_, i) => +(i < Math.floor(n / 2))) };
}

/** Regression sets: X uniform in the square, the target f taken at a jittered point. */
function regression(f) {
  return (n, noise, rng) => {
    const X = matrix(n, 2, rng.uniform(-6, 6, 2 * n));
    const u = rng.uniform(-6, 6, 2 * n);
    const y = Float64Array.from({ length: n },
      (_, i) => f(X.data[2 * i] + noise * u[2 * i], X.data[2 * i + 1] + noise * u[2 * i + 1]));
    return { X, y };
  };
}

const clip = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
// Six cones of radius 2, signs alternating: (centre x, centre y, sign)
const BUMPS = [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]];
function strongestBump(x1, x2) {
  let best = 0, bestAbs = -1;
  for (const [cx, cy, sign] of BUMPS) {
    const dx = x1 - cx, dy = x2 - cy;
    const v = sign * clip(1 - Math.sqrt(dx * dx + dy * dy) / 2, 0, 1);
    if (Math.abs(v) > bestAbs) { best = v; bestAbs = Math.abs(v); }   // the first of equals, as argmax
  }
  return best;
}

const GENERATORS = {
  "circle": circle, "xor": xor, "gaussian": gaussian, "spiral": spiral,
  "reg-plane": regression((x1, x2) => clip((x1 + x2) / 12, -1, 1)),
  "reg-gauss": regression(strongestBump),
};

/** nnlib.data.playground: n points of a data set, shuffled. noise from 0 to 0.5. */
export function playground(name, n = 500, noise = 0, rng = defaultRng()) {
  if (!(name in GENERATORS)) throw new Error(`unknown data set ${name}; valid: ${Object.keys(GENERATORS)}`);
  const { X, y } = GENERATORS[name](n, noise, rng);
  const order = rng.permutation(n);                           // the generators emit one class after the other
  return { X: takeRows(X, order), y: Float64Array.from(order, (i) => y[i]) };
}

/** Round half to even, as Python's round(). */
function roundHalfEven(v) {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** nnlib.data.train_test_split: shuffle, then the first testFraction of rows are the test set. */
export function trainTestSplit(X, y, testFraction = 0.5, rng = defaultRng()) {
  const n = X.rows, nTest = roundHalfEven(n * testFraction);
  if (!(nTest > 0 && nTest < n)) throw new Error(`trainTestSplit: ${n} samples give ${nTest} test samples`);
  const order = rng.permutation(n), test = order.subarray(0, nTest), train = order.subarray(nTest);
  const pick = (idx) => Float64Array.from(idx, (i) => y[i]);
  return { XTrain: takeRows(X, train), yTrain: pick(train), XTest: takeRows(X, test), yTest: pick(test) };
}

// --- 7. the Trainer (the twin of nnlib.widgets.playground.trainer.Trainer) -----------------------------------
// Data, network, optimiser and loss history of one playground, as in TF Playground: class
// labels become targets -1 / +1 for a tanh output neuron, regression has a linear output,
// both learn the quadratic cost. Weights start uniform in [-0.5, 0.5], biases at 0.1.
// One epoch is one pass over the shuffled training set in mini-batches.

/** The settings of a run, named and defaulted as Python's nnlib Settings. */
export const DEFAULT_SETTINGS = Object.freeze({
  dataset: "circle", noise: 0, train_percent: 50, seed: 0, features: ["x1", "x2"], hidden: [4, 2],
  activation: "tanh", learning_rate: 0.03, batch_size: 10, regularization: "none",
  regularization_rate: 0, show_test_data: false, discretize: false, init_zero: false, n_samples: 500,
});
export const EXTENT = [-6, 6];                                 // the square the data and grid cover
const INTEGER_RANGES = { noise: [0, 50], train_percent: [10, 90], seed: [0, 2 ** 32 - 1], batch_size: [1, 1000],
                         n_samples: [20, 5000] };

/** "classification" or "regression", from the data set. */
export const problemOf = (settings) => (REGRESSION_SETS.includes(settings.dataset) ? "regression" : "classification");

/** Defaults filled in, features in FEATURES order (the network's input order), values checked. */
export function normalizeSettings(settings = {}) {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  const unknown = Object.keys(s).filter((k) => !(k in DEFAULT_SETTINGS));
  const problems = unknown.length ? [`unknown setting(s) ${unknown}`] : [];
  for (const [k, [lo, hi]] of Object.entries(INTEGER_RANGES))
    if (!(Number.isInteger(s[k]) && s[k] >= lo && s[k] <= hi)) problems.push(`${k} must be an integer in [${lo}, ${hi}]`);
  if (!(s.dataset in GENERATORS)) problems.push(`dataset must be one of ${Object.keys(GENERATORS)}`);
  if (!["relu", "tanh", "sigmoid", "linear"].includes(s.activation)) problems.push("activation must be relu, tanh, sigmoid or linear");
  if (!["none", "L1", "L2"].includes(s.regularization)) problems.push("regularization must be none, L1 or L2");
  const names = Object.keys(FEATURES);
  if (!s.features.length || s.features.some((f) => !names.includes(f))) problems.push(`features must name some of ${names}`);
  if (s.hidden.length > 6 || s.hidden.some((k) => !Number.isInteger(k) || k < 1 || k > 8))
    problems.push("hidden must have at most 6 layers of 1 to 8 neurons");
  if (!(s.learning_rate > 0 && Number.isFinite(s.learning_rate))) problems.push("learning_rate must be a positive number");
  if (!(s.regularization_rate >= 0 && Number.isFinite(s.regularization_rate))) problems.push("regularization_rate must be >= 0");
  if (problems.length) throw new Error(`bad settings: ${problems.join("; ")}`);
  return { ...s, features: names.filter((f) => s.features.includes(f)), hidden: [...s.hidden] };
}

/** Python's "%g" (6 significant digits), for messages that read the same in both engines. */
function formatG(x) {
  const strip = (t) => (t.includes(".") ? t.replace(/\.?0+$/, "") : t);
  const [mantissa, e] = x.toExponential(5).split("e");
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${strip(mantissa)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return strip(x.toFixed(5 - exp));
}

export class Trainer {
  /** A fresh run of `settings` (see DEFAULT_SETTINGS); `resolution` grid points per axis. */
  constructor(settings = {}, { resolution = 50, state = null } = {}) {
    this.resolution = resolution;
    const step = (EXTENT[1] - EXTENT[0]) / (resolution - 1);   // numpy.linspace(-6, 6, resolution)
    const axis = Array.from({ length: resolution }, (_, i) => (i === resolution - 1 ? EXTENT[1] : i * step + EXTENT[0]));
    this.axis = axis;                                           // grid point i * r + j is (axis[j], axis[i])
    this.grid = points(resolution * resolution, (k) => [axis[k % resolution], axis[Math.floor(k / resolution)]]);
    if (state) { this.loadState(state); return; }
    this.settings = normalizeSettings(settings);
    this.makeData();
    this.reset();
  }

  /** A Trainer that shows exactly a saved state (see exportState), e.g. one Python computed. */
  static fromState(state, options = {}) { return new Trainer(state.settings, { ...options, state }); }

  // --- building ---
  seeds() { return new SeedSequence(this.settings.seed).spawn(3); }   // data, weights, shuffling

  makeData() {
    const s = this.settings, rng = defaultRng(this.seeds()[0]);
    const { X, y } = playground(s.dataset, s.n_samples, s.noise / 100, rng);
    if (problemOf(s) === "classification") y.forEach((v, i) => { y[i] = 2 * v - 1; });   // 0/1 -> -1/+1
    this.setData(trainTestSplit(X, y, 1 - s.train_percent / 100, rng));
  }

  setData({ XTrain, yTrain, XTest, yTest }) {
    Object.assign(this, { XTrain, yTrain, XTest, yTest });
    this.YTrain = matrix(yTrain.length, 1, yTrain);             // targets as (n, 1) matrices
    this.YTest = matrix(yTest.length, 1, yTest);
    this.featuresForData();
  }

  featuresForData() {
    const f = this.settings.features;
    this.FTrain = featureMatrix(this.XTrain, f);               // (n_train, n_features)
    this.FTest = featureMatrix(this.XTest, f);
    this.FGrid = featureMatrix(this.grid, f);
  }

  makeNetwork() {
    const s = this.settings, rng = defaultRng(this.seeds()[1]);
    const out = problemOf(s) === "classification" ? "tanh" : "linear";
    const net = new Network([s.features.length, ...s.hidden, 1], s.activation, out);
    for (const L of net.layers) {
      L.W.data.set(rng.uniform(-0.5, 0.5, L.nIn * L.nOut));  // TF Playground's weights, drawn row by row
      L.b.fill(0.1);
      if (s.init_zero) L.W.data.fill(0);
    }
    return net;
  }

  makeOptimizer() {
    const { learning_rate: lr, regularization: reg, regularization_rate: rate } = this.settings;
    return new SGD({ lr, l1: reg === "L1" ? rate : 0, l2: reg === "L2" ? rate : 0 });
  }

  // --- the state machine ---
  /** A fresh network with this seed's initial weights; epoch 0, empty history. */
  reset() {
    this.net = this.makeNetwork();
    this.optimizer = this.makeOptimizer();
    this.shuffleRng = defaultRng(this.seeds()[2]);
    this.epoch = 0;
    this.history = { epoch: [], train_loss: [], test_loss: [] };
    this.message = "";
    this.record();
  }

  /** Switch to new settings, rebuilding only what they change: returns "data", "network",
   *  "optimizer" (training continues) or "view", as the Python Trainer.apply. */
  apply(settings) {
    const old = this.settings;
    this.settings = normalizeSettings({ ...old, ...settings });
    const changed = (...keys) => keys.some((k) => JSON.stringify(old[k]) !== JSON.stringify(this.settings[k]));
    if (changed("dataset", "noise", "train_percent", "seed", "n_samples")) { this.makeData(); this.reset(); return "data"; }
    if (changed("features", "hidden", "activation", "init_zero")) { this.featuresForData(); this.reset(); return "network"; }
    if (changed("learning_rate", "regularization", "regularization_rate", "batch_size")) {
      this.optimizer = this.makeOptimizer();
      return "optimizer";
    }
    return "view";
  }

  /** New data: the next seed. */
  regenerate() { return this.apply({ seed: (this.settings.seed + 1) % 2 ** 32 }); }

  /** Train `epochs` epochs; returns how many ran (fewer if training diverged), as the Python
   *  Trainer (nnlib's fit) does: each step is checked before it is taken, and one that would make
   *  a weight NaN or infinite stops training with the weights of the last completed step. An epoch
   *  that ends with a loss that is not finite gives back the weights of the last recorded epoch. */
  step(epochs = 1) {
    this.message = "";
    const { net, optimizer } = this, n = this.FTrain.rows, bs = this.settings.batch_size;
    for (let done = 0; done < epochs; done++) {
      const before = net.getParams();
      const order = this.shuffleRng.permutation(n);
      const F = takeRows(this.FTrain, order), Y = takeRows(this.YTrain, order);
      for (let start = 0; start < n; start += bs) {           // one mini-batch: forward, BP1-BP4, SGD
        net.forward(sliceRows(F, start, start + bs));
        net.backward(sliceRows(Y, start, start + bs));
        if (!optimizer.keepsFinite(net.layers)) {
          this.message = `training diverged in epoch ${this.epoch + 1} with learning rate ${formatG(optimizer.lr)}: ` +
            "a step would have made a weight NaN or infinite. The weights of the last completed step are kept; " +
            "try a smaller learning rate.";
          return done;
        }
        optimizer.step(net.layers);
      }
      this.epoch += 1;
      if (!this.record()) {
        net.setParams(before);
        this.epoch -= 1;
        this.message = `training diverged in epoch ${this.epoch + 1} with learning rate ${formatG(optimizer.lr)}: ` +
          `the loss became NaN or infinite. The weights of epoch ${this.epoch} are kept; try a smaller learning rate.`;
        return done;
      }
    }
    return epochs;
  }

  /** Append this epoch's losses to the history; false (nothing appended) if not finite. */
  record() {
    const net = this.net;
    const train = net.loss(net.forward(this.FTrain), this.YTrain);
    const test = net.loss(net.forward(this.FTest), this.YTest);
    if (!(Number.isFinite(train) && Number.isFinite(test))) return false;
    this.history.epoch.push(this.epoch);
    this.history.train_loss.push(train);
    this.history.test_loss.push(test);
    return true;
  }

  // --- what the views show ---
  get trainLoss() { return this.history.train_loss[this.history.train_loss.length - 1]; }
  get testLoss() { return this.history.test_loss[this.history.test_loss.length - 1]; }

  /** The output over the grid and every hidden neuron's activation over it:
   *  {output: Float64Array(r * r), hidden: [layer][neuron] -> Float64Array(r * r)},
   *  entry i * r + j at (x1, x2) = (axis[j], axis[i]) (row i is x2 = axis[i]). */
  gridOutputs() {
    const output = this.net.forward(this.FGrid).data;
    const hidden = this.net.layers.slice(0, -1).map((L) => {
      const maps = Array.from({ length: L.nOut }, () => new Float64Array(L.A.rows));
      for (let k = 0; k < L.A.rows; k++) for (let j = 0; j < L.nOut; j++) maps[j][k] = L.A.data[k * L.nOut + j];
      return maps;                                                // maps[j]: neuron j over the grid
    });
    return { output, hidden };
  }

  /** Each input feature over the grid, scaled to [-1, 1]: one Float64Array(r * r) per feature. */
  featureMaps() {
    const F = this.FGrid;
    return this.settings.features.map((_, j) => {
      const col = Float64Array.from({ length: F.rows }, (_, k) => F.data[k * F.cols + j]);
      const top = Math.max(col.reduce((m, v) => Math.max(m, Math.abs(v)), 0), 1e-12);
      return col.map((v) => v / top);
    });
  }

  /** The network's output for raw points [[x1, x2], ...] (or an (n, 2) matrix). */
  predict(pts) { return this.net.forward(featureMatrix(pts, this.settings.features)).data.slice(); }

  // --- saving and loading ---
  /** Everything needed to show this run again, as plain JSON (the shape loadState reads). */
  exportState() {
    return {
      settings: { ...this.settings, features: [...this.settings.features], hidden: [...this.settings.hidden] },
      data: { x_train: toRows(this.XTrain), y_train: Array.from(this.yTrain),
              x_test: toRows(this.XTest), y_test: Array.from(this.yTest) },
      params: { weights: this.net.layers.map((L) => toRows(L.W)), biases: this.net.layers.map((L) => Array.from(L.b)) },
      epoch: this.epoch,
      history: { epoch: [...this.history.epoch], train_loss: [...this.history.train_loss],
                 test_loss: [...this.history.test_loss] },
      message: this.message,
      shuffle_rng: this.shuffleRng.bitGenerator.getState(),
    };
  }

  /** Show a saved state: its settings, data points, weights, epoch and history. Without
   *  `shuffle_rng`, the shuffles of `epoch` epochs are replayed so training continues as
   *  an unbroken run would. Targets may be flat or (n, 1) nested lists. */
  loadState(state) {
    this.settings = normalizeSettings(state.settings);
    const d = state.data, flat = (y) => Float64Array.from(y.flat());
    this.setData({ XTrain: fromRows(d.x_train), yTrain: flat(d.y_train), XTest: fromRows(d.x_test), yTest: flat(d.y_test) });
    this.net = this.makeNetwork();
    this.net.setParams(state.params);
    this.optimizer = this.makeOptimizer();
    this.shuffleRng = defaultRng(this.seeds()[2]);
    this.epoch = state.epoch ?? 0;
    if (state.shuffle_rng) this.shuffleRng.bitGenerator.setState(state.shuffle_rng);
    else for (let e = 0; e < this.epoch; e++) this.shuffleRng.permutation(this.FTrain.rows);
    const h = state.history;
    this.history = { epoch: [...(h?.epoch ?? [])], train_loss: [...(h?.train_loss ?? [])], test_loss: [...(h?.test_loss ?? [])] };
    this.message = state.message ?? "";
    if (!this.history.epoch.length) this.record();
  }
}

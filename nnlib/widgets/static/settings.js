// settings.js: a playground's settings as text, the twin of nnlib/widgets/playground/settings.py.
//
// Two formats, read and written as Python reads and writes them, so that a string or URL
// copied from a page with a kernel loads the same on the website and the other way round
// (tests/js/settings.test.mjs compares the two on nnlib's own output):
//
//   * the settings string: "dataset=circle;noise=0;...;hidden=4,2" (Settings.to_string);
//   * TensorFlow Playground URLs: "https://playground.tensorflow.org/#activation=tanh&..."
//
// Reading never fails on one bad value: it is skipped with a note that names it, and the
// setting keeps its default (Python warns with a SettingsWarning instead). Whether a value
// makes sense is decided by engine.js's normalizeSettings, the one check of the page.

import { CLASSIFICATION_SETS, DEFAULT_SETTINGS, REGRESSION_SETS, normalizeSettings, problemOf } from "./engine.js";

// Python's field order (dataclasses.fields(Settings)): the order of the settings string.
const SETTING_NAMES = ["dataset", "noise", "train_percent", "seed", "features", "hidden", "activation",
  "learning_rate", "batch_size", "regularization", "regularization_rate", "show_test_data", "discretize",
  "init_zero", "n_samples"];

// --- writing ---------------------------------------------------------------------------------

/** Python's repr of a float: JavaScript's shortest digits, with Python's switch to 1e-05 below 1e-4. */
function pythonFloat(x) {
  if (x === 0 || Math.abs(x) >= 1e-4) return String(x);
  const [mantissa, e] = x.toExponential().split("e");
  const exp = Number(e);
  return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** One value as settings.py's _format writes it: booleans 1/0, lists joined by commas. */
function formatSetting(value) {
  if (typeof value === "boolean") return value ? "1" : "0";
  if (Array.isArray(value)) return value.join(",");
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value).toString() : pythonFloat(value);
  return String(value);
}

/** Settings.to_string: "key=value" pairs joined by ";", in Python's field order. */
export function settingsToString(settings) {
  const s = normalizeSettings(settings);
  return SETTING_NAMES.map((k) => `${k}=${formatSetting(s[k])}`).join(";");
}

// TF Playground's names of the features and the other settings (settings.py: _TF_FEATURES, _TF_NAMES)
const TF_FEATURES = { x: "x1", y: "x2", xSquared: "x1^2", ySquared: "x2^2", xTimesY: "x1*x2",
  sinX: "sin(x1)", sinY: "sin(x2)", cosX: "cos(x1)", cosY: "cos(x2)" };
const TF_NAMES = { activation: "activation", regularization: "regularization", batchSize: "batch_size",
  learningRate: "learning_rate", regularizationRate: "regularization_rate", noise: "noise",
  networkShape: "hidden", seed: "seed", percTrainData: "train_percent", showTestData: "show_test_data",
  discretize: "discretize", initZero: "init_zero" };
const TF_IGNORED = ["problem", "dataset", "regDataset", "collectStats", "hideText", "tutorial"];

/** Settings.to_tf_url: the TensorFlow Playground URL of these settings (n_samples has no TF twin). */
export function settingsToTfUrl(settings) {
  const s = normalizeSettings(settings), reg = problemOf(s) === "regression";
  const params = [
    ["activation", s.activation], ["batchSize", s.batch_size],
    ["dataset", reg ? "circle" : s.dataset === "gaussian" ? "gauss" : s.dataset],
    ["regDataset", reg ? s.dataset : "reg-plane"],
    ["learningRate", formatSetting(s.learning_rate)], ["regularizationRate", formatSetting(s.regularization_rate)],
    ["noise", formatSetting(s.noise)], ["networkShape", s.hidden.join(",")],
    ["seed", `0.${String(s.seed).padStart(5, "0")}`], ["showTestData", s.show_test_data],
    ["discretize", s.discretize], ["percTrainData", s.train_percent],
    ...Object.entries(TF_FEATURES).map(([k, f]) => [k, s.features.includes(f)]),
    ["problem", reg ? "regression" : "classification"], ["initZero", s.init_zero],
    ["regularization", s.regularization],
  ];
  return "https://playground.tensorflow.org/#" + params.map(([k, v]) => `${k}=${v}`).join("&");
}

// --- reading ---------------------------------------------------------------------------------

/** zlib.crc32 of the UTF-8 bytes of `text` (a seed that is not a number becomes its hash, as in Python). */
function crc32(text) {
  let crc = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function parseBool(text) {
  const value = { true: true, 1: true, false: false, 0: false }[String(text).trim().toLowerCase()];
  return value === undefined ? null : value;
}

/** Python's float(text), and an int when the text has neither "." nor "e" (settings.py: _parse_number). */
function parseNumber(text) {
  const t = text.trim();
  if (!t || !Number.isFinite(Number(t))) throw new Error("not a number");
  return Number(t);
}

function parseInteger(text) {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new Error("not an integer");
  return Number(text);
}

const PARSERS = {
  features: (t) => t.split(",").map((f) => f.trim()).filter(Boolean),
  hidden: (t) => t.split(",").filter((n) => n.trim()).map(parseInteger),
  seed: (t, notes) => {
    const m = t.trim().match(/^(?:0?\.(\d+)|(\d+))$/);
    if (m) return Number(BigInt(m[1] || m[2]) % 2n ** 32n);
    const value = crc32(t.trim());
    notes.push(`seed '${t.trim()}' is not a number; using ${value}, a hash of it`);
    return value;
  },
  show_test_data: parseBool, discretize: parseBool, init_zero: parseBool,
  noise: parseNumber, learning_rate: parseNumber, regularization_rate: parseNumber,
  train_percent: parseNumber, batch_size: parseNumber, n_samples: parseNumber,
};

/** What is wrong with one setting alone (the others at their defaults), or "" if nothing. */
function problemWith(key, value) {
  try {
    normalizeSettings({ [key]: value });
    return "";
  } catch (error) {
    return error.message.replace(/^bad settings: /, "");
  }
}

/** Settings from text values; each unknown or bad one is skipped with a note (settings.py: _build). */
function buildSettings(raw, source, notes, shownAs = {}) {
  const settings = {};
  for (const [key, text] of Object.entries(raw)) {
    const shown = shownAs[key] || key;
    if (!SETTING_NAMES.includes(key)) {
      notes.push(`${source}: ignored unknown setting ${key}='${text}'; known: ${SETTING_NAMES.join(", ")}`);
      continue;
    }
    let value;
    try { value = (PARSERS[key] || String)(text, notes); } catch { value = null; }
    const problem = value === null ? "could not be read" : problemWith(key, value);
    if (problem) notes.push(`${source}: ${shown}='${text}' ${problem}; kept the default ${formatSetting(DEFAULT_SETTINGS[key])}`);
    else settings[key] = value;
  }
  return normalizeSettings(settings);
}

/** Settings.from_string: missing keys keep their defaults. Returns {settings, notes}. */
export function settingsFromString(text) {
  const notes = [], raw = {};
  for (const pair of String(text).trim().split(";")) {
    if (!pair.trim()) continue;
    const at = pair.indexOf("=");
    const [k, v] = at < 0 ? [pair, ""] : [pair.slice(0, at), pair.slice(at + 1)];
    raw[k.trim()] = v.trim();
  }
  return { settings: buildSettings(raw, "settings string", notes), notes };
}

/** Settings.from_tf_url: the set-up of a TF Playground URL. Returns {settings, notes}. */
export function settingsFromTfUrl(url) {
  const text = String(url).trim(), notes = [];
  let query = text;
  if (text.includes("#")) query = text.slice(text.indexOf("#") + 1);
  else if (text.includes("?")) query = text.slice(text.indexOf("?") + 1);
  const params = new Map();
  for (const [k, v] of new URLSearchParams(query.replace(/^\?/, ""))) params.set(k, v);
  let problem = params.get("problem") ?? "classification";
  if (!["classification", "regression"].includes(problem)) {
    notes.push(`TF URL: problem='${problem}' is not classification or regression; using classification`);
    problem = "classification";
  }
  const [key, valid] = problem === "regression" ? ["regDataset", REGRESSION_SETS] : ["dataset", CLASSIFICATION_SETS];
  let name = params.get(key) ?? valid[0];
  if (name === "gauss") name = "gaussian";
  if (!valid.includes(name)) {
    notes.push(`TF URL: ${key}='${name}' is not one of ${valid.join(", ")}; using ${valid[0]}`);
    name = valid[0];
  }
  const raw = { dataset: name }, features = [], unknown = [];
  for (const [k, v] of params) {
    if (k in TF_FEATURES) {
      const flag = parseBool(v);
      if (flag === null) notes.push(`TF URL: ${k}='${v}' is not true/false; feature left off`);
      else if (flag) features.push(TF_FEATURES[k]);
    } else if (k in TF_NAMES) raw[TF_NAMES[k]] = v;
    else if (!TF_IGNORED.includes(k) && !k.endsWith("_hide")) unknown.push(`${k}='${v}'`);
  }
  if (unknown.length) notes.push(`TF URL: ignored unknown parameter(s) ${unknown.join(", ")}`);
  raw.features = features.length ? features.join(",") : "x1,x2";
  if (!features.length && Object.keys(TF_FEATURES).some((k) => params.has(k)))
    notes.push("TF URL: no input feature switched on; using x1 and x2");
  const shownAs = Object.fromEntries(Object.entries(TF_NAMES).map(([tf, field]) => [field, tf]));
  return { settings: buildSettings(raw, "TF URL", notes, shownAs), notes };
}

/** load_settings: a TF Playground URL (anything with "#", "://" or networkShape=) or a settings string. */
export function loadSettingsText(text) {
  const t = String(text).trim();
  return t.includes("#") || t.includes("://") || t.includes("networkShape=") ? settingsFromTfUrl(t) : settingsFromString(t);
}

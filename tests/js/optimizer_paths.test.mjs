// The optimiser explorer's front end steps as nnlib's optimisers do (nnlib/widgets/static/optimizer_paths.js
// against nnlib.optimizers, through nnlib.widgets.optimizer_paths.optimizer_path), and its first steps
// match the ones worked by hand in tests/test_optimizers.py.
//
//   python tools/export_engine_fixtures.py build/engine-fixtures && NNLIB_ENGINE_FIXTURES=build/engine-fixtures node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { makeOptimizer, optimizerPath, valleyCost } from "../../nnlib/widgets/static/optimizer_paths.js";

const close = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test("hand-worked first steps: Adam moves lr against the sign, RMSProp lr / sqrt(1 - rho), momentum builds up", () => {
  const adam = makeOptimizer("adam", 0.1);
  const [w, b] = adam([1.0, 0.5], [2.0, -1.0]);
  close(w, 0.9, 1e-9, "Adam w"); close(b, 0.6, 1e-9, "Adam b");
  const rms = makeOptimizer("rmsprop", 0.1);
  const [w1] = rms([1.0, 0.5], [2.0, -1.0]);
  close(w1, 0.683772234, 1e-8, "RMSProp w");          // 1 - 0.1 * 2 / (sqrt(0.4) + 1e-8)
  const heavy = makeOptimizer("momentum", 0.1);
  let p = heavy([1.0, 0.0], [1.0, 0.0]);                // v = -0.1, w = 0.9
  p = heavy(p, [1.0, 0.0]);                             // v = 0.9 * -0.1 - 0.1 = -0.19, w = 0.71
  close(p[0], 0.71, 1e-12, "momentum w");
});

const DIR = process.env.NNLIB_ENGINE_FIXTURES;
const FILE = DIR && path.join(DIR, "optimizer-paths.json");

test("the optimiser-paths fixture exists (set NNLIB_ENGINE_FIXTURES, see the header of this file)", () => {
  assert.ok(FILE && existsSync(FILE), `no ${FILE}; run: python tools/export_engine_fixtures.py build/engine-fixtures`);
});

if (FILE && existsSync(FILE)) {
  const { surfaces, cases } = JSON.parse(readFileSync(FILE, "utf8"));
  for (const c of cases) {
    test(`${c.optimizer} at lr ${c.lr} on the ${c.surface} surface: nnlib's path and costs`, () => {
      const spec = surfaces[c.surface];
      const js = optimizerPath(c.optimizer, c.lr, c.path.length - 1, spec);
      c.path.forEach(([w, b], k) => {
        close(js.w[k], w, 1e-12 * Math.max(1, Math.abs(w)), `w after ${k} steps`);
        close(js.b[k], b, 1e-12 * Math.max(1, Math.abs(b)), `b after ${k} steps`);
        close(valleyCost(spec, js.w[k], js.b[k]), c.costs[k], 1e-12 * Math.max(1, c.costs[k]), `cost after ${k} steps`);
      });
    });
  }
}

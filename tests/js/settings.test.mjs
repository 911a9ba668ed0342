// The page reads and writes settings as nnlib does (nnlib/widgets/static/settings.js against
// nnlib/widgets/playground/settings.py), so a settings string or a TF Playground URL copied
// from a page with a kernel loads the same on the website, and the other way round.
//
//   python tools/export_engine_fixtures.py build/engine-fixtures && NNLIB_ENGINE_FIXTURES=build/engine-fixtures node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { loadSettingsText, settingsFromString, settingsToString, settingsToTfUrl } from "../../nnlib/widgets/static/settings.js";

const DIR = process.env.NNLIB_ENGINE_FIXTURES;
const FILE = DIR && path.join(DIR, "settings.json");

test("the settings fixture exists (set NNLIB_ENGINE_FIXTURES, see the header of this file)", () => {
  assert.ok(FILE && existsSync(FILE), `no ${FILE}; run: python tools/export_engine_fixtures.py build/engine-fixtures`);
});

if (FILE && existsSync(FILE)) {
  for (const c of JSON.parse(readFileSync(FILE, "utf8")).cases) {
    test(`reads and writes as nnlib: ${c.text.slice(0, 70)}`, () => {
      const { settings } = loadSettingsText(c.text);
      assert.deepEqual(settings, c.settings, "the settings read");
      assert.equal(settingsToString(settings), c.string, "the settings string written");
      assert.equal(settingsToTfUrl(settings), c.tf_url, "the TF Playground URL written");
      assert.deepEqual(loadSettingsText(c.string).settings, c.settings, "the string read back");
      assert.deepEqual(loadSettingsText(c.tf_url).settings, { ...c.settings, n_samples: 500 }, "the URL read back");
    });
  }
}

test("every skipped value is named in a note, and the rest still loads", () => {
  const { settings, notes } = settingsFromString("colour=red;hidden=two;learning_rate=-3;dataset=xor");
  assert.equal(settings.dataset, "xor");
  assert.deepEqual(settings.hidden, [4, 2]);
  assert.equal(notes.length, 3);
  assert.match(notes.join(" | "), /ignored unknown setting colour='red'.*hidden='two' could not be read.*learning_rate='-3' learning_rate must be a positive number; kept the default 0.03/);
});

"""nnlib.widgets.esm: the front-end modules are joined into one, each dependency once."""

from __future__ import annotations

import pytest

from nnlib.widgets import esm


@pytest.fixture
def static(tmp_path, monkeypatch):
    monkeypatch.setattr(esm, "STATIC", tmp_path)
    esm.bundle.cache_clear()
    yield tmp_path
    esm.bundle.cache_clear()


def test_relative_imports_are_inlined_once(static):
    (static / "base.js").write_text("export function base() { return 1; }\n")
    (static / "helper.js").write_text('import { base } from "./base.js";\nexport const helper = () => base() + 1;\n')
    (static / "widget.js").write_text(
        'import { base } from "./base.js";\nimport { helper } from "./helper.js";\n'
        "export default { render() { return base() + helper(); } };\n"
    )
    text = esm.bundle("widget.js")
    assert text.count("export function base()") == 1 and "export const helper" in text
    assert 'from "./' not in text
    assert text.index("function base") < text.index("const helper") < text.index("export default")


def test_a_name_defined_in_two_files_is_refused(static):
    (static / "a.js").write_text("export function draw() {}\n")
    (static / "w.js").write_text('import { draw } from "./a.js";\nfunction draw() {}\nexport default {};\n')
    with pytest.raises(esm.BundleError, match="'draw' is defined in both"):
        esm.bundle("w.js")


def test_a_missing_module_or_an_alias_is_refused(static):
    (static / "w.js").write_text('import { x } from "./nowhere.js";\n')
    with pytest.raises(esm.BundleError, match="no front-end module 'nowhere.js'"):
        esm.bundle("w.js")
    (static / "a.js").write_text("export const x = 1;\n")
    (static / "v.js").write_text('import { x as y } from "./a.js";\n')
    with pytest.raises(esm.BundleError, match="cannot be inlined"):
        esm.bundle("v.js")


def test_the_shipped_modules_bundle():
    for path in sorted(esm.STATIC.glob("*.js")):
        assert esm.bundle(path.name)

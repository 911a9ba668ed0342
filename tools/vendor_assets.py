"""Copy the website's browser assets from ``node_modules/`` into ``book/_static/vendor/``.

Jupyter Book 1 pages load MathJax, require.js and the Jupyter widget manager
(and the widget manager loads third-party widget modules such as anywidget)
from public CDNs by default. The course website must work offline and contact no
third-party host, so ``make book`` installs those packages with npm (exact
versions in ``package.json`` / ``package-lock.json``) and this script copies the
files the pages need into ``book/_static/vendor/``, which Sphinx publishes as
``_static/vendor/``. ``_config.yml`` points ``mathjax_path`` and
``nb_ipywidgets_js`` there.

The output folder is generated: it holds a ``.gitignore`` that ignores it, and a
``MANIFEST.json`` listing every copied file with the package versions (checked by
the ``offline_assets`` Sphinx extension in ``book/_ext/``).

Usage::

    npm ci --ignore-scripts
    python tools/vendor_assets.py            # copies only when something changed
    python tools/vendor_assets.py --force    # copies again
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
DEST = ROOT / "book" / "_static" / "vendor"


@dataclass(frozen=True)
class Asset:
    """Files to copy from one npm package.

    ``include`` are paths relative to the package folder (a folder is copied
    whole); ``exclude`` are paths inside those folders to leave out.
    """

    package: str
    dest: str
    include: tuple[str, ...]
    exclude: tuple[str, ...] = ()


# MathJax: one combined component, tex-chtml.js (TeX input with the common extensions,
# CommonHTML output, the menu and hidden MathML for screen readers; 1.16 MB, where
# tex-chtml-full.js with every TeX extension built in is 1.33 MB), plus the folders it
# loads lazily at run time: the other TeX extensions (autoloaded by the first macro
# that needs one), the CHTML fonts, the menu's accessibility components and the
# speech-rule engine. `latest.js` would load MathJax from a CDN, and the other
# combined files are unused, so they stay out.
MATHJAX_FILES = (
    "tex-chtml.js",
    "input",
    "output/chtml",
    "output/chtml.js",
    "a11y",
    "sre",
    "ui",
    "adaptors",
    "core.js",
    "loader.js",
    "startup.js",
)

ASSETS = (
    Asset("mathjax", "mathjax", tuple(f"es5/{f}" for f in MATHJAX_FILES) + ("LICENSE",)),
    Asset("requirejs", "requirejs", ("require.js", "package.json")),  # MIT; the header says so
    # embed-amd.js defines @jupyter-widgets/base, controls, output and the HTML manager as
    # AMD modules; its CSS references the Font Awesome files webpack placed beside it.
    Asset(
        "@jupyter-widgets/html-manager",
        "jupyter-widgets",
        ("dist", "package.json"),
        exclude=("dist/embed.js", "dist/embed.js.map", "dist/embed.js.LICENSE.txt", "dist/libembed-amd.js"),
    ),
    # anywidget's front end (MIT): dist/index.js is one AMD module, define(["@jupyter-widgets/base"], ...),
    # with its dependencies bundled in. The widget manager asks require.js for the module
    # "anywidget"; book/_ext/offline_assets.py maps that name to this file.
    Asset("anywidget", "anywidget", ("dist/index.js", "LICENSE", "package.json")),
)


def _package_dir(name: str) -> Path:
    return NODE_MODULES / name


def _declared_versions() -> dict[str, str]:
    """Exact versions pinned in package.json (every dependency must be pinned)."""
    deps = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for name, spec in deps.items():
        if not spec[:1].isdigit():
            raise SystemExit(f"vendor_assets: package.json must pin exact versions, got {name!r}: {spec!r}")
    return deps


def _installed_version(name: str) -> str:
    manifest = _package_dir(name) / "package.json"
    if not manifest.is_file():
        raise SystemExit(
            f"vendor_assets: {name} is not installed in {NODE_MODULES}; run `npm ci --ignore-scripts` first"
        )
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def _files_of(asset: Asset) -> list[tuple[Path, str]]:
    """(source file, destination path relative to DEST) for every file of ``asset``."""
    base = _package_dir(asset.package)
    out = []
    for inc in asset.include:
        src = base / inc
        if not src.exists():
            raise SystemExit(f"vendor_assets: {asset.package} has no {inc!r} (looked for {src})")
        # keep the layout below the first path component for MathJax (es5/...) and dist/
        strip = inc.split("/")[0] if inc.split("/")[0] in ("es5", "dist") else ""
        for f in sorted([src] if src.is_file() else (p for p in src.rglob("*") if p.is_file())):
            rel = f.relative_to(base).as_posix()
            if any(rel == ex or rel.startswith(ex + "/") for ex in asset.exclude):
                continue
            if strip:
                rel = rel[len(strip) + 1 :]
            out.append((f, f"{asset.dest}/{rel}"))
    return out


def _fingerprint(versions: dict[str, str]) -> str:
    text = json.dumps(
        {
            "versions": versions,
            "assets": [a.__dict__ for a in ASSETS],
            "script": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        },
        sort_keys=True,
        default=list,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def vendor(force: bool = False) -> int:
    """Copy the assets into DEST; return the number of files copied (0 when up to date)."""
    declared = _declared_versions()
    versions = {}
    for asset in ASSETS:
        got = _installed_version(asset.package)
        want = declared.get(asset.package)
        if got != want:
            raise SystemExit(
                f"vendor_assets: package.json pins {asset.package} {want}, but "
                f"node_modules has {got}; run `npm ci --ignore-scripts`"
            )
        versions[asset.package] = got
    fingerprint = _fingerprint(versions)
    manifest_path = DEST / "MANIFEST.json"
    if not force and manifest_path.is_file():
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
        if old.get("fingerprint") == fingerprint and all((DEST / f).is_file() for f in old["files"]):
            return 0
    if DEST.exists():
        shutil.rmtree(DEST)
    DEST.mkdir(parents=True)
    files = []
    for asset in ASSETS:
        for src, rel in _files_of(asset):
            target = DEST / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
            files.append(rel)
    (DEST / ".gitignore").write_text("# generated by tools/vendor_assets.py\n*\n", encoding="utf-8")
    manifest = {
        "generated_by": "tools/vendor_assets.py",
        "fingerprint": fingerprint,
        "versions": versions,
        "files": files,
    }
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="copy even if up to date")
    args = parser.parse_args(argv)
    n = vendor(force=args.force)
    where = DEST.relative_to(ROOT)
    print(f"vendor_assets: copied {n} files into {where}/" if n else f"vendor_assets: {where}/ is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())

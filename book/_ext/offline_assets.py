"""Sphinx extension: keep the course website self-contained, tidy and accessible.

The website must work offline and contact no host but its own. ``_config.yml``
points MathJax and the Jupyter widget manager at copies in ``_static/vendor/``
(made by ``tools/vendor_assets.py``). This extension covers the rest:

* It stops a build whose vendored files are missing, with a message saying what
  to run, instead of producing pages whose equations silently fail to render.
* Notebook outputs are HTML written by other libraries. Matplotlib's HTML
  animations link a Font Awesome 4 stylesheet from a CDN; that link is removed
  (the theme's own Font Awesome draws the buttons' icons). Any other output that
  loads a script, stylesheet, image or frame from another host is reported as a
  warning, which fails the build (``-W``).
* A matplotlib animation's frame is an ``<img>`` without alternative text. It gets
  the text given in its cell's metadata, ``"mystnb": {"image": {"alt": "..."}}``,
  the same field myst-nb uses for static figures; without it the build warns.
  Plots inside a widget's saved output get that text too (through
  ``_static/course.js``, since the widget manager draws them in the browser).
* Jupyter Book 1 registers some scripts twice (sphinx-thebe's configuration),
  which raises a JavaScript error on every page; duplicates are dropped.
* On pages with widgets, require.js is told where the widget manager's modules
  live, so that they find their Font Awesome files in the vendor folder too, and
  where the third-party widget modules are (anywidget's front end, which runs the
  ES module each of nnlib's widgets keeps in its saved state): in the vendor folder,
  never on a CDN.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.util import logging

logger = logging.getLogger(__name__)

MANIFEST = "vendor/MANIFEST.json"

# <link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/font-awesome/4.4.0/css/font-awesome.min.css">
_FONT_AWESOME_CDN = re.compile(
    r"""<link\b[^>]*href=["']https?://[^"']*font-?awesome[^"']*["'][^>]*>\s*""", re.IGNORECASE
)
_REMOTE_RESOURCE = re.compile(
    r"""<(script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)=["']((?:https?:)?//[^"']+)["']""",
    re.IGNORECASE,
)
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_ANIMATION_FRAME = re.compile(r"""<img\b(?![^>]*\balt=)([^>]*\bid=["']_anim_img[^"']*["'][^>]*)>""", re.IGNORECASE)


# --- the vendored files --------------------------------------------------------------


def check_vendored_assets(app: Sphinx) -> None:
    """Stop the build if a vendored file the configuration refers to is missing."""
    if app.builder.format != "html":
        return
    static_dirs = [Path(app.confdir, p) for p in app.config.html_static_path]
    manifest = next((d / MANIFEST for d in static_dirs if (d / MANIFEST).is_file()), None)
    if manifest is None:
        raise ConfigError(
            f"offline_assets: no {MANIFEST} in html_static_path {app.config.html_static_path}: "
            "the vendored MathJax / require.js / widget manager are missing. Run `make book`, "
            "or `npm ci --ignore-scripts && python tools/vendor_assets.py` before jupyter-book."
        )
    static = manifest.parent.parent
    wanted = [app.config.mathjax_path, *app.config.nb_ipywidgets_js]
    wanted += [f"{path}.js" for path in WIDGET_MODULE_FILES.values()]
    remote = [w for w in wanted if "://" in w or w.startswith("//")]
    if remote:
        raise ConfigError(f"offline_assets: the site must not load scripts from other hosts, got {remote}")
    missing = [w for w in wanted if not (static / w).is_file()]
    listed = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    missing += [f for f in listed if not (manifest.parent / f).is_file()]
    if missing:
        raise ConfigError(
            f"offline_assets: {len(missing)} vendored file(s) missing under {static}, e.g. "
            f"{missing[:3]}. Run `python tools/vendor_assets.py` (after `npm ci --ignore-scripts`)."
        )


# --- notebook outputs ------------------------------------------------------------------


def _cell_alt(node: nodes.Node) -> str | None:
    """The ``mystnb.image.alt`` text of the notebook cell that contains ``node``."""
    while node is not None:
        meta = node.get("cell_metadata") if isinstance(node, nodes.Element) else None
        if meta is not None:
            alt = ((meta.get("mystnb") or {}).get("image") or {}).get("alt")
            return alt.strip() if isinstance(alt, str) and alt.strip() else None
        node = node.parent
    return None


def clean_html_outputs(app: Sphinx, doctree: nodes.document) -> None:
    """Make raw HTML outputs of notebooks offline-safe and give animation frames alt text."""
    for raw in list(doctree.findall(nodes.raw)):
        if "html" not in raw.get("format", "").split():
            continue
        text = raw.astext()
        new = _FONT_AWESOME_CDN.sub("", text)
        if _ANIMATION_FRAME.search(new):
            alt = _cell_alt(raw)
            if alt is None:
                logger.warning(
                    'an animation has no alternative text: add "mystnb": {"image": {"alt": "..."}} '
                    "to the metadata of the cell that displays it",
                    location=raw,
                )
                alt = "Animation; use the buttons below it to play, pause and step through the frames."
            new = _ANIMATION_FRAME.sub(lambda m: f'<img alt="{html.escape(alt)}"{m.group(1)}>', new)  # noqa: B023
        if _WIDGET_VIEW in new and (alt := _cell_alt(raw)):
            # the widget manager draws the saved outputs (plots) later, in the browser;
            # _static/course.js gives their images this text
            new = f'<div class="nnlib-widget" data-alt="{html.escape(alt)}">{new}</div>'
        for tag, url in _REMOTE_RESOURCE.findall(new):
            logger.warning(
                f"a notebook output loads <{tag}> {url} from another host; the website "
                "must work offline (vendor the file or leave it out)",
                location=raw,
            )
        if new != text:
            raw.replace_self(nodes.raw(new, new, format=raw["format"]))


# --- page assets ------------------------------------------------------------------------

# requirejs module ids that the widget manager bundle (embed-amd.js) defines. Each one
# finds its font files next to the URL requirejs resolves for it, which by default is a
# made-up path below the page (e.g. book/x/@jupyter-widgets/base.js): map them all to
# the vendored bundle so that its Font Awesome files are fetched from the vendor folder.
_WIDGET_MODULES = (
    "@jupyter-widgets/base",
    "@jupyter-widgets/controls",
    "@jupyter-widgets/base7",
    "@jupyter-widgets/controls7",
    "@jupyter-widgets/html-manager",
    "@jupyter-widgets/html-manager/dist/libembed-amd",
)
# Third-party widget modules, vendored by tools/vendor_assets.py: requirejs module id -> file
# below _static/ (without ".js"). The widget manager asks requirejs for a widget's module by
# name (anywidget's widgets name "anywidget"); without a path requirejs would try a file
# beside the page, and then the manager would fall back to a CDN.
WIDGET_MODULE_FILES = {"anywidget": "vendor/anywidget/index"}


def adjust_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Drop scripts registered twice; point requirejs at the vendored widget manager."""
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if not isinstance(assets, list):
            continue
        seen, unique = set(), []
        for asset in assets:
            attrs = getattr(asset, "attributes", {}) or {}
            ident = (
                getattr(asset, "filename", str(asset)) or None,  # None and "" both mean inline
                tuple(sorted((k, str(v)) for k, v in attrs.items())),
            )
            if ident not in seen:
                seen.add(ident)
                unique.append(asset)
        assets[:] = unique

    embed = next((p for p in app.config.nb_ipywidgets_js if p.endswith("embed-amd.js")), None)
    scripts = [getattr(a, "filename", None) or "" for a in context.get("script_files", [])]
    if embed and any(s.endswith(embed) for s in scripts):
        # relative to the page, like every other asset, so the site works from any folder
        bundle = context["pathto"]("_static/" + embed[: -len(".js")], 1)
        config = {"paths": {module: bundle for module in _WIDGET_MODULES}}
        config["paths"].update(
            {module: context["pathto"]("_static/" + path, 1) for module, path in WIDGET_MODULE_FILES.items()}
        )
        # read by require.js when it loads (it must come before it: priority < 500)
        app.add_js_file(None, body=f"var require = {json.dumps(config)};", priority=499)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", check_vendored_assets)
    app.connect("doctree-read", clean_html_outputs)
    app.connect("html-page-context", adjust_page_assets, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

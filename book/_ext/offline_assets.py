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
* Pages whose widgets are all anywidgets (every widget of the course) load
  ``_static/anywidget-lite.js``, a few kilobytes that run each widget's saved ES
  module with a kernel-less model, instead of the widget manager (require.js,
  embed-amd.js and anywidget's AMD front end: 3.8 MB a page). Any other widget
  gets the full manager: then require.js is told where the widget manager's
  modules live, so that they find their Font Awesome files in the vendor folder
  too, and where the third-party widget modules are (anywidget's front end): in
  the vendor folder, never on a CDN.
* The theme's Font Awesome JavaScript (1.5 MB, which turns every icon into an
  SVG) is taken off the pages: the theme's stylesheet already draws the same icons
  with the Font Awesome web font. So is the search index outside the search page,
  and images load lazily (``loading="lazy"``).
* sphinx-exercise gives the body of every exercise and solution the same id
  (``exercise-content``, ``solution-content``); each gets a unique one, made from
  its exercise's label.
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


# "/tmp/ipykernel_5129/2726378689.py:2: RuntimeWarning: ..." -> "RuntimeWarning: ...": the
# build machine's path of a cell (or of a module) means nothing to a reader
_WARNING_PATH = re.compile(r"^(?:/|[A-Za-z]:\\)[^\n:]*\.py:\d+: (?=\w*Warning\b)", re.MULTILINE)


def clean_warning_paths(doctree: nodes.document) -> None:
    """Drop the file path and line in front of the warnings that cells print on purpose."""
    for block in list(doctree.findall(nodes.literal_block)):
        text = block.astext()
        new = _WARNING_PATH.sub("", text)
        if new != text:
            block.rawsource = new
            block.children = [nodes.Text(new)]


def clean_html_outputs(app: Sphinx, doctree: nodes.document) -> None:
    """Make raw HTML outputs of notebooks offline-safe and give animation frames alt text."""
    clean_warning_paths(doctree)
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


_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# what anywidget-lite.js can draw: anywidget models and the layout models they point to
_LITE_MODELS = {("anywidget", "AnyModel"), ("@jupyter-widgets/base", "LayoutModel")}
LITE_RUNTIME = "anywidget-lite.js"


def _only_anywidgets(assets: list) -> bool:
    """True when the page's saved widget state holds only what anywidget-lite.js draws."""
    for asset in assets:
        attrs = getattr(asset, "attributes", {}) or {}
        if attrs.get("type") == _WIDGET_STATE:
            state = json.loads(attrs.get("body") or "{}").get("state", {})
            return bool(state) and all(
                (m.get("model_module"), m.get("model_name")) in _LITE_MODELS for m in state.values()
            )
    return False


_DOC_LINK = re.compile(r'href="doc:([^"#]+)(#[^"]*)?"')


def adjust_page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Drop scripts registered twice; give widgets the light runtime or the vendored manager.

    Also resolves links to pages in the footer (``_config.yml``: ``html.extra_footer``),
    written ``href="doc:book/references"``, relative to each page like every other link.
    """
    if pagename == "search":
        # fetch the plain-text companions (write_search_text) for the snippets, not whole pages
        app.add_js_file(None, body=f"DOCUMENTATION_OPTIONS.FILE_SUFFIX = {json.dumps(SEARCH_TEXT_SUFFIX)};")
    footer = context.get("theme_extra_footer")
    if isinstance(footer, str) and "doc:" in footer:
        context["theme_extra_footer"] = _DOC_LINK.sub(
            lambda m: f'href="{context["pathto"](m.group(1))}{m.group(2) or ""}"', footer
        )
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
    if embed and any(s.endswith(embed) for s in scripts) and _only_anywidgets(context["script_files"]):
        manager = tuple(app.config.nb_ipywidgets_js)
        context["script_files"][:] = [
            a for a in context["script_files"] if not (getattr(a, "filename", None) or "").endswith(manager)
        ]
        app.add_js_file(LITE_RUNTIME, loading_method="defer")
    elif embed and any(s.endswith(embed) for s in scripts):
        # relative to the page, like every other asset, so the site works from any folder
        bundle = context["pathto"]("_static/" + embed[: -len(".js")], 1)
        config = {"paths": {module: bundle for module in _WIDGET_MODULES}}
        config["paths"].update(
            {module: context["pathto"]("_static/" + path, 1) for module, path in WIDGET_MODULE_FILES.items()}
        )
        # read by require.js when it loads (it must come before it: priority < 500)
        app.add_js_file(None, body=f"var require = {json.dumps(config)};", priority=499)


# --- scripts the theme writes into every page --------------------------------------------

# pydata-sphinx-theme writes these tags into every page from its templates (they are not
# Sphinx assets that could be removed), so they are taken out of the written pages:
# * its Font Awesome JavaScript, 1.5 MB: the theme's stylesheet draws the same icons with
#   the Font Awesome web font;
# * Sphinx's search scripts and the whole search index (160 kB), there for the theme's
#   search-as-you-type, which is off (DOCUMENTATION_OPTIONS.search_as_you_type = false):
#   the search dialog sends the reader to search.html, which loads them itself.
_THEME_SCRIPTS = re.compile(
    r"""[ \t]*<script (?:defer )?src="[^"]*(?:_static/scripts/fontawesome\.js|_static/searchtools\.js|"""
    r"""_static/language_data\.js|searchindex\.js)[^"]*"></script>\n?"""
)


def trim_theme_scripts(app: Sphinx, exception: Exception | None) -> None:
    """Remove the scripts above from every written page (the search page keeps its own)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if page == outdir / "search.html":  # it needs the search scripts, not Font Awesome's
            new = _THEME_SCRIPTS.sub(lambda m: m.group(0) if "fontawesome" not in m.group(0) else "", text)
        else:
            new = _THEME_SCRIPTS.sub("", text)
        if new != text:
            page.write_text(new, encoding="utf-8")


# --- figures load when the reader gets near them ------------------------------------------


def lazy_images(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``<img loading="lazy">``: a phone does not fetch the figures of a whole chapter at once."""
    for image in doctree.findall(nodes.image):
        image.setdefault("loading", "lazy")


# --- unique ids for sphinx-exercise's bodies ----------------------------------------------

_SHARED_IDS = ("exercise-content", "solution-content")


def unique_exercise_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``exercise-content`` -> ``ex-neuron-output-content`` (the id of the exercise around it)."""
    used: set[str] = set()
    for section in doctree.findall(nodes.section):
        for shared in _SHARED_IDS:
            if shared not in section["ids"]:
                continue
            parent = section.parent
            while parent is not None and not (isinstance(parent, nodes.Element) and parent["ids"]):
                parent = parent.parent
            stem = parent["ids"][0] if parent is not None else shared
            new, n = f"{stem}-{shared.split('-')[0]}-body", 1
            while new in used:
                n += 1
                new = f"{stem}-{shared.split('-')[0]}-body-{n}"
            used.add(new)
            section["ids"] = [new if i == shared else i for i in section["ids"]]


# --- search snippets: plain text, not whole pages ------------------------------------------

# Sphinx's search page shows a snippet under each result, cut from the page itself: it
# downloads every matching page (a chapter is 200-400 kB of HTML; one query fetched over
# 5 MB) and shows the text around the word, raw TeX included. Each page gets a small
# companion, <page>.search-text.html, with only its text (sections kept, for snippets of a
# section; no cell outputs; math written in plain symbols), and the search page fetches those.
SEARCH_TEXT_SUFFIX = ".search-text.html"

_TEX_SYMBOLS = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "Delta": "Δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "eta": "η",
    "theta": "θ",
    "lambda": "λ",
    "mu": "μ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "Sigma": "Σ",
    "tau": "τ",
    "phi": "φ",
    "varphi": "φ",
    "omega": "ω",
    "nabla": "∇",
    "partial": "∂",
    "sum": "∑",
    "prod": "∏",
    "odot": "⊙",
    "cdot": "·",
    "times": "×",
    "infty": "∞",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "approx": "≈",
    "in": "∈",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "mapsto": "↦",
    "prime": "′",
    "ldots": "…",
    "dots": "…",
    "cdots": "⋯",
    "top": "ᵀ",
    "mid": "|",
    "ell": "ℓ",
    "pm": "±",
    "sqrt": "√",
    "lVert": "‖",
    "rVert": "‖",
    "Vert": "‖",
    "|": "‖",
    "langle": "⟨",
    "rangle": "⟩",
    "quad": " ",
    "qquad": " ",
    # fonts and text: keep what they apply to
    **dict.fromkeys(
        (
            "mathcal",
            "mathbf",
            "mathrm",
            "mathit",
            "mathbb",
            "boldsymbol",
            "text",
            "textrm",
            "textbf",
            "operatorname",
            "displaystyle",
            "tag",
            "label",
        ),
        "",
    ),
}


def tex_to_text(tex: str) -> str:
    """``\\sigma'(z^L) \\odot \\frac{a}{b}`` -> ``σ′(z^L) ⊙ (a)/(b)``: readable, with no TeX commands."""
    group = r"\{((?:[^{}]|\{[^{}]*\})*)\}"  # {...}, with one level of braces inside
    text = re.sub(r"\\[dt]?frac\s*" + group + r"\s*" + group, r"(\1)/(\2)", tex)
    text = re.sub(r"\\(?:begin|end)\{[^{}]*\}|\\(?:left|right|big|Big|bigg|Bigg)\b", " ", text)
    text = re.sub(r"\\([A-Za-z]+|\|)", lambda m: _TEX_SYMBOLS.get(m.group(1), m.group(1)), text)
    text = re.sub(r"\\[,;:! ]|\\\\|&", " ", text)
    text = text.replace("{", "").replace("}", "").replace("\\", "")
    return re.sub(r"\s+", " ", text).strip()


_BLOCKS = (nodes.paragraph, nodes.title, nodes.literal_block, nodes.list_item, nodes.term, nodes.rubric)


def _plain_text(node: nodes.Node) -> str:
    if isinstance(node, nodes.Text):
        return html.escape(str(node), quote=False)
    if isinstance(node, (nodes.math, nodes.math_block)):
        return " " + html.escape(tex_to_text(node.astext()), quote=False) + " "
    if isinstance(node, (nodes.raw, nodes.comment, nodes.image, nodes.substitution_definition)):
        return ""
    if not isinstance(node, nodes.Element) or "cell_output" in node.get("classes", []):
        return ""
    inner = "".join(_plain_text(child) for child in node.children)
    if isinstance(node, nodes.section) and node["ids"]:
        return f'<section id="{html.escape(node["ids"][0])}">{inner}</section>'
    return inner + " " if isinstance(node, _BLOCKS) else inner


def write_search_text(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Write ``<docname>.search-text.html``: the page's text, for the search page's snippets."""
    if app.builder.format != "html" or app.builder.name != "html":
        return
    body = re.sub(r"[ \t]+", " ", _plain_text(doctree))
    target = Path(app.outdir, docname + SEARCH_TEXT_SUFFIX)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f'<!doctype html>\n<meta charset="utf-8">\n<div role="main">{body}</div>\n', encoding="utf-8")


# --- static files -------------------------------------------------------------------------


def static_files_changed(app: Sphinx, env, added: set, changed: set, removed: set) -> list[str]:
    """Rewrite the root page when a file of html_static_path changed (course.js, course.css).

    Sphinx copies the static files only when it writes some page; without this, an edited
    course.css reached _build/html only with the next edit of a page.
    """
    if app.builder.format != "html":
        return []
    out = Path(app.outdir, "_static")
    for entry in app.config.html_static_path:
        src = Path(app.confdir, entry)
        for f in src.rglob("*"):
            rel = f.relative_to(src)
            if f.is_file() and not any(part.startswith(".") for part in rel.parts):
                dest = out / rel
                if not dest.is_file() or dest.stat().st_mtime != f.stat().st_mtime:
                    return [app.config.root_doc]
    return []


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", check_vendored_assets)
    app.connect("doctree-read", clean_html_outputs)
    app.connect("html-page-context", adjust_page_assets, priority=900)
    app.connect("env-get-outdated", static_files_changed)
    app.connect("doctree-resolved", unique_exercise_ids)
    app.connect("doctree-resolved", lazy_images)
    app.connect("doctree-resolved", write_search_text)
    app.connect("build-finished", trim_theme_scripts)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}

"""The front ends of nnlib's widgets: plain ES modules in ``static/``, joined into one.

Each widget's front end is an ES module in ``nnlib/widgets/static/`` (``playground.js``,
``explorers.js``, ...) that anywidget runs in the browser: ``export default { render }``.
They share code with plain imports, as any ES modules would::

    import { Trainer } from "./engine.js";
    import { slider, setupCanvas } from "./ui.js";

anywidget hands the browser *one* module, kept in the widget's state (``_esm``) so that
a saved notebook and the static website carry it. :func:`bundle` makes that one module:
it replaces each ``import ... from "./x.js"`` line with the text of ``x.js`` (once, even
if several files import it). No bundler, no build step, and what runs is exactly what
you read in ``static/``. The price is one rule, which :func:`bundle` checks: two files
that end up in the same bundle must not define the same top-level name.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

STATIC = Path(__file__).with_name("static")

_IMPORT = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"\./([\w.-]+\.js)";?[ \t]*$', re.MULTILINE)
_DECLARATION = re.compile(r"^(?:export\s+)?(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)", re.M)


class BundleError(ValueError):
    """A front-end module that cannot be joined: a missing file, an alias, or a name defined twice."""


@cache
def bundle(name: str) -> str:
    """The ES module ``static/<name>`` with its relative imports inlined, as one string."""
    seen: list[str] = []
    text = _inline(name, seen)
    owners: dict[str, str] = {}
    for part in seen:
        for declared in _DECLARATION.findall(_read(part)):
            if declared in owners and owners[declared] != part:
                raise BundleError(
                    f"bundle({name!r}): {declared!r} is defined in both {owners[declared]} and {part}; "
                    f"rename one (the files are joined into one module)"
                )
            owners[declared] = part
    return text


def _read(name: str) -> str:
    path = STATIC / name
    if not path.is_file():
        raise BundleError(f"bundle: no front-end module {name!r} in {STATIC}")
    return path.read_text(encoding="utf-8")


def _inline(name: str, seen: list[str]) -> str:
    seen.append(name)

    def replace(match: re.Match) -> str:
        names, dependency = match.group(1), match.group(2)
        if " as " in names:
            raise BundleError(f"{name}: 'import {{ ... as ... }}' cannot be inlined; import the names as they are")
        if dependency in seen:
            return f"// (from ./{dependency}, included above: {' '.join(names.split())})"
        return f"// --- ./{dependency} " + "-" * max(0, 80 - len(dependency)) + "\n" + _inline(dependency, seen)

    return _IMPORT.sub(replace, _read(name))

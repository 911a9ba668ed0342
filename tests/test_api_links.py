"""Every chapter's summary links the nnlib reference (issue #18) for what the chapter introduces.

The links are MyST cross-references such as {py:func}`nnlib.training.fit`; the website build
(`-W -n`) fails on one that does not resolve. This test reads the notebooks without a build:
each chapter's summary has such references, and every target is a real object of nnlib.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ["neuron", "activations", "losses", "forward", "backprop", "autograd", "training", "playground", "capstone"]
_ROLE = re.compile(r"\{py:(?:func|class|meth|mod|attr|data|exc)\}`([^`]+)`")


def summary(chapter: str) -> str:
    nb = json.loads((ROOT / "book" / chapter / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return text[text.index("## Summary") :]


def resolve(target: str) -> object:
    """The object a reference names (``~`` and an explicit title ``title <target>`` allowed)."""
    match = re.search(r"<([^>]+)>$", target)
    name = (match.group(1) if match else target).lstrip("~")
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(name)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_summary_links_the_reference(chapter: str) -> None:
    targets = _ROLE.findall(summary(chapter))
    assert len(targets) >= 3, f"{chapter}: the summary links {len(targets)} nnlib objects"
    for target in targets:
        assert resolve(target) is not None, target

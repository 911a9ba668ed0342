"""The capstone keeps its promise: executed top to bottom, the final network reads >= 95 % of the test digits.

The notebook itself is executed (with nbclient, as the website build does), and the accuracy
is read from the line ``test accuracy: 0.xxxx`` that it prints. So this test checks exactly
what a reader sees, and takes as long as the notebook does (well under a minute).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

nbclient = pytest.importorskip("nbclient")

NOTEBOOK = Path(__file__).resolve().parent.parent / "book" / "capstone" / "capstone.ipynb"
ACCURACY_LINE = re.compile(r"^test accuracy: (\d\.\d+)$", re.MULTILINE)


def _stdout(cell) -> str:
    return "".join(
        o.get("text", "")
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # raises CellExecutionError if any cell fails
    return nb


def test_capstone_reaches_95_percent_test_accuracy(executed):
    found = [
        float(m.group(1))
        for cell in executed.cells
        if cell.cell_type == "code"
        for m in ACCURACY_LINE.finditer(_stdout(cell))
    ]
    assert len(found) == 1, f"expected one 'test accuracy: ...' line in the capstone's output, found {found}"
    assert found[0] >= 0.95, f"the capstone's final network reached only {found[0]:.4f} test accuracy"


def test_capstone_exercises_unsolved_and_mnist_cell_does_not_fail(executed):
    html = " ".join(
        str(o.get("data", {}).get("text/html", ""))
        for cell in executed.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
    )
    assert html.count("not attempted yet") == 3  # the three exercise checks, stubs untouched
    mnist = [_stdout(c) for c in executed.cells if c.cell_type == "code" and "load_mnist(" in c.source]
    assert len(mnist) == 1
    # offline it explains that the step is skipped; online it reports the full test accuracy
    assert "optional step is skipped" in mnist[0] or "accuracy on all 10,000 MNIST test images" in mnist[0]

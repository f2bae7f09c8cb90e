#!/usr/bin/env python3
"""Execute every notebook of a folder through the turinglab kernel.

usage: run_notebooks.py DIR

Each *.ipynb in DIR runs top to bottom, in sorted order, with nbclient and the
kernelspec named "turinglab" (scripts/test.sh points JUPYTER_PATH at a
temporary install), in the notebook's own folder, with a per-cell timeout.
Notebooks are executed in memory: nothing is written back into DIR. The first
cell error stops that notebook with its name, the cell's index and the error;
the other notebooks still run (later notebooks rebuild what a failed one would
have cached), and the last line counts them. A folder without notebooks passes
with a note.
"""
import glob
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

CELL_TIMEOUT = int(os.environ.get("TURINGLAB_CELL_TIMEOUT", "600"))


class CellFailed(Exception):
    def __init__(self, index, err):
        super().__init__(f"cell {index}: {err}")
        self.index, self.err = index, err


def run(path):
    """Execute the notebook in memory, cell by cell, so a failure names its cell."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="turinglab", timeout=CELL_TIMEOUT,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError) as err:
                raise CellFailed(index, err) from err


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    folder = argv[1]
    paths = sorted(glob.glob(os.path.join(folder, "*.ipynb")))
    if not paths:
        print(f"no notebooks in {folder}: nothing to run")
        return 0
    total = time.time()
    failed = []
    for path in paths:
        name = os.path.basename(path)
        t0 = time.time()
        try:
            run(path)
        except CellFailed as failure:
            print(f"FAIL {name}: cell {failure.index} failed after {time.time() - t0:.1f}s:\n{failure.err}", flush=True)
            failed.append(name)
            continue
        print(f"ok   {name} ({time.time() - t0:.1f}s)", flush=True)
    print(f"notebooks: {len(paths) - len(failed)} passed, {len(failed)} failed ({time.time() - total:.1f}s)"
          + (f": {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Grade the course's exercises the way a student meets them.

usage: run_exercises.py [DIR | NOTEBOOK...]

`turinglab course student` writes the student version of every notebook of
DIR (default: notebooks) into a temporary folder, where each solution is a
stub that panics with "exercise not done yet". Then, for each notebook:

1. statically: every notebook from 01 on ends with a `## Exercises` section
   whose first code cell is tagged `exercise-setup`, holding 2-4 exercises
   (`### Exercise N` headings), each with a solution cell (nbgrader
   solution: true) and a check cell (nbgrader grade: true);
2. dynamically: the notebook's first code cell and then only its Exercises
   section run through nbclient with the "turinglab" kernelspec, in the
   instructor notebook's folder (so relative paths and notebooks/.cache
   work): every solution cell and every other cell must run, and every
   check cell must fail with an error containing "exercise not done yet"
   (a check that passes on a stub grades nothing).

The instructor versions themselves run in full in tests/run_notebooks.py,
which shows that the solutions pass their checks. Each notebook counts as one
test; the last line is "N passed, M failed". The binary is $TURINGLAB_BIN
(default bin/turinglab); scripts/test.sh points JUPYTER_PATH at a temporary
install of the kernelspec.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

CELL_TIMEOUT = int(os.environ.get("TURINGLAB_CELL_TIMEOUT", "600"))
NOT_DONE = "exercise not done yet"
MIN_EXERCISES, MAX_EXERCISES = 2, 4


def source(cell):
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_solution(cell):
    return cell.cell_type == "code" and bool(nbgrader(cell).get("solution"))


def is_check(cell):
    return cell.cell_type == "code" and bool(nbgrader(cell).get("grade")) and not nbgrader(cell).get("solution")


def heading(cell, level):
    """The text of the cell's first heading of exactly this level, or None."""
    if cell.cell_type != "markdown":
        return None
    for line in source(cell).splitlines():
        m = re.match(r"^(#+)\s+(.*)$", line.strip())
        if m and len(m.group(1)) == level:
            return m.group(2).strip()
    return None


def exercises_section(nb):
    """The index range [start, end) of the `## Exercises` section, or None."""
    start = next((i for i, c in enumerate(nb.cells) if heading(c, 2) == "Exercises"), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(nb.cells)) if heading(nb.cells[i], 2) is not None), len(nb.cells))
    return start, end


def requires_exercises(name):
    m = re.match(r"^(\d+)", name)
    return m is not None and int(m.group(1)) >= 1


def static_problems(nb):
    """What is wrong with the notebook's exercise section (an empty list if nothing)."""
    section = exercises_section(nb)
    if section is None:
        return [f"no '## Exercises' section (every notebook from 01 on ends with 2-{MAX_EXERCISES} exercises)"]
    start, end = section
    problems = []
    code = [i for i in range(start, end) if nb.cells[i].cell_type == "code"]
    if not code or "exercise-setup" not in nb.cells[code[0]].get("metadata", {}).get("tags", []):
        problems.append("the first code cell of the Exercises section is not tagged 'exercise-setup'")
    marks = [i for i in range(start, end) if (heading(nb.cells[i], 3) or "").startswith("Exercise")]
    if not MIN_EXERCISES <= len(marks) <= MAX_EXERCISES:
        problems.append(f"{len(marks)} exercises ('### Exercise N' headings), want {MIN_EXERCISES}-{MAX_EXERCISES}")
    for k, first in enumerate(marks):
        last = marks[k + 1] if k + 1 < len(marks) else end
        group = nb.cells[first:last]
        title = heading(nb.cells[first], 3)
        if not any(is_solution(c) for c in group):
            problems.append(f"'{title}' (cell {first}) has no solution cell (nbgrader solution: true)")
        if not any(is_check(c) for c in group):
            problems.append(f"'{title}' (cell {first}) has no check cell (nbgrader grade: true)")
    return problems


def run_section(path, nb, workdir):
    """Run the first code cell and the Exercises section; return the problems found."""
    start, end = exercises_section(nb)
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)
    indices = ([first_code] if first_code is not None and first_code < start else []) + \
        [i for i in range(start, end) if nb.cells[i].cell_type == "code"]
    problems = []
    client = NotebookClient(nb, kernel_name="turinglab", timeout=CELL_TIMEOUT,
                            resources={"metadata": {"path": workdir}})
    with client.setup_kernel():
        for index in indices:
            cell = nb.cells[index]
            failed = None
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError) as err:
                failed = err
            role = "check" if is_check(cell) else "solution" if is_solution(cell) else "setup" if "exercise-setup" in cell.get("metadata", {}).get("tags", []) else "other"
            if role == "check":
                if failed is None:
                    problems.append(f"cell {index} (check) passed against the stub: it grades nothing")
                elif NOT_DONE not in str(failed):
                    problems.append(f"cell {index} (check) failed without {NOT_DONE!r}:\n{failed}")
            elif failed is not None:
                problems.append(f"cell {index} ({role}) failed:\n{failed}")
    return problems


def main(argv):
    args = argv[1:] or ["notebooks"]
    if len(args) == 1 and os.path.isdir(args[0]):
        paths = sorted(glob.glob(os.path.join(args[0], "*.ipynb")))
    else:
        paths = args
    if not paths:
        print(f"no notebooks in {args[0]}: nothing to grade")
        print("0 passed, 0 failed")
        return 0
    binary = os.environ.get("TURINGLAB_BIN", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bin", "turinglab"))
    passed, failed, missing = 0, 0, []
    total = time.time()
    with tempfile.TemporaryDirectory(prefix="turinglab-student-") as out:
        made = subprocess.run([binary, "course", "student", out] + paths, capture_output=True, text=True)
        if made.returncode != 0:
            print(f"FAIL turinglab course student: {made.stderr.strip()}")
            print(f"0 passed, {len(paths)} failed")
            return 1
        for path in paths:
            name = os.path.basename(path)
            if not requires_exercises(name):
                continue
            t0 = time.time()
            nb = nbformat.read(os.path.join(out, name), as_version=4)
            problems = static_problems(nb)
            if exercises_section(nb) is None:
                missing.append(name)
            else:
                try:
                    problems += run_section(path, nb, os.path.dirname(os.path.abspath(path)))
                except Exception as err:  # a kernel that died or would not start
                    problems.append(f"could not run the exercises: {err}")
            if problems:
                failed += 1
                print(f"FAIL {name} ({time.time() - t0:.1f}s):\n  " + "\n  ".join(p.replace("\n", "\n    ") for p in problems), flush=True)
            else:
                passed += 1
                print(f"ok   {name} ({time.time() - t0:.1f}s)", flush=True)
    if missing:
        print(f"notebooks without exercises yet: {', '.join(missing)}")
    print(f"exercises graded in {time.time() - total:.1f}s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

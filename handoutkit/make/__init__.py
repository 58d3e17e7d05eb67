"""make: the build, from a loaded library to files in dist/.

plan (which outputs), keys (what each depends on), engine (rendering in
worker processes), pipeline (plan -> gate -> render -> write, the wiring),
manifest and writer (the only code that touches dist/), lock (one build per
output folder), outfolder (which output folders are allowed), withdraw (stale
outputs removed after a refused rebuild), uptodate (the no-op path), stops
(workers die with the build), progress, watch and warm (rebuild on save with a
warm renderer), report (check, report and review-sheet commands).

May import: every other stage. Nothing imports make but the CLI. (Not named `build/`: ignore files and editors
treat a folder of that name as generated output.)
"""

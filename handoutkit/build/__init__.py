"""The build: from a loaded library to files in dist/.

plan (which outputs), keys (what each depends on), engine (rendering in
worker processes), pipeline (plan -> gate -> render -> write, the wiring),
manifest and writer (the only code that touches dist/), lock (one build per
output folder), progress, watch (rebuild on save), report (check and report
commands).

May import: every other stage. Nothing imports build but the CLI.
"""

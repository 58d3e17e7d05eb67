#!/usr/bin/env python3
"""Build every handout edition and deck into dist/. See README.md, or run with --help."""

import sys
from pathlib import Path

from handoutkit.cli import main

if __name__ == "__main__":
    sys.exit(main(root=Path(__file__).resolve().parent))

"""Make the fallback font the handouts use for IPA and symbols Atkinson Hyperlegible lacks.

Run once (output is committed):  .venv/bin/python templates/fonts/make_dejavu_subset.py
Source: Debian's fonts-dejavu-core (DejaVu Sans 2.37), licence in LICENSE-DejaVu.txt.
The family is renamed so fontconfig never confuses it with an installed DejaVu Sans,
which lets the tests prove that every font in a handout came from this folder.
Written as plain TrueType, not WOFF2: WeasyPrint would decode a WOFF2 file at every
renderer start (every build, worker and watch), and the decoded bytes are the same.
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = Path("/usr/share/fonts/truetype/dejavu")
HERE = Path(__file__).resolve().parent
FAMILY = "DejaVu Sans Handout Subset"
RANGES = [
    (0x0020, 0x007E),
    (0x00A0, 0x036F),  # Latin, IPA, spacing modifiers, combining marks
    (0x0370, 0x03FF),  # Greek (units and drug names: µ, β)
    (0x1D00, 0x1DBF),  # phonetic extensions
    (0x2000, 0x206F),
    (0x2070, 0x209F),
    (0x20A0, 0x20CF),  # punctuation, super/subscripts, currency
    (0x2100, 0x215F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),  # letterlike, fractions, arrows, maths
    (0x25A0, 0x25FF),
    (0x2610, 0x2612),
    (0x2713, 0x2718),  # shapes, ballot boxes, check marks
]


def make(style_file: str, style: str) -> None:
    font = TTFont(SOURCE / style_file)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for lo, hi in RANGES for c in range(lo, hi + 1)])
    subsetter.subset(font)
    rename(font, style)
    font.flavor = None
    out = HERE / f"dejavu-sans-handout-subset-{style.lower()}.ttf"
    font.save(out)
    print(out.name, out.stat().st_size, "bytes")


def rename(font: TTFont, style: str) -> None:
    postscript = FAMILY.replace(" ", "") + "-" + style
    names = {1: FAMILY, 2: style, 3: f"{postscript};subset of DejaVu Sans 2.37", 4: f"{FAMILY} {style}", 6: postscript}
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names or record.nameID >= 16:
            table.removeNames(nameID=record.nameID)
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)


if __name__ == "__main__":
    make("DejaVuSans.ttf", "Regular")
    make("DejaVuSans-Bold.ttf", "Bold")

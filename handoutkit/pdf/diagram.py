"""Figures the build draws: a body outline with the sites a topic names.

The figure is inline SVG, so nothing is fetched. Its <title> is the alt text
(WeasyPrint tags inline SVG as a /Figure and takes /Alt from <title>). Sites
are marked by a ringed dot and named by a written label joined to it by a
leader line, never by colour alone, so the figure reads the same printed in
black and white. Labels sit in one column to the right of the body, so the
figure stays narrow enough to share a line with its caption.
"""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT = 340, 420
LABEL_SIZE = 30  # units; the CSS sets the figure 10em wide, so labels print at 0.88em
LABEL_GAP = 36  # least distance between two labels' baselines
LEADER_END_X, LABEL_X = 176, 184
INK, OUTLINE, FILL = "#16202a", "#59636e", "#e9edf1"

# The body, drawn twice (dark and wide, then light and narrow) so the union of
# the shapes gets one clean outline. Front view; the figure's right is the viewer's right.
LIMBS = [  # (points, stroke width)
    ([(90, 58), (90, 80)], 18),  # neck
    ([(62, 90), (48, 152), (40, 210)], 19),  # arms
    ([(118, 90), (132, 152), (140, 210)], 19),
    ([(76, 220), (74, 304), (76, 376)], 27),  # legs
    ([(104, 220), (106, 304), (104, 376)], 27),
    ([(76, 384), (63, 390)], 14),  # feet
    ([(104, 384), (117, 390)], 14),
]
TORSO = "M60,80 Q90,72 120,80 L124,98 L112,188 L116,226 L64,226 L68,188 L56,98 Z"
HEAD, HANDS = (90, 38, 22), [(38, 224, 10), (142, 224, 10)]

# Each site: the points marked (both sides of the body where there are two).
SITES: dict[str, list[tuple[int, int]]] = {
    "jaw": [(90, 54)],
    "shoulder": [(62, 90), (118, 90)],
    "arm": [(55, 121), (125, 121)],
    "spine": [(90, 140)],
    "elbow": [(48, 152), (132, 152)],
    "hip": [(76, 218), (104, 218)],
    "hand": [(38, 224), (142, 224)],
    "thigh": [(75, 262), (105, 262)],
    "knee": [(74, 304), (106, 304)],
    "foot": [(70, 387), (110, 387)],
}
LABELS = {site: site.capitalize() for site in SITES}


def body_sites_svg(sites: list[str], alt: str) -> Markup:
    """An inline SVG body outline with `sites` marked and labelled; `alt` is its title."""
    ordered = sorted(dict.fromkeys(sites), key=lambda s: SITES[s][0][1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" viewBox="0 0 {WIDTH} {HEIGHT}" role="img">',
        f"<title>{escape(alt)}</title>",
        draw_body(),
    ]
    label_y = -LABEL_GAP
    for site in ordered:
        label_y = max(SITES[site][0][1], label_y + LABEL_GAP)
        parts.append(draw_site(site, label_y))
    parts.append("</svg>")
    return Markup("".join(parts))


def draw_body() -> str:
    layers = []
    for colour, extra in ((OUTLINE, 3.5), (FILL, 0)):
        shapes = [
            f'<polyline points="{" ".join(f"{x},{y}" for x, y in points)}" fill="none" stroke="{colour}" '
            f'stroke-width="{width + extra}" stroke-linecap="round" stroke-linejoin="round"/>'
            for points, width in LIMBS
        ]
        shapes.append(f'<path d="{TORSO}" fill="{colour}" stroke="{colour}" stroke-width="{extra or 0.01}" '
                      'stroke-linejoin="round"/>')
        x, y, r = HEAD
        shapes.append(f'<circle cx="{x}" cy="{y}" r="{r + extra / 2}" fill="{colour}"/>')
        shapes += [f'<circle cx="{hx}" cy="{hy}" r="{hr + extra / 2}" fill="{colour}"/>' for hx, hy, hr in HANDS]
        layers.append("".join(shapes))
    return "".join(layers)


def draw_site(site: str, label_y: int) -> str:
    """Dots on each point of a site, and a leader from the right-hand point to its label."""
    points = SITES[site]
    x, y = max(points)
    bend = f" {LEADER_END_X - 10},{y}" if label_y != y else ""  # a label pushed down gets a bent leader
    leader = f"{x},{y}{bend} {LEADER_END_X},{label_y}"
    dots = "".join(
        f'<circle cx="{px}" cy="{py}" r="9" fill="{INK}" stroke="#ffffff" stroke-width="3"/>'
        f'<circle cx="{px}" cy="{py}" r="3" fill="#ffffff"/>'
        for px, py in points
    )
    return (
        f'<polyline points="{leader}" fill="none" stroke="{INK}" stroke-width="2.5"/>'
        f"{dots}"
        f'<text x="{LABEL_X}" y="{label_y + 10}" font-family="Atkinson Hyperlegible" '
        f'font-size="{LABEL_SIZE}" font-weight="700" fill="{INK}">{escape(LABELS[site])}</text>'
    )


# ----- icon arrays: "2 to 3 in 10" as people you can count -------------------------------------

ICON_W, ICON_H, ICON_GAP = 24, 52, 6


def icon_array_svg(filled: int, possible: int, total: int, alt: str) -> Markup:
    """`total` people in a row: `filled` solid, `possible` half-filled (the top of a range
    such as "2 to 3 in 10"), the rest outlined. Solid, half and empty read the same in
    black and white; the caption says the numbers in words."""
    width = total * ICON_W + (total - 1) * ICON_GAP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram icon-array" '
             f'viewBox="-2 -2 {width + 4} {ICON_H + 4}" role="img">', f"<title>{escape(alt)}</title>"]
    for index in range(total):
        kind = "filled" if index < filled else "possible" if index < filled + possible else "empty"
        parts.append(draw_person(index * (ICON_W + ICON_GAP), kind))
    parts.append("</svg>")
    return Markup("".join(parts))


def draw_person(x: int, kind: str) -> str:
    head = f'<circle cx="{x + 12}" cy="9" r="8"/>'
    body = f'<path d="M{x + 2},50 L{x + 2},30 Q{x + 2},20 {x + 12},20 Q{x + 22},20 {x + 22},30 L{x + 22},50 Z"/>'
    outline = f'<g fill="#ffffff" stroke="{INK}" stroke-width="2">{head}{body}</g>'
    if kind == "empty":
        return outline
    solid = f'<g fill="{INK}" stroke="{INK}" stroke-width="2">{head}{body}</g>'
    if kind == "filled":
        return solid
    return outline + f'<rect x="{x + 2}" y="35" width="20" height="15" fill="{INK}"/>'  # half full: "maybe"


def draw_diagram(figure, alt: str) -> Markup:
    """The SVG of a figure the build draws, whichever kind it is."""
    if figure.diagram == "icon-array":
        return icon_array_svg(figure.filled, figure.possible, figure.total, alt)
    return body_sites_svg(figure.sites, alt)

"""Figures the build draws: a body outline with the sites a topic names, an icon array
("2 to 3 in 10" as people), a person sitting up (the first action for autonomic dysreflexia)
and the back with one level of the spine marked (where T6 is).

The figure is inline SVG, so nothing is fetched. Its <title> is the alt text
(WeasyPrint tags inline SVG as a /Figure and takes /Alt from <title>). Sites
are marked by a ringed dot and named by a written label joined to it by a
leader line, never by colour alone, so the figure reads the same printed in
black and white. Labels sit in one column to the right of the body, so the
figure stays narrow enough to share a line with its caption.
"""

from __future__ import annotations

import math

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


def draw_body(limbs: list = LIMBS) -> str:
    layers = []
    for colour, extra in ((OUTLINE, 3.5), (FILL, 0)):
        shapes = [
            f'<polyline points="{" ".join(f"{x},{y}" for x, y in points)}" fill="none" stroke="{colour}" '
            f'stroke-width="{width + extra}" stroke-linecap="round" stroke-linejoin="round"/>'
            for points, width in limbs
        ]
        shapes.append(
            f'<path d="{TORSO}" fill="{colour}" stroke="{colour}" stroke-width="{extra or 0.01}" '
            'stroke-linejoin="round"/>'
        )
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
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram icon-array" '
        f'viewBox="-2 -2 {width + 4} {ICON_H + 4}" role="img">',
        f"<title>{escape(alt)}</title>",
    ]
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


# ----- sitting up: the first action for autonomic dysreflexia, as a change of position -------------
#
# Side view, facing right. What to do is drawn solid (the body's own outline and fill); where the person
# was is dashed and unfilled, with arrows from there to here: the action reads in black and white
# without a legend. The person sits on a plain seat (a chair, a wheelchair or the edge of a bed).

SIT_WIDTH, SIT_HEIGHT = 300, 250
HIP, KNEE, ANKLE = (128, 150), (196, 150), (196, 222)
SHOULDER, HEAD_AT, HEAD_R = (128, 82), (132, 56), 19
FLOOR_Y = 234


def sitting_up_svg(alt: str) -> Markup:
    """A person moving from leaning back with the legs up to sitting upright with the feet down."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram sitting-up" viewBox="0 0 {SIT_WIDTH} {SIT_HEIGHT}" '
        f'role="img">',
        f"<title>{escape(alt)}</title>",
        draw_seat(),
        draw_before(),
        draw_sitting_person(),
        draw_arrow_arc(HIP, 126, 213, 262),  # the head and back come up
        draw_arrow_arc(KNEE, 88, 350, 78),  # the lower legs go down
        "</svg>",
    ]
    return Markup("".join(parts))


def draw_seat() -> str:
    seat = f'<rect x="84" y="{HIP[1] + 12}" width="104" height="9" rx="2" fill="{OUTLINE}"/>'
    legs = (
        f'<line x1="94" y1="{HIP[1] + 20}" x2="94" y2="{FLOOR_Y}" stroke="{OUTLINE}" stroke-width="5"/>'
        f'<line x1="178" y1="{HIP[1] + 20}" x2="178" y2="{FLOOR_Y}" stroke="{OUTLINE}" stroke-width="5"/>'
    )
    floor = f'<line x1="20" y1="{FLOOR_Y}" x2="{SIT_WIDTH - 10}" y2="{FLOOR_Y}" stroke="{INK}" stroke-width="3"/>'
    return seat + legs + floor


def along(origin: tuple[float, float], degrees: float, length: float) -> tuple[float, float]:
    """The point `length` from `origin` at `degrees` (0 = right, 90 = down: SVG's y grows downwards)."""
    angle = math.radians(degrees)
    return origin[0] + length * math.cos(angle), origin[1] + length * math.sin(angle)


def draw_before() -> str:
    """Leaning back, lower legs out straight: dashed outlines only, under the solid figure."""
    style = f'fill="none" stroke="{INK}" stroke-width="2.5" stroke-dasharray="7 5"'
    head = along(HIP, 218, 100)
    return (
        f'<path d="{capsule(HIP, along(HIP, 222, 66), 15)}" {style}/>'
        f'<circle cx="{head[0]:.1f}" cy="{head[1]:.1f}" r="{HEAD_R}" {style}/>'
        f'<path d="{capsule(KNEE, along(KNEE, -6, 70), 11)}" {style}/>'
    )


def capsule(start: tuple[float, float], end: tuple[float, float], half_width: float) -> str:
    """The outline of a limb from `start` to `end` with round ends, as an SVG path."""
    angle = math.degrees(math.atan2(end[1] - start[1], end[0] - start[0]))
    a1, a2 = along(start, angle - 90, half_width), along(end, angle - 90, half_width)
    b2, b1 = along(end, angle + 90, half_width), along(start, angle + 90, half_width)
    r = half_width
    return f"M{fmt(a1)} L{fmt(a2)} A{r},{r} 0 0 1 {fmt(b2)} L{fmt(b1)} A{r},{r} 0 0 1 {fmt(a1)} Z"


def fmt(point: tuple[float, float]) -> str:
    return f"{point[0]:.1f},{point[1]:.1f}"


def draw_sitting_person() -> str:
    """Upright back, thighs on the seat, lower legs hanging down, feet on the floor: the body figure's style."""
    limbs = [
        ([HIP, SHOULDER], 30),  # back
        ([(SHOULDER[0], SHOULDER[1] + 4), (146, 116), (174, 128)], 13),  # arm resting on the thigh
        ([HIP, KNEE], 25),  # thigh
        ([KNEE, ANKLE], 22),  # lower leg
        ([(ANKLE[0], ANKLE[1] + 2), (ANKLE[0] + 22, ANKLE[1] + 2)], 12),  # foot
        ([(HEAD_AT[0] - 2, HEAD_AT[1] + 12), SHOULDER], 14),  # neck
    ]
    layers = []
    for colour, extra in ((OUTLINE, 3.5), (FILL, 0)):
        shapes = [
            f'<polyline points="{" ".join(fmt(p) for p in points)}" fill="none" stroke="{colour}" '
            f'stroke-width="{width + extra}" stroke-linecap="round" stroke-linejoin="round"/>'
            for points, width in limbs
        ]
        shapes.append(f'<circle cx="{HEAD_AT[0]}" cy="{HEAD_AT[1]}" r="{HEAD_R + extra / 2}" fill="{colour}"/>')
        layers.append("".join(shapes))
    return "".join(layers)


def draw_arrow_arc(centre: tuple[float, float], radius: float, start: float, end: float) -> str:
    """A bold arc around `centre` from angle `start` to `end` (degrees, clockwise), with a head at `end`."""
    sweep = (end - start) % 360
    begin, finish = along(centre, start, radius), along(centre, end, radius)
    large = 1 if sweep > 180 else 0
    arc = (
        f'<path d="M{fmt(begin)} A{radius},{radius} 0 {large} 1 {fmt(finish)}" fill="none" stroke="{INK}" '
        f'stroke-width="5" stroke-linecap="round"/>'
    )
    tip = along(finish, end + 90, 14)  # the head points along the arc's direction of travel
    left, right = along(finish, end, 9), along(finish, end + 180, 9)
    head = f'<polygon points="{fmt(tip)} {fmt(left)} {fmt(right)}" fill="{INK}"/>'
    return arc + head


# ----- spine levels: where T6 (or any level) is, on the back ---------------------------------------
#
# The body outline seen from the back, cut below the hips, with the spine drawn from the neck to the
# lower back as its 24 vertebrae and the shoulder blades for a landmark. The level is a dark vertebra,
# a ringed dot and a written label, so it reads in black and white; "Neck" names the top. Heights
# follow the real proportions of the neck, chest and lower-back parts of the spine. Labels longer than
# about 3 letters would overrun the label column (the level's is at most 3: T12).

UPPER_LIMBS = [limb for limb in LIMBS if limb[0][0][1] < 200] + [
    ([(76, 220), (75, 250)], 27),  # the tops of the legs, cut off
    ([(104, 220), (105, 250)], 27),
]
SPINE_X = 90
SPINE_PARTS = (("C", 7, 60, 84, 9), ("T", 12, 84, 164, 11), ("L", 5, 164, 211, 14))  # letter, count, top, bottom, width
SHOULDER_BLADES = ("56,96 82,98 70,128", "124,96 98,98 110,128")  # the lower tips at about T7
SPINE_VIEW = "16 0 244 262"  # the upper body and a label column for short labels (narrow enough to float)
LANDMARKS = (("Neck", 72),)  # named unless the marked level's label would crowd it; the top is the neck


def spine_levels() -> dict[str, tuple[float, float, float]]:
    """Every vertebra's name -> (top, bottom, width), from C1 below the skull to L5 above the pelvis."""
    levels = {}
    for letter, count, top, bottom, width in SPINE_PARTS:
        step = (bottom - top) / count
        for number in range(1, count + 1):
            levels[f"{letter}{number}"] = (top + (number - 1) * step, top + number * step, width)
    return levels


def spine_level_svg(level: str, alt: str) -> Markup:
    """The back of the upper body with the spine drawn in, `level` marked and labelled."""
    levels = spine_levels()
    top, bottom, _ = levels[level]
    middle = round((top + bottom) / 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram spine-level" viewBox="{SPINE_VIEW}" role="img">',
        f"<title>{escape(alt)}</title>",
        draw_body(UPPER_LIMBS),
        "".join(
            f'<polygon points="{points}" fill="none" stroke="{OUTLINE}" stroke-width="2"/>'
            for points in SHOULDER_BLADES
        ),
        draw_spine(levels, level),
        draw_label(level, (SPINE_X + 8, middle), middle, marked=True),
        *(draw_label(name, (SPINE_X + 7, y), y) for name, y in LANDMARKS if abs(y - middle) >= LABEL_GAP),
        "</svg>",
    ]
    return Markup("".join(parts))


def draw_spine(levels: dict[str, tuple[float, float, float]], marked: str) -> str:
    blocks = []
    for name, (top, bottom, width) in levels.items():
        fill = INK if name == marked else "#ffffff"
        blocks.append(
            f'<rect x="{SPINE_X - width / 2:.1f}" y="{top + 0.6:.1f}" width="{width}" '
            f'height="{bottom - top - 1.2:.1f}" rx="1.5" fill="{fill}" stroke="{INK}" stroke-width="1.2"/>'
        )
    return "".join(blocks)


def draw_label(text: str, point: tuple[int, int], label_y: int, marked: bool = False) -> str:
    """A leader from `point` to a label in the right-hand column; a marked point gets the ringed dot."""
    x, y = point
    bend = f" {LEADER_END_X - 10},{y}" if label_y != y else ""
    dot = (
        (
            f'<circle cx="{x + 6}" cy="{y}" r="9" fill="{INK}" stroke="#ffffff" stroke-width="3"/>'
            f'<circle cx="{x + 6}" cy="{y}" r="3" fill="#ffffff"/>'
        )
        if marked
        else ""
    )
    start = x + 15 if marked else x
    return (
        f'<polyline points="{start},{y}{bend} {LEADER_END_X},{label_y}" fill="none" stroke="{INK}" '
        f'stroke-width="{2.5 if marked else 1.5}"/>{dot}'
        f'<text x="{LABEL_X}" y="{label_y + 10}" font-family="Atkinson Hyperlegible" font-size="{LABEL_SIZE}" '
        f'font-weight="{700 if marked else 400}" fill="{INK}">{escape(text)}</text>'
    )


def draw_diagram(figure, alt: str) -> Markup:
    """The SVG of a figure the build draws, whichever kind it is."""
    if figure.diagram == "sitting-up":
        return sitting_up_svg(alt)
    if figure.diagram == "spine-level":
        return spine_level_svg(figure.level, alt)
    if figure.diagram == "icon-array":
        return icon_array_svg(figure.filled, figure.possible, figure.total, alt)
    return body_sites_svg(figure.sites, alt)

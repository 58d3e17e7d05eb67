"""Issue 22, hardening, second round: a release never prints a stand-in, no output looks current when it
is not, watch never loses a save, and no input gives a traceback or a hang.

Each class has several instances: the issue's examples and their neighbours, since each is
fixed where the class arises (one judgement of printable values, the laid-out pages measured,
a refused build withdrawing what it cannot vouch for, a watch that a parent process restarts,
sources read as regular files only). Deck identity is tested elsewhere (issue 22's deck class).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pymupdf
import pytest

from handoutkit.cli import main

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = (FIXTURES / "project" / "handouts" / "minimal.yaml").read_text()
REAL_BRAND = 'name: Riverside Rehabilitation Clinic\nphone: 555-0134\nemergency_number: "999"\n'
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000105fe0fb2b40000000049454e44ae426082"
)


def project(tmp_path: Path, topics: tuple[str, ...] = ("minimal",), decks: bool = True) -> Path:
    """The small test project with the real templates; more topics are copies of minimal."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    shutil.copytree(REPO / "templates", root / "templates")
    for name in topics:
        if name != "minimal":
            (root / "handouts" / f"{name}.yaml").write_text(MINIMAL.replace("id: minimal\n", f"id: {name}\n"))
    if not decks:
        shutil.rmtree(root / "decks")
    return root


def sprain(tmp_path: Path, card: str | None = None) -> Path:
    """The quality fixture (a topic that passes every gate) with the real templates and a wallet-card edition."""
    root = tmp_path / "sprain"
    shutil.copytree(FIXTURES / "quality", root)
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "editions.yaml").write_text((root / "editions.yaml").read_text() + WALLET_EDITION)
    if card:
        topic = root / "handouts" / "sprain.yaml"
        topic.write_text(topic.read_text() + card)
    return root


WALLET_EDITION = """  - id: wallet-card
    label: Wallet card
    audience: patient
    format: wallet-card
    papers: [id-1]
    page_budget: 2
"""
CARD = """wallet_card:
  front:
    title: I have a sprained ankle
    write_in: [Name, My usual BP]
    blocks:
      - intro: "What to do:"
        steps: [Rest your foot for a day or two., Put ice on it for a short time.]
        cites: [{source: src, quote: "Rest the ankle for one or two days and ice it for short spells."}]
  back:
    title: For emergency staff
    blocks:
      - bullets: [Check the ankle for a break.]
        cites: [{source: src, quote: "Check for a fracture."}]
"""


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(root: Path, capsys, *args: str) -> tuple[int, list[str]]:
    status = main([*args, "--root", str(root)])
    return status, capsys.readouterr().err.splitlines()


def pdfs(root: Path, out: str = "dist") -> list[str]:
    return sorted(p.relative_to(root / out).as_posix() for p in (root / out / "handouts").rglob("*.pdf"))


def manifest(root: Path) -> dict:
    return {e["path"]: e for e in json.loads((root / "dist" / "manifest.json").read_text())["outputs"]}


def page_texts(path: Path) -> list[str]:
    with pymupdf.open(path) as doc:
        return [" ".join(page.get_text().split()) for page in doc]


def approve(root: Path, monkeypatch, topic: str, day: str, reviewer: str = "Dr Ana Ortiz") -> None:
    monkeypatch.setenv("HANDOUTKIT_TODAY", day)
    assert main(["approve", topic, "--root", str(root), "--reviewer", reviewer]) == 0
    monkeypatch.delenv("HANDOUTKIT_TODAY")


# ===== 1. A release build prints nothing that must never reach a patient ======================


BRAND_CASES = {  # field value -> the line --release prints (brands/default.yaml, line 1 to 3)
    "emergency-todo": (
        'emergency_number: "TODO"',
        (
            "3:19: emergency_number: expected your clinic's real emergency "
            "number for a release, found placeholder text 'TODO'"
        ),
    ),
    "emergency-letters": (
        'emergency_number: "abc"',
        (
            "3:19: emergency_number: expected the local emergency number "
            "in digits (like 911, 999 or 112) for a release, found 'abc'"
        ),
    ),
    "emergency-spaced": (
        'emergency_number: "9 1 1"',
        (
            "3:19: emergency_number: expected the local emergency number "
            "in digits (like 911, 999 or 112) for a release, found '9 1 1'"
        ),
    ),
    "bracketed-name": (
        "name: '[Your clinic name]'",
        ("1:7: name: expected your clinic's real name for a release, found placeholder text '[Your clinic name]'"),
    ),
    "name-tbd": (
        "name: TBD",
        "1:7: name: expected your clinic's real name for a release, found placeholder text 'TBD'",
    ),
    "phone-xxxx": (
        "phone: 555-XXXX",
        ("2:8: phone: expected your clinic's real phone for a release, found placeholder text '555-XXXX'"),
    ),
    "phone-words": (
        "phone: call the front desk",
        (
            "2:8: phone: expected a phone number in digits (spaces, +, -, brackets "
            "and ext allowed, like +1 555 013 4567) for a release, found 'call the front desk'"
        ),
    ),
    "phone-blank": (
        "phone: ___-____",
        ("2:8: phone: expected your clinic's real phone for a release, found placeholder text '___-____'"),
    ),
}


@pytest.mark.parametrize("name", sorted(BRAND_CASES))
def test_release_refuses_every_brand_field_a_patient_would_act_on(name, tmp_path, capsys):
    line, expected = BRAND_CASES[name]
    root = project(tmp_path, decks=False)
    field = line.split(":")[0]
    brand = root / "brands" / "default.yaml"
    kept = [ln for ln in brand.read_text().splitlines() if not ln.startswith(field + ":")]
    order = {"name": 0, "phone": 1, "emergency_number": 2}
    kept.insert(order[field], line)
    brand.write_text("\n".join(kept) + "\n")
    status, err = run(root, capsys, "check", "--release")
    assert status == 1
    assert f"brands/default.yaml:{expected}" in err
    from handoutkit.content.library import load_library

    assert load_library(root).brand.is_sample  # printed anyway (an ordinary build), every page says SAMPLE


def test_a_brand_with_a_stand_in_prints_sample_on_every_page(tmp_path):
    root = project(tmp_path, decks=False)
    (root / "brands" / "default.yaml").write_text(
        "name: '[Your clinic name]'\nphone: 555-XXXX\nemergency_number: \"911\"\n"
    )
    assert main(["build", "--root", str(root), "--edition", "patient", "--paper", "letter"]) == 0
    texts = page_texts(root / "dist" / "handouts" / "minimal" / "minimal--patient--letter.pdf")
    assert texts and all("SAMPLE - add your clinic's details in brands/" in t for t in texts)


def test_real_clinic_details_pass(tmp_path, capsys):
    from handoutkit.content.config import Brand

    for phone in ("555-0134", "+1 (555) 013-4567", "020 7946 0000", "555-0134 ext. 12"):
        assert (
            Brand(
                name="Riverside Rehabilitation Clinic",
                phone=phone,
                emergency_number="999",
                website="www.riverside-rehab.org",
                address="1 River Road, Springfield",
            ).unfit()
            == []
        ), phone


RECORD_CASES = {
    "todo": ("reviewer", "TODO", "reviewer: expected the approving clinician's name, found 'TODO'"),
    "bracketed": (
        "reviewer",
        "[reviewer name]",
        "reviewer: expected the approving clinician's name, found '[reviewer name]'",
    ),
    "digits": ("reviewer", "12345", "reviewer: expected the approving clinician's name, found '12345'"),
    "too-long": (
        "reviewer",
        "Professor Alexandra Catherine Montgomery-Worthington, MD PhD FRCPC",
        (
            "reviewer: expected a name of at most 40 characters (the review stamp must fit the header of every "
            "page), found 66"
        ),
    ),
    "dated-ahead": (
        "approved",
        "2027-06-01",
        (
            "approved: expected an approval dated on or before today (2026-12-10) "
            "for a release, found 2027-06-01, a date still to come; approve the topic again"
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(RECORD_CASES))
def test_release_refuses_an_approval_that_names_a_stand_in_or_a_day_to_come(name, tmp_path, capsys, monkeypatch):
    key, value, expected = RECORD_CASES[name]
    root = sprain(tmp_path)
    (root / "brands" / "default.yaml").write_text(REAL_BRAND)
    approve(root, monkeypatch, "sprain", "2026-12-01")
    monkeypatch.setenv("HANDOUTKIT_TODAY", "2026-12-10")
    assert run(root, capsys, "check", "--release")[0] == 0  # the approved topic releases
    record = root / "approvals" / "sprain.json"
    data = json.loads(record.read_text())
    data[key] = value  # a hand edit, or a clock set ahead when it was approved
    record.write_text(json.dumps(data))
    status, err = run(root, capsys, "check", "--release")
    assert status == 1
    assert any(line.startswith(f"approvals/sprain.json:1:1: {expected}") for line in err), err
    if key == "reviewer":  # approve itself refuses the same names
        assert main(["approve", "sprain", "--root", str(root), "--reviewer", value]) == 2
        assert f"--reviewer: {expected.removeprefix('reviewer: ')}" in capsys.readouterr().err


# ----- page 1 for the brand actually used ----------------------------------------------


LONG_BRAND = """name: Saint Bartholomew Regional Spinal Rehabilitation Center
phone: "+1 (555) 013-4567"
emergency_number: "911"
address: 1234 Northwestern Boulevard, Building C, Suite 400, Springfield Heights, Illinois 62704-1234, USA
website: www.stbartholomew-rehab.org
logo: logo.png
"""
HUGE_BRAND = """name: The Saint Bartholomew and All Angels Regional Spinal Cord Injury Rehabilitation and Research Center of the Greater Springfield Heights Metropolitan Area West Campus
phone: "+1 (555) 013-4567"
emergency_number: "911"
address: 1234 Northwestern Boulevard, Building C, Suite 400, Springfield Heights, Illinois 62704-1234, United States of America, North America
website: www.Supercalifragilisticexpialidocious-rehabilitation-center-springfield-heights.org
logo: logo.png
"""


def ad_project(tmp_path: Path, brand: str) -> Path:
    """The repository's AD topic (it has an urgent section) with a clinic's own brand and logo."""
    root = tmp_path / "ad"
    (root / "handouts").mkdir(parents=True)
    for name in ("editions.yaml", "medical-terms.txt"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "handouts" / "autonomic-dysreflexia.yaml", root / "handouts")
    if (REPO / "handouts" / "figures").is_dir():
        shutil.copytree(REPO / "handouts" / "figures", root / "handouts" / "figures")
    (root / "brands").mkdir()
    (root / "brands" / "clinic.yaml").write_text(brand)
    shutil.copy(REPO / "docs" / "patient-page1.png", root / "brands" / "logo.png")
    return root


def render(root: Path, edition_id: str, paper: str) -> bytes:
    from handoutkit.content.library import load_library
    from handoutkit.editions.select import view_of
    from handoutkit.pdf import HandoutRenderer

    library = load_library(root, root / "brands" / "clinic.yaml")
    edition = next(e for e in library.editions if e.id == edition_id)
    return HandoutRenderer(root).render_pdf(
        view_of(library, "autonomic-dysreflexia", edition.audience),
        edition,
        paper,
        library.brand,
        topic_dir=root / "handouts",
        brand_dir=root / "brands",
    )


@pytest.mark.parametrize(
    "edition_id, paper",
    [
        ("patient-large-print", "letter"),
        ("patient-large-print", "a4"),
        ("sci-large-print", "letter"),
        ("sci-large-print", "a4"),
        ("patient", "letter"),
        ("sci", "a4"),
    ],
)
def test_page_1_holds_what_to_do_the_number_and_step_1_with_a_clinics_long_name_address_and_logo(
    edition_id, paper, tmp_path
):
    from handoutkit.content.library import load_library
    from handoutkit.editions.select import view_of

    root = ad_project(tmp_path, LONG_BRAND)
    path = tmp_path / "ad.pdf"
    path.write_bytes(render(root, edition_id, paper))
    first = page_texts(path)[0]
    library = load_library(root, root / "brands" / "clinic.yaml")
    view = view_of(library, "autonomic-dysreflexia", next(e for e in library.editions if e.id == edition_id).audience)
    urgent = next(s for s in view.sections if s.urgent)
    steps = next(b for b in urgent.blocks if type(b).__name__ == "Steps")
    step_1 = " ".join(str(getattr(steps.steps[0], "text", steps.steps[0])).split())
    assert urgent.title in first and "Emergency number: 911" in first
    words = step_1.split()
    assert " ".join(words[:4]) in first and " ".join(words[-3:]) in first, (step_1, first)  # all of step 1


def test_a_brand_that_leaves_no_room_on_page_1_is_refused_not_printed(tmp_path, capsys):
    root = ad_project(tmp_path, HUGE_BRAND)
    out = tmp_path / "out"
    status = main(
        [
            "build",
            "--root",
            str(root),
            "--brand",
            str(root / "brands" / "clinic.yaml"),
            "--out",
            str(out),
            "--edition",
            "patient-large-print",
            "--paper",
            "letter",
        ]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert (
        "handouts/autonomic-dysreflexia.yaml:1:1: sections: expected 'What to do right now' whole on page 1 of "
        "the patient-large-print edition (letter): its heading with the emergency number and its first step; "
        "found "
    ) in err and "(on page 2)" in err
    assert not list(out.rglob("*.pdf"))


# ----- everything printed lies inside the page or card -----------------------------------


def test_a_write_in_label_too_long_for_the_card_is_refused(tmp_path, capsys):
    root = sprain(
        tmp_path, CARD.replace("My usual BP", "My usual blood pressure when I am sitting up and resting at home")
    )
    status, err = run(root, capsys, "build", "--out", str(tmp_path / "out"))
    assert status == 1
    assert (
        "handouts/sprain.yaml:1:1: wallet_card.front.write_in[1]: expected everything printed inside the page of "
        "the wallet-card edition (id-1), clear of the card's 3 mm margin, found 'My usual blood pressure when I am "
        "sitting up and resting at ...' running"
    ) in "\n".join(err)
    assert not (tmp_path / "out" / "handouts" / "sprain" / "sprain--wallet-card--id-1.pdf").exists()


def test_a_reviewer_too_long_for_the_header_is_refused_where_the_record_says_it(tmp_path, capsys, monkeypatch):
    root = sprain(tmp_path)
    approve(root, monkeypatch, "sprain", "2026-12-01")
    record = root / "approvals" / "sprain.json"
    data = json.loads(record.read_text())
    data["reviewer"] = "Professor Alexandra Catherine Montgomery-Worthington, MD PhD, FRCPC, Physical Medicine"
    record.write_text(json.dumps(data))
    status, err = run(root, capsys, "build", "--edition", "patient", "--out", str(tmp_path / "out"))
    assert status == 1
    assert any(
        line.startswith(
            "approvals/sprain.json:1:1: reviewer: expected everything printed inside the page of "
            "the patient edition (letter), clear of the 0.5 in a printer leaves blank, found "
            "'Reviewed by Professor"
        )
        and "past the top edge on page 1" in line
        for line in err
    ), err


def test_a_word_too_long_for_the_line_is_refused(tmp_path, capsys):
    root = project(tmp_path, decks=False)
    edit(root / "handouts" / "minimal.yaml", "A plain paragraph.", "A plain " + "Pneumonoultramicroscopic" * 5 + ".")
    status, err = run(root, capsys, "build", "--edition", "patient", "--paper", "letter")
    assert status == 1
    assert any(
        line.startswith(
            "handouts/minimal.yaml:1:1: sections[0].blocks[0].paragraph: expected everything printed inside the page"
        )
        and "past the right edge on page 1" in line
        for line in err
    ), err


def test_a_wallet_card_side_with_nothing_for_its_audience_is_refused(tmp_path, capsys):
    card = CARD.replace(
        "      - bullets: [Check the ankle for a break.]\n",
        "      - bullets: [Check the ankle for a break.]\n        for: [clinician]\n",
    )
    status, err = run(sprain(tmp_path, card), capsys, "check")
    assert (status, err) == (
        1,
        [
            (
                "handouts/sprain.yaml:64:7: wallet_card.back.blocks: expected at least one block the patient wallet card "
                "prints, found none: every block of this side is for other audiences, so the side would print empty"
            ),
            "1 problem found.",
        ],
    )
    every_item = CARD.replace(
        "      - bullets: [Check the ankle for a break.]\n",
        "      - bullets: [{text: Check the ankle for a break., for: [clinician]}]\n",
    )
    status, err = run(sprain(tmp_path / "2", every_item), capsys, "check")
    assert status == 1 and err[0].startswith(
        "handouts/sprain.yaml:64:7: wallet_card.back.blocks: expected at least one"
    )


# ----- each gate reads every audience's wording; new's placeholders; numbers ----------------


@pytest.mark.parametrize(
    "urgency, wording, words",
    [
        ("soon", "{default: Tell your team at your next visit., sci: Call your team right away.}", "right away"),
        ("soon", "{default: Tell your team at your next visit., patient: Go to the emergency room.}", "emergency"),
        (
            "emergency",
            "{default: Call an ambulance now., clinician: Refer at the next appointment.}",
            "next appointment",
        ),
        ("today", "{default: Call your care team today., student: Call an ambulance.}", "ambulance"),
    ],
)
def test_the_help_tier_gate_reads_every_audiences_wording(urgency, wording, words, tmp_path, capsys):
    root = sprain(tmp_path)
    topic = root / "handouts" / "sprain.yaml"
    edit(topic, "    urgency: today\n", f"    urgency: {urgency}\n")
    edit(topic, "    action: Call your care team today.\n", f"    action: {wording}\n")
    main(["check", "--root", str(root)])
    assert f"the action says '{words}', but urgency '{urgency}'" in capsys.readouterr().err


def test_every_line_new_writes_for_the_author_to_replace_is_refused(tmp_path, capsys):
    import re

    import yaml

    from handoutkit.content.texts import PLACEHOLDERS
    from handoutkit.scaffold import TEMPLATE

    data = yaml.safe_load(TEMPLATE.format(id="x", title="X", today="2026-01-01", due="2027-01-01"))

    def strings(value):
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return [value] if isinstance(value, str) else []

    instructions = {s for s in strings(data) if re.match(r"(Write|Say|Copy|Tell)\b|FIRST-", s)}
    assert instructions == set(PLACEHOLDERS)  # both ways: a line added to the template is refused too
    root = project(tmp_path, decks=False)
    (root / "handouts" / "minimal.yaml").unlink()
    assert main(["new", "pressure-injuries", "--root", str(root)]) == 0
    capsys.readouterr()
    status, err = run(root, capsys, "check")
    assert status == 1
    for step in ("Write the first thing to do, starting with a verb.", "Write the next thing to do."):
        assert any(f"found the placeholder {step!r}" in line for line in err), step


@pytest.mark.parametrize(
    "field, written, message",
    [
        ("filled", "yes", "figures[0].filled: expected a number, found 'yes', which YAML reads as true"),
        ("filled", "on", "figures[0].filled: expected a number, found 'on', which YAML reads as true"),
        ("possible", "true", "figures[0].possible: expected a number, found true"),
        ("possible", "no", "figures[0].possible: expected a number, found 'no', which YAML reads as false"),
    ],
)
def test_a_yes_or_no_is_never_taken_as_a_count(field, written, message, tmp_path, capsys):
    root = sprain(tmp_path)
    values = {"filled": "2", "possible": "1"} | {field: written}
    edit(
        root / "handouts" / "sprain.yaml",
        "figures:\n",
        f"""figures:
  - id: odds
    diagram: icon-array
    filled: {values["filled"]}
    possible: {values["possible"]}
    total: 10
    alt: People.
    cites: [src]
""",
    )
    status, err = run(root, capsys, "check")
    assert status == 1 and any(line.endswith(message) for line in err), err


# ===== 2. No output looks current when it is not ================================================


def test_a_topic_that_fails_to_load_leaves_no_other_topics_corrected_handout_stale(tmp_path, capsys):
    root = project(tmp_path, topics=("minimal", "second", "third"), decks=False)
    assert main(["build", "--root", str(root)]) == 0
    edit(root / "handouts" / "second.yaml", "A plain paragraph.", "A corrected paragraph.")  # the correction
    edit(root / "handouts" / "third.yaml", "title: Minimal topic", "title: [Minimal topic")  # a typo elsewhere
    capsys.readouterr()
    assert main(["build", "--root", str(root)]) == 1
    left = pdfs(root)
    assert left == [
        f"handouts/minimal/minimal--{e}--{p}.pdf" for e in ("clinician", "patient") for p in ("a4", "letter")
    ]
    assert sorted(p for p in manifest(root) if p.startswith("handouts/")) == left
    edit(root / "handouts" / "third.yaml", "title: [Minimal topic", "title: Minimal topic")
    assert main(["build", "--root", str(root)]) == 0
    assert "A corrected paragraph." in " ".join(
        page_texts(root / "dist" / "handouts" / "second" / "second--patient--letter.pdf")
    )


@pytest.mark.parametrize("how", ["deleted", "renamed", "emptied"])
def test_a_topic_gone_while_a_deck_still_lists_it_leaves_dist(how, tmp_path, capsys):
    root = project(tmp_path, topics=("minimal", "second"))
    edit(root / "decks" / "minimal-students.yaml", "topics: [minimal]", "topics: [minimal, second]")
    assert main(["build", "--root", str(root)]) == 0
    topic = root / "handouts" / "second.yaml"
    if how == "deleted":
        topic.unlink()
    elif how == "renamed":
        topic.rename(root / "handouts" / "later.yaml")
        edit(root / "handouts" / "later.yaml", "id: second", "id: later")
    else:  # a file the build cannot read any more
        topic.write_text("")
    capsys.readouterr()
    assert main(["build", "--root", str(root)]) == 1
    assert "decks/minimal-students.yaml" in capsys.readouterr().err or how == "emptied"
    assert not [p for p in pdfs(root) if p.startswith("handouts/second/")]
    assert not [p for p in manifest(root) if "second" in p]
    assert "decks/minimal-students.apkg" not in manifest(root)  # it lists the topic: withdrawn too
    assert [p for p in pdfs(root) if p.startswith("handouts/minimal/")] != []


def same_size_edit_keeping_the_time(path: Path) -> None:  # cp -p
    st = path.stat()
    path.write_text(path.read_text().replace("A plain paragraph.", "A plain Paragraph."))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def replaced_by_a_copy_with_the_old_time(path: Path) -> None:  # rsync -a: a new file renamed over the old
    st = path.stat()
    temp = path.with_name(".minimal.yaml.tmp")
    temp.write_text(path.read_text().replace("A plain paragraph.", "A plain paragraphs"))
    os.utime(temp, ns=(st.st_atime_ns, st.st_mtime_ns))
    temp.rename(path)


def made_readable_again(path: Path) -> None:
    path.chmod(0o644)


@pytest.mark.parametrize("events", ["inotify", "polling"])
@pytest.mark.parametrize(
    "change", [same_size_edit_keeping_the_time, replaced_by_a_copy_with_the_old_time, made_readable_again]
)
def test_watch_sees_changes_that_keep_the_size_and_time(change, events, tmp_path, monkeypatch, stop):
    """inotify reports each (watchfiles passes it on); watchfiles' poller compares mtimes only, and watch's fallback
    (the change time, which no tool sets back) sees them there."""
    from handoutkit.make.watch import watch

    monkeypatch.setenv("WATCHFILES_FORCE_POLLING", "1" if events == "polling" else "false")
    root = project(tmp_path, decks=False)
    path = root / "handouts" / "minimal.yaml"
    if change is made_readable_again:
        path.chmod(0o000)
    time.sleep(0.05)  # the kernel stamps change times by its clock tick: a change in the same tick looks alike
    told, old = [], path.stat()

    def rebuild():
        if not told:
            change(path)
        stop.quiet_for(1.5)

    watch(root, rebuild, on_change=told.append, stop_event=stop)
    new = path.stat()
    assert (old.st_mtime_ns, old.st_size) == (new.st_mtime_ns, new.st_size)  # what an mtime-and-size test would see
    assert told == [[path]]


def test_watch_rebuilds_a_same_size_edit_that_kept_its_time(tmp_path, stop):
    from handoutkit.make.pipeline import build
    from handoutkit.make.plan import Selection
    from handoutkit.make.uptodate import BuildOptions
    from handoutkit.make.watch import watch

    root = project(tmp_path, decks=False)
    topic = root / "handouts" / "minimal.yaml"
    options = BuildOptions(root=root, out=root / "dist", selection=Selection(editions=("patient",), papers=("letter",)))
    reports = []

    def rebuild():
        reports.append(build(options))
        if len(reports) == 1:
            same_size_edit_keeping_the_time(topic)
        stop.quiet_for(1.5)

    watch(root, rebuild, stop_event=stop)
    assert len(reports) == 2
    assert "A plain Paragraph." in " ".join(
        page_texts(root / "dist" / "handouts" / "minimal" / "minimal--patient--letter.pdf")
    )


# ===== 3. watch never dies and never loses a save ==============================================


def test_a_save_while_another_build_holds_the_folder_is_built_when_it_is_done(tmp_path, capsys, stop):
    from handoutkit.cli import rebuild_quietly
    from handoutkit.make.lock import build_lock
    from handoutkit.make.plan import Selection
    from handoutkit.make.uptodate import BuildOptions
    from handoutkit.make.warm import WarmState
    from handoutkit.make.watch import watch

    root = project(tmp_path, decks=False)
    options = BuildOptions(root=root, out=root / "dist", selection=Selection(editions=("patient",), papers=("letter",)))
    warm, polls = WarmState(options), []
    other_build, released = build_lock(options.out), threading.Event()

    def rebuild():
        polls.append(time.monotonic())
        if len(polls) == 1:
            rebuild_quietly(options, warm)
            other_build.__enter__()  # `build.py` starts in another terminal and holds dist/
            edit(root / "handouts" / "minimal.yaml", "A plain paragraph.", "A paragraph saved meanwhile.")
            return None
        if len(polls) == 4:
            other_build.__exit__(None, None, None)  # it finishes
            released.set()
            stop.quiet_for(1.5)
        return rebuild_quietly(options, warm)

    try:
        watch(root, rebuild, on_change=warm.saw, stop_event=stop)
    finally:
        warm.close()
        if not released.is_set():
            other_build.__exit__(None, None, None)
    err = capsys.readouterr().err
    assert err.count("is writing to") == 1 and "watch builds again as soon as it has finished" in err
    text = " ".join(page_texts(root / "dist" / "handouts" / "minimal" / "minimal--patient--letter.pdf"))
    assert "A paragraph saved meanwhile." in text


@pytest.mark.parametrize("error", ["usage", "disk-full", "bug"])
def test_no_error_a_build_meets_ends_watch(error, tmp_path, capsys, stop):
    import errno

    from handoutkit.errors import OutputError, UsageError
    from handoutkit.make.watch import watch

    root = project(tmp_path, decks=False)
    raised = {
        "usage": UsageError("unknown topic 'renamed'"),
        "disk-full": OutputError(root / "dist" / "x.pdf", OSError(errno.ENOSPC, "No space left on device")),
        "bug": ZeroDivisionError("division by zero"),
    }[error]
    calls = []

    def rebuild():
        calls.append(1)
        stop.quiet_for(1.5)
        if len(calls) == 1:
            edit(root / "handouts" / "minimal.yaml", "A plain paragraph.", "Another paragraph.")
            raise raised

    watch(root, rebuild, stop_event=stop)
    assert len(calls) == 2  # the save after the error was built
    err = capsys.readouterr().err
    assert {
        "usage": "build.py: error: unknown topic 'renamed'",
        "disk-full": "No space left on device; free some space",
        "bug": "ZeroDivisionError: division by zero",
    }[error] in err


def start_watch(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, Path, Path]:
    """`watch` run as an author runs it, on a copy of the program (so its code can be edited here)."""
    code = tmp_path / "code"
    shutil.copytree(REPO / "handoutkit", code / "handoutkit", ignore=shutil.ignore_patterns("__pycache__"))
    root = project(tmp_path, decks=False)
    env = dict(os.environ, PYTHONPATH=str(code), PYTHONDONTWRITEBYTECODE="1")
    env.pop("HANDOUTKIT_WATCH_PARENT", None)
    log = tmp_path / "watch.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from handoutkit.cli import main; sys.exit(main(sys.argv[1:]))",
            "watch",
            "--root",
            str(root),
            "--jobs",
            "2",
            *extra,
        ],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
        cwd=tmp_path,
    )
    wait_for(log, "watching for changes", 1)
    return process, code / "handoutkit", log


def wait_for(log: Path, text: str, count: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if log.read_text().count(text) >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} x{count} not in:\n{log.read_text()[-3000:]}")


def group(pgid: int) -> list[tuple[int, str]]:
    """(pid, state) of every process in the watch's process group."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                fields = stat[stat.rindex(")") + 2 :].split()
                if int(fields[2]) == pgid:
                    found.append((int(entry.name), fields[0]))
            except (OSError, ValueError, IndexError):
                pass
    return found


def test_watch_waits_out_a_half_saved_code_file_comes_back_and_leaves_no_zombie(tmp_path):
    process, code, log = start_watch(tmp_path)
    try:
        plan = code / "make" / "plan.py"
        whole = plan.read_text()
        for n in range(1, 4):  # three restarts after code changes
            plan.write_text(whole + f"\n# change {n}\n")
            wait_for(log, "watching for changes", n + 1)
        plan.write_text(whole + "\ndef half_saved(:\n")  # the editor has written part of the file
        wait_for(log, "expected Python code that compiles", 1)
        plan.write_text(whole + "\nNOT_YET = undefined_name\n")  # compiles, fails on import
        wait_for(log, "it starts again when the code changes", 1)
        assert process.poll() is None
        plan.write_text(whole)  # fixed
        wait_for(log, "watching for changes", 5)
        time.sleep(1.5)
        assert [pid for pid, state in group(process.pid) if state == "Z"] == []
        text = log.read_text()
        said = next(line for line in text.splitlines() if "expected Python code that compiles" in line)
        assert said.startswith("handoutkit/make/plan.py:") and said.endswith(
            ": expected Python code that compiles, found invalid syntax; watch starts again when the code compiles"
        )
        assert "Traceback" not in text[: text.index(said)]  # the half-saved file: one line, no traceback
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
        status = process.wait(timeout=30)
    assert status == 130
    time.sleep(1)
    assert group(process.pid) == []


@pytest.mark.parametrize(
    "how, status, said",
    [
        ("SIGTERM", 143, "Stopped (SIGTERM); earlier outputs are intact.\n"),
        ("Ctrl-C", 130, "Interrupted; earlier outputs are intact.\n"),
    ],
)
def test_a_stopped_watch_says_so_and_leaves_no_process_behind(how, status, said, tmp_path):
    """Stopped while it waits for a save (in watchfiles, which reports any signal as Ctrl-C) and its warm workers
    start: the child says which stop it was, and neither it, its workers nor the parent is left."""
    process, _, log = start_watch(tmp_path)
    time.sleep(0.3)
    if how == "Ctrl-C":
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM)  # to the parent alone, as a service manager does
    assert process.wait(timeout=30) == status
    text = log.read_text()
    assert text.endswith(said) and "Traceback" not in text, text
    time.sleep(1)
    assert group(process.pid) == []


# ===== 4. No traceback and no hang ===========================================================


@pytest.mark.parametrize(
    "damage", ["no-topic", "no-path", "bytes-as-text", "entry-is-text", "paper-is-a-number", "outputs-not-a-list"]
)
def test_a_damaged_manifest_is_rebuilt_around_not_a_traceback(damage, tmp_path, capsys):
    root = project(tmp_path, decks=False)
    assert main(["build", "--root", str(root)]) == 0
    path = root / "dist" / "manifest.json"
    data = json.loads(path.read_text())
    entry = next(e for e in data["outputs"] if e["kind"] == "pdf")
    if damage == "no-topic":
        del entry["topic"]
    elif damage == "no-path":
        del entry["path"]
    elif damage == "bytes-as-text":
        entry["bytes"] = str(entry["bytes"])
    elif damage == "entry-is-text":
        data["outputs"].append("handouts/x.pdf")
    elif damage == "paper-is-a-number":
        entry["paper"] = 4
    else:
        data["outputs"] = {"a": 1}
    path.write_text(json.dumps(data))
    assert main(["report", "--root", str(root)]) == 0
    assert main(["build", "--root", str(root)]) == 0
    capsys.readouterr()
    assert main(["build", "--root", str(root)]) == 0
    assert "built 0," in capsys.readouterr().out  # whole again
    assert all(isinstance(e.get("topic"), str) for e in manifest(root).values() if e["kind"] == "pdf")


PIPES = [
    "handouts/piped.yaml",
    "editions.yaml",
    "brands/default.yaml",
    "approvals/minimal.json",
    "decks/minimal-students.lock.json",
    "medical-terms.txt",
]


@pytest.mark.parametrize("where", PIPES)
def test_a_named_pipe_among_the_sources_is_a_message_not_a_hang(where, tmp_path):
    root = project(tmp_path)
    target = root / where
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    for command in ("check", "build"):
        result = subprocess.run(
            [sys.executable, str(REPO / "build.py"), command, "--root", str(root)],
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 1, (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert "expected a regular file, found a named pipe" in result.stderr, result.stderr


@pytest.mark.parametrize("name", [".#minimal.yaml", ".minimal.yaml", ".#minimal-students.yaml"])
def test_an_editors_lock_link_or_hidden_copy_is_no_source(name, tmp_path, capsys):
    root = project(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    folder = root / ("decks" if "students" in name else "handouts")
    if name.startswith(".#"):
        (folder / name).symlink_to("user@host.12345:1764000000")  # Emacs's lock: a link to nowhere
    else:
        (folder / name).write_text("half: [an editor's copy")
    before = manifest(root)
    capsys.readouterr()
    assert main(["build", "--root", str(root)]) == 0
    assert "built 0," in capsys.readouterr().out
    assert manifest(root) == before
    assert main(["check", "--root", str(root)]) == 0


@pytest.mark.parametrize("gone", ["the-topic-folder", "the-pdfs", "the-whole-handouts-folder"])
def test_removing_a_topic_whose_outputs_were_already_deleted_by_hand(gone, tmp_path, capsys):
    root = project(tmp_path, topics=("minimal", "second"), decks=False)
    assert main(["build", "--root", str(root)]) == 0
    target = {
        "the-topic-folder": root / "dist" / "handouts" / "second",
        "the-pdfs": None,
        "the-whole-handouts-folder": root / "dist" / "handouts",
    }[gone]
    if target is None:
        for pdf in (root / "dist" / "handouts" / "second").glob("*.pdf"):
            pdf.unlink()
    else:
        shutil.rmtree(target)
    (root / "handouts" / "second.yaml").unlink()
    assert main(["build", "--root", str(root)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert not [p for p in manifest(root) if "second" in p]


@pytest.mark.parametrize("out", ["templates", "templates/sheets", ".", ".."])
def test_review_sheet_writes_only_where_a_build_may(out, tmp_path, capsys):
    root = project(tmp_path, decks=False)
    status = main(["review-sheet", "minimal", "--root", str(root), "--out", str(root / out)])
    assert status == 2
    assert capsys.readouterr().err.startswith("build.py: error: --out ")
    assert not list(root.rglob("review-sheets"))


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--topic"],
        ["build", "--edition"],
        ["review-sheet"],
        ["new"],
        ["approve", "--reviewer", "Dr A", "--"],
        ["check", "--brand"],
    ],
)
def test_a_long_unknown_name_is_echoed_cut_on_one_line(args, tmp_path, capsys):
    root = project(tmp_path, decks=False)
    long = "a" * 5000
    main([*args, long, "--root", str(root)] if args[-1] != "--" else [*args[:-1], "--root", str(root), long])
    err = capsys.readouterr().err
    assert err and long not in err and max(map(len, err.splitlines())) < 400


@pytest.mark.parametrize("command", ["build", "check", "watch"])
@pytest.mark.parametrize("brand", ["brands/nope.yaml", "brands"])
def test_a_mistyped_brand_is_a_usage_error_that_leaves_dist_alone(command, brand, tmp_path, capsys):
    root = project(tmp_path, decks=False)
    assert main(["build", "--root", str(root)]) == 0
    before = sorted(p.relative_to(root) for p in (root / "dist").rglob("*"))
    capsys.readouterr()
    assert main([command, "--root", str(root), "--brand", str(root / brand)]) == 2
    found = "a folder" if brand == "brands" else "nothing"
    assert capsys.readouterr().err == (
        f"build.py: error: --brand '{root / brand}': expected a brand file (YAML), found {found}\n"
    )
    assert sorted(p.relative_to(root) for p in (root / "dist").rglob("*")) == before


def test_a_title_too_long_for_the_footer_line_is_refused_as_the_title(tmp_path, capsys):
    """The footer prints 'title · edition label' on one line; a long title wraps it past the bottom edge, and
    the words found there are the edition label's: the problem still names the title, the field to shorten."""
    root = project(tmp_path, decks=False)
    editions = root / "editions.yaml"
    editions.write_text(
        editions.read_text()
        + "  - {id: patient-large-print, label: 'Patient edition, large print', audience: patient, large_print: true, "
        "body_pt: 18, gates: *quiet}\n"
    )
    long_title = "Minimal topic, a title long enough to wrap the footer"  # 53 characters
    edit(root / "handouts" / "minimal.yaml", "title: Minimal topic", f"title: {long_title}")
    status, err = run(root, capsys, "build", "--edition", "patient-large-print", "--paper", "letter")
    assert status == 1
    placement = [line for line in err if "expected everything printed inside the page" in line]
    assert placement and all(
        line.startswith("handouts/minimal.yaml:1:1: title: expected everything printed inside the page")
        and "past the bottom edge" in line
        for line in placement
    ), err

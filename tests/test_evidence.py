"""Evidence a reviewer can check (issue 20): quotes, the number gate, named facts, approval bound to text.

Small topics written here pin the exact messages; the real topics show the same
gates and the approval cycle as an author and a clinic meet them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pymupdf
import pytest
import yaml

from handoutkit.cli import main
from handoutkit.content.claims import claims_of
from handoutkit.content.library import load_library
from handoutkit.content.numbers import stated
from handoutkit.content.source import load_document

ROOT = Path(__file__).resolve().parents[1]
REAL_BRAND = (
    "name: Riverside Rehabilitation Clinic\nphone: 555-0134\naddress: 1 River Road, Springfield\n"
    'website: riverside.example.org\nemergency_number: "999"\n'
)

TOPIC = """\
id: knee
title: Knee pain
pronunciation:
  respelling: NEE payn
summary: Knee pain often gets better with rest.
facts:
  ice-time:
    text: {default: for 15 minutes, clinician: for 15 to 20 minutes}
    cites:
      - source: src
        quote: "Apply ice for 15 to 20 minutes at a time."
        where: Section 2
sections:
  - id: now
    title: What to do now
    urgent: true
    blocks:
      - steps:
          - text: Put ice on your knee [[ice-time]].
            cites: [{source: src, quote: "Ice helps swelling."}]
          - text: Rest it for 2 days.
            cites:
              - source: src
                quote: "Rest the joint for two days."
        cites: [src]
  - id: about
    title: About knee pain
    blocks:
      - paragraph: About 3 in 10 adults have knee pain.
        cites:
          - source: src
            quote: "Roughly 30 percent of adults report knee pain; 3 in 10."
      - paragraph: Seven in 10 do not.
        derived: "7 in 10 is 10 minus 3"
        cites: [src]
red_flags:
  - id: hot
    urgency: today
    sign: Your knee is hot and red.
    action: Call your care team today.
    cites: [{source: src, quote: "A hot, red joint needs a doctor the same day."}]
questions:
  - What can I take for the pain?
sources:
  - id: src
    title: Knee pain
    publisher: A publisher
    url: https://example.org/knee
    accessed: 2026-11-23
review:
  status: draft
  next_due: 2027-11-23
"""


def project(tmp_path: Path, topic: str = TOPIC, brand: str | None = None) -> Path:
    root = tmp_path / "project"
    (root / "handouts").mkdir(parents=True)
    (root / "brands").mkdir()
    for name in ("editions.yaml", "medical-terms.txt"):
        shutil.copy(ROOT / name, root / name)
    shutil.copy(ROOT / "brands" / "default.yaml", root / "brands" / "default.yaml")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "handouts" / "knee.yaml").write_text(topic)
    if brand:
        (root / "brands" / "default.yaml").write_text(brand)
    return root


def check(root: Path, capsys, *extra: str) -> tuple[int, list[str]]:
    code = main(["check", "--root", str(root), *extra])
    return code, [line for line in capsys.readouterr().err.splitlines() if not line.startswith("evidence gates")]


# ----- the gates, with exact messages ------------------------------------------------


def test_a_quoted_topic_passes_and_its_fact_prints_in_each_audience_wording(tmp_path, capsys):
    root = project(tmp_path)
    assert check(root, capsys)[0] == 0
    topic = load_library(root).topics["knee"]
    step = topic.sections[0].blocks[0].steps[0]
    assert step.text.default == "Put ice on your knee for 15 minutes."
    assert step.text.clinician == "Put ice on your knee for 15 to 20 minutes."
    assert [c.quote for c in step.cites][
        -1
    ] == "Apply ice for 15 to 20 minutes at a time."  # the fact's source comes along


def test_a_number_absent_from_its_quotes_is_refused_where_it_stands(tmp_path, capsys):
    root = project(tmp_path, TOPIC.replace("Rest it for 2 days.", "Rest it for 3 days."))
    code, err = check(root, capsys)
    assert code == 1
    assert err[0] == (
        "handouts/knee.yaml:21:19: sections[0].blocks[0].steps[1].text: expected every number to stand "
        "in one of its quotes, found 3 not in its quotes (src); quote the words that give it, or say "
        'how it is derived: derived: "..."'
    )


def test_a_number_in_one_audience_wording_is_checked_too(tmp_path, capsys):
    changed = TOPIC.replace(
        "      - paragraph: About 3 in 10 adults have knee pain.",
        "      - paragraph: {default: About 3 in 10 adults have knee pain., clinician: About 35% of adults.}",
    )
    code, err = check(project(tmp_path, changed), capsys)
    assert code == 1
    assert err[0].startswith(
        "handouts/knee.yaml:29:79: sections[1].blocks[0].paragraph.clinician: expected every "
        "number to stand in one of its quotes, found 35 not in its quotes (src)"
    )


def test_a_red_flag_and_an_urgent_step_need_a_quote_not_a_bare_id(tmp_path, capsys):
    changed = TOPIC.replace(
        '    cites: [{source: src, quote: "A hot, red joint needs a doctor the same day."}]', "    cites: [src]"
    )
    changed = changed.replace('            cites: [{source: src, quote: "Ice helps swelling."}]\n', "")
    code, err = check(project(tmp_path, changed), capsys)
    assert code == 1
    assert err[:2] == [
        "handouts/knee.yaml:19:13: sections[0].blocks[0].steps[0]: expected at least one quote on an urgent step, "
        "found only source ids (src); a reviewer must see the source's words: cites: [{source: ID, quote: "
        '"the source\'s own words", where: "section or page"}]',
        "handouts/knee.yaml:36:5: red_flags[0]: expected at least one quote on a red flag, found only source ids "
        "(src); a reviewer must see the source's words: cites: [{source: ID, quote: \"the source's own words\", "
        'where: "section or page"}]',
    ]


def test_an_unknown_fact_is_refused_and_a_fact_cannot_use_another(tmp_path, capsys):
    changed = TOPIC.replace("[[ice-time]]", "[[ice-tme]]").replace("for 15 minutes,", "'[[ice-time]] long',")
    code, err = check(project(tmp_path, changed), capsys)
    assert code == 1
    assert (
        "handouts/knee.yaml:8:21: facts.ice-time.text.default: expected a fact's own words, found [[ice-time]]; "
        "a fact cannot use another fact" in err
    )
    assert (
        "handouts/knee.yaml:19:19: sections[0].blocks[0].steps[0].text: unknown fact 'ice-tme' in [[ice-tme]]; "
        "expected one of ice-time" in err
    )


def test_a_quote_of_an_unknown_source_and_an_overlong_quote_are_refused(tmp_path, capsys):
    long = TOPIC.replace('quote: "Rest the joint for two days."', 'quote: "' + "word " * 70 + '"')
    code, err = check(project(tmp_path / "long", long), capsys)
    assert code == 1
    assert (
        "handouts/knee.yaml:24:24: sections[0].blocks[0].steps[1].cites[0].quote: expected a quote of at most "
        "300 characters (the words that support the claim), found 349" in err
    )
    unknown = TOPIC.replace('{source: src, quote: "Ice helps', '{source: scr, quote: "Ice helps')
    code, err = check(project(tmp_path / "unknown", unknown), capsys)
    assert code == 1
    assert (
        "handouts/knee.yaml:20:30: sections[0].blocks[0].steps[0].cites[0].source: unknown source 'scr'; "
        "expected one of src" in err
    )


@pytest.mark.parametrize(
    ("sentence", "quote", "ok"),
    [
        ("every 1-2 minutes", "every 1 to 2 minutes", True),
        ("every 1 to 2 minutes", "every 1–2 minutes", True),
        ("twenty people", "20 people", True),
        ("20 people", "twenty people", True),
        ("2 in 10", "20 percent", False),
        ("85%", "85 percent of episodes", True),
        ("at or above T6", "injury at T6 or above", True),
        ("at or above T6", "injury at the sixth thoracic level (6)", False),
        ("150 mmHg", "150 mm Hg", True),
        ("1,000 people", "1000 people", True),
        ("Do one thing at a time.", "nothing numeric", True),
    ],
)
def test_numbers_are_compared_after_normalising_the_obvious(sentence, quote, ok):
    assert (stated(sentence) <= stated(quote, quote=True)) is ok


# ----- approval bound to text, on a small topic -------------------------------------


def approve(root: Path, monkeypatch, topic: str = "knee", day: str = "2026-12-05") -> None:
    monkeypatch.setenv("HANDOUTKIT_TODAY", day)
    assert main(["approve", topic, "--root", str(root), "--reviewer", "Dr Ana Ortiz, PM&R"]) == 0
    monkeypatch.delenv("HANDOUTKIT_TODAY")


def test_approval_survives_an_id_rename_but_not_a_reworded_claim(tmp_path, monkeypatch, capsys):
    root = project(tmp_path, brand=REAL_BRAND)
    approve(root, monkeypatch)
    record = json.loads((root / "approvals" / "knee.json").read_text())
    assert record["reviewer"] == "Dr Ana Ortiz, PM&R" and record["approved"] == "2026-12-05"
    assert record["fingerprint"].startswith("sha256:")
    assert check(root, capsys, "--release")[0] == 0

    path = root / "handouts" / "knee.yaml"
    path.write_text(path.read_text().replace("id: hot", "id: hot-knee"))  # an id is no claim
    assert load_library(root).topics["knee"].review.status == "approved"

    path.write_text(path.read_text().replace("Your knee is hot and red.", "Your knee is hot, red and swollen."))
    assert load_library(root).topics["knee"].review.status == "changed"
    code, err = check(root, capsys, "--release")
    assert code == 1
    assert err[0] == (
        "handouts/knee.yaml:37:5: red_flags[0]: expected the approved text, found a claim changed "
        "since it was approved by Dr Ana Ortiz, PM&R on 2026-12-05; approve the topic again"
    )

    path.write_text(path.read_text().replace("Your knee is hot, red and swollen.", "Your knee is hot and red."))
    assert check(root, capsys, "--release")[0] == 0  # the undone edit is the approved text again


def test_release_refuses_an_overdue_review_and_report_shows_every_state(tmp_path, monkeypatch, capsys):
    root = project(tmp_path, brand=REAL_BRAND)
    approve(root, monkeypatch)
    monkeypatch.setenv("HANDOUTKIT_TODAY", "2027-12-01")
    code, err = check(root, capsys, "--release")
    assert code == 1
    assert (
        "handouts/knee.yaml:52:13: review.next_due: expected a review date still ahead for a release, found "
        "2027-11-23, 8 days ago" in err
    )
    assert main(["report", "--root", str(root)]) == 0
    assert (
        "knee                       approved by Dr Ana Ortiz, PM&R on 2026-12-05; review overdue since 2027-11-23"
        in capsys.readouterr().out
    )


def test_approve_refuses_a_placeholder_reviewer_and_an_unknown_topic(tmp_path, capsys):
    root = project(tmp_path)
    for name in ("TODO", "[name]", "123"):
        assert main(["approve", "knee", "--root", str(root), "--reviewer", name]) == 2
        assert "--reviewer: expected the approving clinician's name" in capsys.readouterr().err
    assert main(["approve", "kne\x1b[31m", "--root", str(root), "--reviewer", "Dr A"]) == 2
    err = capsys.readouterr().err
    assert "unknown topic 'kne\\x1b[31m'" in err and "\x1b" not in err
    assert not (root / "approvals").exists()


def test_a_damaged_record_is_a_message_and_an_approved_status_needs_a_record(tmp_path, monkeypatch, capsys):
    root = project(tmp_path)
    approve(root, monkeypatch)
    (root / "approvals" / "knee.json").write_text("{not json")
    code, err = check(root, capsys)
    assert code == 1 and err[0].startswith(
        "approvals/knee.json:1:1: expected an approval record written by "
        "'build.py approve', found a file that does not read as JSON"
    )
    (root / "approvals" / "knee.json").unlink()
    path = root / "handouts" / "knee.yaml"
    path.write_text(path.read_text().replace("status: draft", "status: approved"))
    code, err = check(root, capsys)
    assert code == 1 and err[0].startswith(
        "handouts/knee.yaml:51:11: review.status: expected an approval record "
        "bound to the text, found none at approvals/knee.json"
    )


# ----- the real topics ------------------------------------------------------------------


def real_copy(tmp_path: Path, topics: tuple[str, ...], brand: str | None = None) -> Path:
    root = tmp_path / "real"
    (root / "handouts").mkdir(parents=True)
    for name in ("editions.yaml", "medical-terms.txt"):
        shutil.copy(ROOT / name, root / name)
    for name in ("brands", "templates"):
        shutil.copytree(ROOT / name, root / name)
    for topic in topics:
        shutil.copy(ROOT / "handouts" / f"{topic}.yaml", root / "handouts")
    if brand:
        (root / "brands" / "default.yaml").write_text(brand)
    return root


def first_numbered_claim(topic):
    for claim in claims_of(topic):
        if claim.quotes() and not claim.derived:
            for loc, _, words in claim.wordings():
                numbers = [n for n in stated(words) if n.isdigit()]
                if numbers:
                    return loc, words, numbers[0]
    raise AssertionError("no quoted claim states a number")


@pytest.mark.parametrize("topic_id", ["autonomic-dysreflexia", "heterotopic-ossification"])
def test_real_topics_pass_the_evidence_gates_and_a_changed_number_is_refused(tmp_path, capsys, topic_id):
    root = real_copy(tmp_path, (topic_id,))
    assert check(root, capsys)[0] == 0
    path = root / "handouts" / f"{topic_id}.yaml"
    doc = load_document(path, f"handouts/{topic_id}.yaml")
    loc, words, number = first_numbered_claim(load_library(root).topics[topic_id])
    line, col = doc.positions.of_value(loc)
    lines = path.read_text().splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(number, "987", 1)
    path.write_text("".join(lines))
    code, err = check(root, capsys)
    assert code == 1
    assert any(e.startswith(f"handouts/{topic_id}.yaml:{line}:{col}: ") and "found 987 not in" in e for e in err), err


def test_a_red_flag_without_a_quote_is_refused_in_the_real_ad_topic(tmp_path, capsys):
    root = real_copy(tmp_path, ("autonomic-dysreflexia",))
    path = root / "handouts" / "autonomic-dysreflexia.yaml"
    data = yaml.safe_load(path.read_text())
    data["red_flags"][0]["cites"] = sorted(
        {c if isinstance(c, str) else c["source"] for c in data["red_flags"][0]["cites"]}
    )
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    line, col = load_document(path, "x").positions.of_value(("red_flags", 0))
    code, err = check(root, capsys)
    assert code == 1
    assert any(
        e.startswith(
            f"handouts/autonomic-dysreflexia.yaml:{line}:{col}: red_flags[0]: expected at least one quote on a red flag"
        )
        for e in err
    ), err


def test_a_fact_on_both_sides_of_the_ad_wallet_card_prints_the_same_words(tmp_path):
    root = real_copy(tmp_path, ("autonomic-dysreflexia",))
    raw = yaml.safe_load((root / "handouts" / "autonomic-dysreflexia.yaml").read_text())
    card = raw["wallet_card"]
    names = set(raw.get("facts", {}))
    both = [n for n in names if f"[[{n}]]" in json.dumps(card["front"]) and f"[[{n}]]" in json.dumps(card["back"])]
    assert both, "no named fact is used on both sides of the wallet card"
    out = root / "dist"
    assert main(["build", "--root", str(root), "--out", str(out), "--edition", "wallet-card"]) == 0
    fact = load_library(root).topics["autonomic-dysreflexia"].facts[both[0]]
    words = fact.text if isinstance(fact.text, str) else (fact.text.patient or fact.text.default)
    with pymupdf.open(
        out / "handouts" / "autonomic-dysreflexia" / "autonomic-dysreflexia--wallet-card--id-1.pdf"
    ) as pdf:
        sides = [" ".join(page.get_text().split()) for page in pdf]
    assert len(sides) == 2 and all(words in side for side in sides), (words, sides)


def test_an_approved_ho_copy_releases_and_one_changed_word_is_named_marked_and_refused(tmp_path, monkeypatch, capsys):
    root = real_copy(tmp_path, ("heterotopic-ossification",), brand=REAL_BRAND)
    approve(root, monkeypatch, "heterotopic-ossification")
    out = root / "dist"
    assert main(["build", "--root", str(root), "--out", str(out), "--release", "--edition", "patient"]) == 0
    capsys.readouterr()

    topic = load_library(root).topics["heterotopic-ossification"]
    flag = topic.red_flags[0]
    path = root / "handouts" / "heterotopic-ossification.yaml"
    doc = load_document(path, "x")
    line = doc.positions.of_value(("red_flags", 0, "sign"))[0]
    lines = path.read_text().splitlines(keepends=True)
    old_words = flag.sign if isinstance(flag.sign, str) else flag.sign.default
    first_word = old_words.split()[0]
    assert first_word in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(first_word, first_word + " now", 1)  # one short word: no gate moves
    path.write_text("".join(lines))

    code, err = check(root, capsys, "--release")
    assert code == 1
    flag_line = doc.positions.of_value(("red_flags", 0))[0]
    assert (
        f"handouts/heterotopic-ossification.yaml:{flag_line}:5: red_flags[0]: expected the approved text, found "
        "a claim changed since it was approved by Dr Ana Ortiz, PM&R on 2026-12-05; approve the topic again" in err
    )

    assert main(["build", "--root", str(root), "--out", str(out), "--edition", "patient", "--paper", "letter"]) == 0
    with pymupdf.open(
        out / "handouts" / "heterotopic-ossification" / "heterotopic-ossification--patient--letter.pdf"
    ) as pdf:
        pages = [" ".join(page.get_text().split()) for page in pdf]
    assert all("CHANGED SINCE REVIEW on 5 December 2026 - not yet re-approved" in p for p in pages)
    assert not any("Reviewed by" in p for p in pages)

    assert main(["review-sheet", "heterotopic-ossification", "--clinical", "--root", str(root)]) == 0
    with pymupdf.open(out / "review-sheets" / "heterotopic-ossification--clinical.pdf") as pdf:
        sheet = " ".join(" ".join(page.get_text().split()) for page in pdf)
    quotes = {" ".join(c.quote.split()) for claim in claims_of(topic) for c in claim.quotes()}
    assert quotes and all(q in sheet for q in quotes), [q for q in quotes if q not in sheet][:3]
    audience = "" if isinstance(flag.sign, str) else " (default)"
    assert "changed since approval" in sheet and f"Approved wording{audience}: {old_words}" in sheet


def test_an_approval_after_a_build_rebuilds_the_pages_with_the_new_stamp(tmp_path, monkeypatch, capsys):
    root = project(tmp_path, brand=REAL_BRAND)
    out, args = root / "dist", ["build", "--root", str(root), "--edition", "patient", "--paper", "letter"]
    pdf = root / "dist" / "handouts" / "knee" / "knee--patient--letter.pdf"
    assert main([*args, "--out", str(out)]) == 0
    with pymupdf.open(pdf) as doc:
        assert "DRAFT - not yet clinically reviewed" in doc[0].get_text()
    approve(root, monkeypatch)
    capsys.readouterr()
    assert main([*args, "--out", str(out)]) == 0
    assert "nothing changed" not in capsys.readouterr().out
    with pymupdf.open(pdf) as doc:
        text = " ".join(doc[0].get_text().split())
    assert "Reviewed by Dr Ana Ortiz, PM&R, 5 December 2026" in text and "DRAFT" not in text


def test_a_partial_topic_builds_with_warnings_but_strict_release_and_approve_refuse_it(tmp_path, monkeypatch, capsys):
    topic = TOPIC.replace("Rest it for 2 days.", "Rest it for 3 days.").replace(
        "  status: draft\n", "  status: draft\n  evidence: partial\n"
    )
    root = project(tmp_path, topic, brand=REAL_BRAND)
    code, err = check(root, capsys)
    assert code == 0
    assert err[0].startswith(
        "handouts/knee.yaml:21:19: sections[0].blocks[0].steps[1].text: expected every number to "
        "stand in one of its quotes, found 3"
    ) and err[0].endswith("[evidence, warning]")
    assert check(root, capsys, "--strict")[0] == 1
    code, err = check(root, capsys, "--release")
    assert code == 1
    assert (
        "handouts/knee.yaml:52:13: review.evidence: expected complete evidence for a release, found partial: 1 claims "
        "lack a quote or state a number not in their quotes" in err
    )
    assert main(["approve", "knee", "--root", str(root), "--reviewer", "Dr Ana Ortiz"]) == 1
    assert "review.evidence: expected complete evidence before approval, found partial" in capsys.readouterr().err
    assert not (root / "approvals").exists()

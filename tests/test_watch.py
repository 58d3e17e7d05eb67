"""The warm watch (build/warm.py): what it keeps between saves, and when it lets go.

Each test drives the watch's two steps directly, as the poll loop does after a
save: `warm.saw(changed paths)`, then a build with the warm state. Behaviour
only; the benchmark times it.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from handoutkit.anki import build as anki_build
from handoutkit.editions import select as select_module
from handoutkit.make import warm as warm_module
from handoutkit.make.pipeline import build
from handoutkit.make.plan import Selection
from handoutkit.make.uptodate import BuildOptions
from handoutkit.make.warm import WarmState
from handoutkit.make.watch import watch

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
PATIENT_LETTER = Selection(editions=("patient",), papers=("letter",))


def make_project(tmp_path: Path) -> Path:
    """The small test project with the real templates and two topics."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", root)
    shutil.copytree(REPO / "templates", root / "templates")
    text = (root / "handouts" / "minimal.yaml").read_text(encoding="utf-8")
    (root / "handouts" / "second.yaml").write_text(text.replace("id: minimal\n", "id: second\n"), encoding="utf-8")
    return root


def pdf_path(root: Path, topic: str, edition: str = "patient", paper: str = "letter") -> Path:
    return root / "dist" / "handouts" / topic / f"{topic}--{edition}--{paper}.pdf"


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def embedded_families(path: Path) -> set[str]:
    """The family names inside the font files a PDF embeds (the PDF's own names follow the CSS)."""
    with pikepdf.open(path) as pdf:
        files = [
            o.FontFile2.read_bytes()
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor" and "/FontFile2" in o
        ]
    return {TTFont(io.BytesIO(data))["name"].getDebugName(1) for data in files}


class Session:
    """One watch session: a warm state and the builds it makes."""

    def __init__(self, root: Path, selection: Selection = PATIENT_LETTER, jobs: int = 1):
        self.options = BuildOptions(root=root, out=root / "dist", selection=selection, jobs=jobs)
        self.warm = WarmState(self.options)
        self.first = self.rebuild([])

    def rebuild(self, changed: list[Path]):
        if changed:
            self.warm.saw(changed)
        report = build(self.options, self.warm)
        self.warm.ready()
        assert report.problems == []
        return report

    def save(self, path: Path, old: str, new: str):
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return self.rebuild([path])


@pytest.fixture
def session(tmp_path):
    s = Session(make_project(tmp_path))
    yield s
    s.warm.close()


def handouts_built(report) -> list[str]:
    """The PDFs a build rendered, in order (the web pages it wrote too are tests/test_web.py's)."""
    return [p for p in report.built if p.startswith("handouts/")]


def counting(monkeypatch, name: str) -> list[str]:
    """Record each call of warm.py's `name` (load_topic or assess_topic) by its topic."""
    calls, original = [], getattr(warm_module, name)

    def wrapper(*args):
        calls.append(Path(args[0]).stem if name == "load_topic" else args[1])
        return original(*args)

    monkeypatch.setattr(warm_module, name, wrapper)
    return calls


def test_a_topic_edit_reloads_gates_and_renders_only_that_topic(session, monkeypatch):
    root = session.options.root
    assert sorted(handouts_built(session.first)) == [
        "handouts/minimal/minimal--patient--letter.pdf",
        "handouts/second/second--patient--letter.pdf",
    ]
    renderer = session.warm.kept.renderer
    loads, gates = counting(monkeypatch, "load_topic"), counting(monkeypatch, "assess_topic")
    selections = []
    original = select_module.select_edition
    monkeypatch.setattr(
        select_module,
        "select_edition",
        lambda topic, audience: (selections.append(topic.id), original(topic, audience))[1],
    )

    report = session.save(root / "handouts" / "second.yaml", "A plain paragraph.", "A saved paragraph.")

    assert handouts_built(report) == ["handouts/second/second--patient--letter.pdf"]
    assert (loads, gates) == (["second"], ["second"])
    assert set(selections) == {"second"}  # the unchanged topic keeps its selections
    assert "A saved paragraph." in pdf_text(pdf_path(root, "second"))
    assert session.warm.kept.renderer is renderer and session.warm.drops == 0


def test_the_file_just_saved_renders_first(tmp_path):
    root = make_project(tmp_path)
    session = Session(root, selection=Selection(papers=("letter",)))
    try:
        for name in ("minimal", "second"):  # both change; second is saved last
            topic = root / "handouts" / f"{name}.yaml"
            topic.write_text(topic.read_text(encoding="utf-8").replace("A plain paragraph.", "A new paragraph."))
        os.utime(root / "handouts" / "minimal.yaml", ns=(10**18, 10**18))
        os.utime(root / "handouts" / "second.yaml", ns=(2 * 10**18, 2 * 10**18))
        report = session.rebuild([root / "handouts" / "minimal.yaml", root / "handouts" / "second.yaml"])
        pdfs = handouts_built(report)
        assert [p.split("/")[1] for p in pdfs] == ["second", "second", "minimal", "minimal"]
    finally:
        session.warm.close()


def test_a_css_change_drops_the_warm_renderer_and_the_next_pdf_shows_it(session):
    root = session.options.root
    renderer = session.warm.kept.renderer
    css = root / "templates" / "handout.css"
    report = session.save(css, "body { margin: 0; }", 'body { margin: 0; }\nbody::before { content: "Styled anew"; }')
    assert "handouts/minimal/minimal--patient--letter.pdf" in report.built
    assert session.warm.drops == 1 and session.warm.kept.renderer is not renderer
    assert "Styled anew" in pdf_text(pdf_path(root, "minimal"))


def test_a_template_change_drops_the_warm_state_and_the_next_pdf_shows_it(session):
    root = session.options.root
    session.save(root / "templates" / "handout.html.j2", "</body>", "<p>Printed by the new template.</p>\n</body>")
    assert session.warm.drops == 1
    assert "Printed by the new template." in pdf_text(pdf_path(root, "second"))


def test_a_font_change_drops_the_warm_state_and_the_next_pdf_uses_the_new_font(session):
    root = session.options.root
    assert embedded_families(pdf_path(root, "minimal")) == {"Atkinson Hyperlegible"}
    fonts = root / "templates" / "fonts"
    # The regular Atkinson file now holds other letters: a warm renderer would keep the old ones.
    shutil.copyfile(
        fonts / "dejavu-sans-handout-subset-regular.ttf", fonts / "atkinson-hyperlegible-latin-400-normal.ttf"
    )
    session.rebuild([fonts / "atkinson-hyperlegible-latin-400-normal.ttf"])
    assert session.warm.drops == 1
    assert "DejaVu Sans Handout Subset" in embedded_families(pdf_path(root, "minimal"))


def test_a_brand_change_drops_the_warm_state_and_the_next_pdf_shows_it(session):
    root = session.options.root
    session.save(root / "brands" / "default.yaml", "name: Test clinic", "name: Riverside clinic")
    assert session.warm.drops == 1
    assert "Riverside clinic" in pdf_text(pdf_path(root, "minimal"))


def test_a_content_error_keeps_the_warm_state_and_the_fix_builds(session):
    root = session.options.root
    topic = root / "handouts" / "second.yaml"
    renderer = session.warm.kept.renderer
    topic.write_text(topic.read_text(encoding="utf-8").replace("summary:", "summery:"), encoding="utf-8")
    session.warm.saw([topic])
    with pytest.raises(Exception, match="summery"):
        build(session.options, session.warm)
    report = session.save(topic, "summery:", "summary:")
    assert handouts_built(report) == ["handouts/second/second--patient--letter.pdf"]
    assert session.warm.kept.renderer is renderer and session.warm.drops == 0


def test_the_pool_is_kept_between_saves_and_replaced_when_the_css_changes(tmp_path):
    root = make_project(tmp_path)
    session = Session(root, selection=Selection(editions=("patient",)), jobs=2)
    try:
        pool = session.warm.kept.pool
        assert pool is not None  # started after the first build, ready for the next save
        topic = root / "handouts" / "second.yaml"
        report = session.save(topic, "A plain paragraph.", "A saved paragraph.")
        assert sorted(handouts_built(report)) == [
            "handouts/second/second--patient--a4.pdf",
            "handouts/second/second--patient--letter.pdf",
        ]
        assert session.warm.kept.pool is pool
        session.save(root / "templates" / "handout.css", "body { margin: 0; }", "body { margin: 0; color: #111; }")
        assert session.warm.kept.pool is not None and session.warm.kept.pool is not pool
    finally:
        session.warm.close()


def test_watch_tells_what_changed_before_each_rebuild(tmp_path, stop):
    root = make_project(tmp_path)
    topic = root / "handouts" / "second.yaml"
    told, builds = [], []

    def rebuild():
        builds.append(len(told))
        if len(builds) == 1:
            topic.write_text(topic.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        stop.quiet_for(1.5)

    watch(root, rebuild, on_change=told.append, stop_event=stop)
    assert builds == [0, 1] and told == [[topic]]


def test_watch_follows_folders_made_after_it_started(tmp_path, stop):
    """inotify watches folders: one made after watch started (or deleted and made again) is watched from then on,
    and what was saved in it before that counts. Each step runs in the rebuild the step before set off."""
    root = make_project(tmp_path)
    figure = root / "art" / "deep" / "figure.png"
    approval = root / "approvals" / "minimal.json"

    def make_again(data: bytes) -> None:
        shutil.rmtree(root / "art")
        figure.parent.mkdir(parents=True)
        figure.write_bytes(data)

    steps = [
        lambda: (figure.parent.mkdir(parents=True), figure.write_bytes(b"one")),
        lambda: figure.write_bytes(b"two"),  # in the folder watched since
        lambda: make_again(b"three"),
        lambda: figure.write_bytes(b"four"),  # in the folder made again
        lambda: (approval.parent.mkdir(), approval.write_text("{}")),
    ]
    told = []

    def rebuild():
        if steps:
            steps.pop(0)()
        stop.quiet_for(2)

    watch(root, rebuild, also=[figure], on_change=told.append, stop_event=stop)
    assert steps == []
    assert {p for batch in told for p in batch} == {figure, approval} and told[-1] == [approval]


def test_a_half_written_save_is_read_again_not_withdrawn(session, monkeypatch):
    root = session.options.root
    topic = root / "handouts" / "second.yaml"
    whole = topic.read_text(encoding="utf-8").replace("A plain paragraph.", "A saved paragraph.")
    topic.write_text(whole[: len(whole) // 3], encoding="utf-8")  # the editor has written a third of it
    original, reads = warm_module.load_topic, []

    def editor_finishes_after_the_first_read(path, root):
        loaded = original(path, root)
        reads.append(bool(loaded[2]))
        if path == topic and len(reads) == 1:
            topic.write_text(whole, encoding="utf-8")
        return loaded

    monkeypatch.setattr(warm_module, "load_topic", editor_finishes_after_the_first_read)
    session.warm.saw([topic])
    report = build(session.options, session.warm)
    assert reads == [True, False]  # the torn read had problems; the second read had none
    assert report.problems == [] and report.removed == []
    assert handouts_built(report) == ["handouts/second/second--patient--letter.pdf"]
    assert "A saved paragraph." in pdf_text(pdf_path(root, "second"))


def test_a_save_makes_the_deck_notes_of_the_saved_topic_only_and_a_deck_edit_makes_them_all_again(
    tmp_path, monkeypatch
):
    """The deck's notes of an unchanged topic are kept from save to save (each build plans the deck
    two or three times: check, findings, build); what the deck file says is part of what they are kept by."""
    root = make_project(tmp_path)
    deck_file = root / "decks" / "minimal-students.yaml"
    deck_file.write_text(deck_file.read_text().replace("[minimal]", "[minimal, second]"))
    made, original = [], anki_build.add_topic
    monkeypatch.setattr(anki_build, "add_topic", lambda maker: (made.append(maker.topic.id), original(maker))[1])
    session = Session(root, Selection(topics=("minimal", "second")))
    try:
        assert "decks/minimal-students.apkg" in session.first.built
        assert sorted(set(made)) == ["minimal", "second"]

        made.clear()
        report = session.save(root / "handouts" / "second.yaml", "A plain paragraph.", "A saved paragraph.")
        assert set(made) == {"second"}
        assert "decks/minimal-students.apkg" in report.built

        made.clear()
        deck_file.write_text(deck_file.read_text() + "include: [cards]\n")
        report = session.rebuild([deck_file])
        assert sorted(set(made)) == ["minimal", "second"]
        assert any(
            line.startswith("decks/minimal-students--update.apkg:") and "retired" in line for line in report.decks
        )
        assert " 0 retired notes" not in " ".join(report.decks)  # the say-it and meaning notes left the deck
    finally:
        session.warm.close()

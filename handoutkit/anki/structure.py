"""Which notes a topic makes for a deck, from the generators the deck includes.

Walks the topic as written (not the selected edition), so every note knows
where its content is in the file (`loc`, for messages) and resolves the
deck audience's wording itself. Notes are grouped as core (hand-written
cards, studied lists, figures, tips, red flags) or vocabulary (how to say a
word, what it means); order.py interleaves the two.
"""

from __future__ import annotations

import re

from ..content.model import BasicCard, ClozeCard, Figure, GlossaryTerm, RedFlag, Tip
from ..editions.select import is_for
from . import markup
from .lists import add_section_lists
from .media import figure_media
from .notes import GLOSSARY, PRONUNCIATION, RED_FLAGS, TIPS, VOCAB, NoteMaker, slug
from .overlap import repeated_by, written_cards

MIN_SYLLABLES = 3  # a word this long in its respelling earns a say-it card (see says_itself)


def add_topic(maker: NoteMaker) -> None:
    topic = maker.topic
    if maker.wants("pronunciation"):
        add_title(maker)
    for index, term in enumerate(topic.glossary):
        if is_for(term, maker.audience):
            add_term(maker, term, ("glossary", index))
    for index, section in enumerate(topic.sections):
        if is_for(section, maker.audience):
            if maker.wants("lists"):
                add_section_lists(maker, section, ("sections", index))
            add_section_cards(maker, section.id)
    add_section_cards(maker, None)
    if maker.wants("figures"):
        for index, figure in enumerate(topic.figures):
            if is_for(figure, maker.audience):
                add_figure(maker, figure, ("figures", index))
    if maker.wants("tips"):
        for index, tip in enumerate(topic.tips):
            if is_for(tip, maker.audience):
                add_tip(maker, tip, ("tips", index))
    if maker.wants("red-flags"):
        for index, flag in enumerate(topic.red_flags):
            if is_for(flag, maker.audience):
                add_red_flag(maker, flag, ("red_flags", index))


def add_section_cards(maker: NoteMaker, section_id: str | None) -> None:
    """The hand-written cards of one section (or those naming no shown section), in file order."""
    if not maker.wants("cards"):
        return
    shown = {s.id for s in maker.topic.sections if is_for(s, maker.audience)}
    for index, card in enumerate(maker.topic.cards):
        home = card.section if card.section in shown else None
        if home == section_id and is_for(card, maker.audience):
            add_card(maker, card, ("cards", index))


def says_itself(respelling: str, say: bool | None, term: str = "", title: str = "") -> bool:
    """Whether a term needs no say-it card: an author's `say`, else an acronym, a word of the topic's
    name (its own say-it card says it), or no word of 3+ syllables.

    'BOHN skan' (bone scan) and 'RAYNJ uv MOH-shun' say themselves; 'spas-TISS-ih-tee' does not.
    """
    if say is not None:
        return not say
    if term.isupper():
        return True  # an acronym said letter by letter: DVT, T6
    if term and title and set(term.casefold().split()) <= set(title.casefold().split()):
        return True  # 'heterotopic' in a topic called 'Heterotopic ossification'
    return all(len(re.split(r"-+", word)) < MIN_SYLLABLES for word in respelling.split())


def pronunciation_fields(
    maker: NoteMaker, term: str, respelling: str, ipa, meaning_html: str, say, title: str = ""
) -> dict:
    spoken = maker.wants("pronunciation") and not says_itself(respelling, say, term, title)
    return {
        "Term": markup.escape(term),
        "Respelling": markup.escape(respelling) if spoken else "",
        "IPA": markup.escape(ipa or "") if spoken else "",
        "Meaning": meaning_html if maker.wants("glossary") else "",
    }


def add_title(maker: NoteMaker) -> None:
    """How to say the topic's name; what it means is a hand-written card's job."""
    topic = maker.topic
    if any(term.term.lower() == topic.title.lower() and is_for(term, maker.audience) for term in topic.glossary):
        return  # the glossary says it, with its meaning
    fields = pronunciation_fields(maker, topic.title, topic.pronunciation.respelling, topic.pronunciation.ipa, "", None)
    if fields["Respelling"]:
        label = f"Say: {topic.title}"
        maker.add(
            "title",
            "pronunciation",
            "pronunciation",
            fields,
            [],
            PRONUNCIATION,
            loc=("pronunciation",),
            label=label,
            group=VOCAB,
        )


def add_term(maker: NoteMaker, term: GlossaryTerm, loc: tuple) -> None:
    meaning = maker.text(term.meaning)
    # A hand-written card that already teaches the meaning makes the meaning card a duplicate.
    taught = repeated_by(term.term, meaning, written_cards(maker.topic, maker.audience))
    meaning_html = "" if taught else markup.escape(meaning)
    fields = pronunciation_fields(
        maker, term.term, term.respelling, term.ipa, meaning_html, term.say, maker.topic.title
    )
    if not (fields["Respelling"] or fields["Meaning"]):
        return
    maker.add(
        "glossary",
        term.id or slug(term.term),
        "pronunciation",
        fields,
        term.cites,
        GLOSSARY,
        loc=loc,
        label=term.term,
        group=VOCAB,
        previous_ids=term.previous_ids,
        explicit_id=term.id is not None,
    )


def add_tip(maker: NoteMaker, tip: Tip, loc: tuple) -> None:
    # A tip is one statement, so its id (a short phrase, e.g. 'range-of-motion-is-the-tell')
    # is the cue on the front.
    cue = tip.id.replace("-", " ").capitalize()
    front = markup.element("p", markup.escape(cue)) + markup.element("div", "What is the tip?", "hk-ask")
    fields = {"Front": front, "Back": markup.escape(maker.text(tip.text)), "Extra": maker.extra(None, tip.cites)}
    maker.add("tip", tip.id, "basic", fields, tip.cites, TIPS, loc=loc, label=cue)


def add_red_flag(maker: NoteMaker, flag: RedFlag, loc: tuple) -> None:
    sign = maker.text(flag.sign)
    front = (
        markup.element("div", "Get help right away if", "hk-lead hk-flag")
        + markup.element("p", markup.escape(sign))
        + markup.element("div", "What should you do?", "hk-ask")
    )
    fields = {"Front": front, "Back": markup.escape(maker.text(flag.action)), "Extra": maker.extra(None, flag.cites)}
    maker.add("red-flag", flag.id, "basic", fields, flag.cites, RED_FLAGS, loc=loc, label=sign)


def add_figure(maker: NoteMaker, figure: Figure, loc: tuple) -> None:
    """A picture card: what does this picture show?"""
    media = figure_media(maker, figure)
    front = figure_html(maker, figure, media) + markup.element("div", "What does this picture show?", "hk-ask")
    caption = maker.text(figure.caption or figure.alt)
    fields = {"Front": front, "Back": markup.escape(caption), "Extra": maker.extra(None, figure.cites)}
    place = maker.section_place(figure_section(maker, figure.id))
    maker.add("figure", figure.id, "basic", fields, figure.cites, place, loc=loc, label=caption, media=(media,))


def figure_section(maker: NoteMaker, figure_id: str) -> str | None:
    for section in maker.topic.sections:
        if any(getattr(block, "figure", None) == figure_id for block in section.blocks):
            return section.id
    return None


def figure_html(maker: NoteMaker, figure: Figure, media) -> str:
    alt = markup.attribute(maker.text(figure.alt))
    return markup.element("div", f'<img src="{markup.attribute(media.name)}" alt="{alt}">', "hk-figure")


def add_card(maker: NoteMaker, card: BasicCard | ClozeCard, loc: tuple) -> None:
    extra = maker.extra(card.extra, card.cites)
    media = ()
    picture = ""
    if card.figure:
        figure = next((f for f in maker.topic.figures if f.id == card.figure), None)
        if figure is not None:
            media = (figure_media(maker, figure),)
            picture = figure_html(maker, figure, media[0])
    if isinstance(card, ClozeCard):
        notetype, label = "cloze", markup.DELETION_RE.sub(r"[\2]", card.text)
        fields = {"Text": picture + markup.cloze_text(card.text), "Extra": extra}
    else:
        notetype, label = "basic", maker.text(card.front)
        fields = {"Front": markup.escape(label) + picture, "Back": markup.escape(maker.text(card.back)), "Extra": extra}
    place = maker.section_place(card.section)
    maker.add(
        "card",
        card.id,
        notetype,
        fields,
        card.cites,
        place,
        loc=loc,
        label=label,
        tags=card.tags,
        previous_ids=card.previous_ids,
        media=media,
    )

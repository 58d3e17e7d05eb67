"""Which notes a topic makes, in the order a student meets them.

Title and words first (how to say them, what they mean), then each section's
lists, figures and hand-written cards, then tips and red flags. The order
becomes the order of new cards.
"""

from __future__ import annotations

from ..content.model import BasicCard, ClozeCard, Figure, FigureBlock, GlossaryTerm, RedFlag, Tip, Topic
from . import markup
from .lists import add_section_lists
from .media import figure_file
from .notes import GLOSSARY, PRONUNCIATION, RED_FLAGS, TIPS, NoteMaker, slug


def add_topic(maker: NoteMaker) -> None:
    topic = maker.topic
    add_title(maker, topic)
    for term in topic.glossary:
        add_term(maker, term)
    placed_figures = add_sections(maker, topic)
    shown_sections = {s.id for s in topic.sections}
    for card in topic.cards:
        if card.section not in shown_sections:
            add_card(maker, card)
    for figure in topic.figures:
        if figure.id not in placed_figures:
            add_figure(maker, figure, None)
    for tip in topic.tips:
        add_tip(maker, tip)
    for flag in topic.red_flags:
        add_red_flag(maker, flag)


def add_sections(maker: NoteMaker, topic: Topic) -> set[str]:
    """Each section's lists, figures and hand-written cards; returns the figures placed."""
    placed = set()
    for section in topic.sections:
        add_section_lists(maker, section)
        for block in section.blocks:
            if isinstance(block, FigureBlock) and block.figure not in placed:
                placed.add(block.figure)
                add_figure(maker, figure_by_id(topic, block.figure), section.id)
        for card in topic.cards:
            if card.section == section.id:
                add_card(maker, card)
    return placed


def pronunciation_fields(term: str, respelling: str, ipa: str | None, meaning_html: str) -> dict[str, str]:
    return {
        "Term": markup.escape(term),
        "Respelling": markup.escape(respelling),
        "IPA": markup.escape(ipa or ""),
        "Meaning": meaning_html,
    }


def add_title(maker: NoteMaker, topic: Topic) -> None:
    meaning = markup.element("p", markup.escape(topic.summary))
    if topic.also_called:
        also = "Also called: " + ", ".join(topic.also_called)
        meaning += markup.element("p", markup.escape(also), "hk-also")
    fields = pronunciation_fields(topic.title, topic.pronunciation.respelling, topic.pronunciation.ipa, meaning)
    maker.add("title", "pronunciation", "pronunciation", fields, [], PRONUNCIATION)


def add_term(maker: NoteMaker, term: GlossaryTerm) -> None:
    fields = pronunciation_fields(term.term, term.respelling, term.ipa, markup.escape(term.meaning))
    maker.add("glossary", slug(term.term), "pronunciation", fields, term.cites, GLOSSARY)


def add_tip(maker: NoteMaker, tip: Tip) -> None:
    # A tip is one statement, so its id (a short phrase, e.g. 'range-of-motion-is-the-tell')
    # is the cue on the front.
    cue = tip.id.replace("-", " ").capitalize()
    front = markup.element("p", markup.escape(cue)) + markup.element("div", "What is the tip?", "hk-ask")
    fields = {"Front": front, "Back": markup.escape(tip.text), "Extra": ""}
    maker.add("tip", tip.id, "basic", fields, tip.cites, TIPS)


def add_red_flag(maker: NoteMaker, flag: RedFlag) -> None:
    front = (
        markup.element("div", "Get help right away if", "hk-lead hk-flag")
        + markup.element("p", markup.escape(flag.sign))
        + markup.element("div", "What should you do?", "hk-ask")
    )
    fields = {"Front": front, "Back": markup.escape(flag.action), "Extra": ""}
    maker.add("red-flag", flag.id, "basic", fields, flag.cites, RED_FLAGS)


def add_figure(maker: NoteMaker, figure: Figure, section_id: str | None) -> None:
    """A picture card, for figures with a file (drawn diagrams are not in decks)."""
    media = figure_file(figure, maker.topic.id, maker.base)
    if media is None:
        return
    image = f'<img src="{markup.attribute(media.name)}" alt="{markup.attribute(figure.alt)}">'
    front = markup.element("div", image, "hk-figure") + markup.element("div", "What does this picture show?", "hk-ask")
    fields = {"Front": front, "Back": markup.escape(figure.caption or figure.alt), "Extra": ""}
    place = maker.section_place(section_id)
    maker.add("figure", figure.id, "basic", fields, figure.cites, place, media=(media,))


def add_card(maker: NoteMaker, card: BasicCard | ClozeCard) -> None:
    extra = markup.escape(card.extra) if card.extra else ""
    if isinstance(card, ClozeCard):
        notetype, fields = "cloze", {"Text": markup.cloze_text(card.text), "Extra": extra}
    else:
        notetype = "basic"
        fields = {"Front": markup.escape(card.front), "Back": markup.escape(card.back), "Extra": extra}
    place = maker.section_place(card.section)
    maker.add("card", card.id, notetype, fields, card.cites, place, tags=card.tags)


def figure_by_id(topic: Topic, figure_id: str) -> Figure:
    return next(f for f in topic.figures if f.id == figure_id)

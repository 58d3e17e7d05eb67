"""Build plain-language handouts and Anki decks from one content model per topic."""

__version__ = "0.1.0"

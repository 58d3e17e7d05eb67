"""The content format: what an author writes, read and checked.

model (the topic as plain, frozen data), source (YAML with line and column for
every node: the only reader of YAML), validation (pydantic errors as
`path:line:col: field:` problems), config (editions, brands, decks), crossrefs
(checks that span fields: citations, figure files, deck topics), library (a
whole project loaded at once), schema (the JSON Schema for editors). The input
checks a reader would notice: characters (bidi controls, invisibles), texts
(scaffold placeholders), glyphs (characters the fonts lack), images (only real
image files), decklock (a corrupt lock); and release (what --release refuses).

May import: errors. Nothing here renders or writes.
"""

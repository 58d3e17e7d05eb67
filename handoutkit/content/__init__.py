"""The content format: what an author writes, read and checked.

model (the topic as plain, frozen data), source (YAML with line and column for
every node: the only reader of YAML), validation (pydantic errors as
`path:line:col: field:` problems), config (editions, brands, decks), crossrefs
(checks that span fields: citations, figure files, deck topics), library (a
whole project loaded at once), schema (the JSON Schema for editors).

May import: errors. Nothing here renders or writes.
"""

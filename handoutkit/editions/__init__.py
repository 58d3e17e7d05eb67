"""What one audience reads: a topic narrowed to an edition's audience.

select (drop what is `for:` other audiences, pick each text's wording), prose
(the selected text in reading order, for the quality gates and the deck).

May import: content, errors.
"""

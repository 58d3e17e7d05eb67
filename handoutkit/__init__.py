"""Build plain-language handouts and Anki decks from one content model per topic.

The pipeline, one package a stage, data flowing one way (a package imports
only those to its left):

    content  ->  editions  ->  quality  ->  pdf / anki  ->  make
    load and     what one      the gates    the two         plan, keys, render in
    validate     audience      (reading     renderers:      workers, write dist/,
    YAML         reads         level,       model in,       manifest, watch,
                               PEMAT...)    bytes out       check and report

`content` is the only reader of YAML, `make` the only writer of dist/.
At the top: `cli` (parse the command line, run, exit status), `errors` (the
Problem every stage reports: path, line, column, field, message) and
`scaffold` (`build.py new`).
"""

__version__ = "0.1.0"

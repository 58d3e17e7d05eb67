"""Web editions: dist/site/, a static, accessible site made from the same selected content as the PDFs.

- paths.py: where each site file goes and how pages link to each other (no heavy imports)
- links.py: the clinic's numbers as tel: links
- qr.py: the QR code a plain edition prints, leading to its web page
- view.py: a page's data, built by the PDF's own view (pdf/html.py) plus what a screen adds
- render.py: views -> HTML bytes through Jinja (templates/web/)
- stage.py: the build's site stage: plan, keys, pages, copies of PDFs and figure files
- server.py and preview.py: `build.py serve`, the author's live preview
"""

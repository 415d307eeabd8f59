"""``policekg serve``: the store as a read-only SPARQL 1.1 Protocol endpoint, with a query page.

``create_app`` (``app.py``) builds the Starlette app; ``formats.py`` negotiates and writes the answer
formats; ``page.html``, ``page.js`` and ``page.css`` are the offline query page.
"""

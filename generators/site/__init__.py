"""The MkDocs adapter: a thin plugin over the page generator, and the safe site build."""

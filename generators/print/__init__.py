"""Printed editions: the model filtered per edition, drawn for paper and typeset as a book by Typst.

``typeset`` (:mod:`.typeset`) is the entry point for any book in the house style; ``book`` builds an
edition's content from the model; ``render`` typesets editions in parallel and caches them.
"""

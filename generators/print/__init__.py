"""Printed editions: the model filtered per edition, rendered through the same pages and
diagrams as the site, typeset as a book by WeasyPrint."""

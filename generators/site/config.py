"""Options of the ``handbook`` MkDocs plugin."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class HandbookConfig(base.Config):
    # Project folder holding modules/ and diagrams/; defaults to the folder of mkdocs.yml.
    root = c.Optional(c.Type(str))
    # Where laid-out diagrams are cached, relative to the project folder.
    cache_dir = c.Type(str, default=".cache/diagrams")
    # Address that, followed by a file's path in the repository, opens that file for editing,
    # e.g. "https://gitlab.example.com/party/handbook/-/edit/main/". Unset: no edit links.
    edit_url = c.Optional(c.Type(str))
    # Built for the editors (a preview or an editors' copy): every page names the YAML it comes
    # from and has an 编辑此页 button. Readers' sites have neither.
    for_editors = c.Type(bool, default=False)
    # Typeset the printed editions into print/ on `build` (never on `serve`, which must stay fast).
    print_editions = c.Type(bool, default=True)

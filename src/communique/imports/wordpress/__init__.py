"""Importing a WordPress site from its export file (WXR).

``wxr`` reads the file safely into records, ``languages`` finds what
Polylang or WPML said of each post's language and translations,
``mapping`` turns posts and comments into ``StatementData`` and
``CommentData``, ``bodies`` gives a post's HTML the paragraphs WordPress
adds only when showing it, and ``importer`` stores everything in order
through ``imports.writes``. The command is ``communique import-wordpress``.
"""

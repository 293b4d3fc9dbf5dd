"""The search side of the directory: a Whoosh index of public listings behind a small interface.

The web layer talks to `directory.search` (queries, facet counts, paging) and `directory.oruk`
(Open Referral UK shapes); only this package imports Whoosh."""

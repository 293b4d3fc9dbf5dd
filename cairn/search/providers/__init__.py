"""The provider index: public listings in Whoosh behind a small interface.

The web layer talks to `cairn.search.providers.search` (queries, facet counts, paging); the ORUK
shapes live with the API (`cairn.web.api.oruk`); only `cairn.search` imports Whoosh."""

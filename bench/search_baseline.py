"""The baseline the search benchmark measures Cairn against: SQLite FTS5 on the same rows."""

from __future__ import annotations

import sqlite3

from cairn.domain.availability import slots_for
from cairn.domain.directory.listing import PublicListing
from cairn.search.providers.documents import service_text
from cairn.search.providers.query import SearchRequest


def sqlite_baseline(listings: list[PublicListing]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.executescript(
        """
        CREATE TABLE listings (rowid INTEGER PRIMARY KEY, id TEXT, name TEXT, name_sort TEXT,
                               price INTEGER);
        CREATE VIRTUAL TABLE listings_fts USING fts5(name, service_text, description,
                                                     tokenize='porter unicode61');
        CREATE TABLE facets (rowid INTEGER, facet TEXT, value TEXT);
        CREATE INDEX ix_facets ON facets (facet, value, rowid);
        CREATE INDEX ix_facets_row ON facets (rowid);
        CREATE INDEX ix_name ON listings (name_sort);
        """
    )
    for rowid, item in enumerate(listings, 1):
        price = int(item.price_per_hour * 100) if item.price_per_hour is not None else 10**9
        db.execute(
            "INSERT INTO listings VALUES (?, ?, ?, ?, ?)",
            (rowid, str(item.provider_id), item.name, item.name.casefold(), price),
        )
        db.execute(
            "INSERT INTO listings_fts (rowid, name, service_text, description) VALUES (?,?,?,?)",
            (rowid, item.name, service_text(item.services), item.description),
        )
        rows = (
            [("services", s) for s in item.services]
            + [("districts", d) for d in item.areas_covered]
            + [("slots", s) for s in item.availability]
            + [("sds", s) for s in item.sds_options]
            + [("languages", lang) for lang in item.languages]
        )
        db.executemany("INSERT INTO facets VALUES (?, ?, ?)", [(rowid, f, v) for f, v in rows])
    db.commit()
    return db


def sqlite_search(db: sqlite3.Connection, request: SearchRequest, facets: bool) -> list[str]:
    conditions, params = [], []
    chosen = dict(request.facet_filters)
    days, times = chosen.pop("days"), chosen.pop("times")
    for facet, values in (
        ("districts", (request.district,) if request.district else ()),
        ("slots", slots_for(days, times) if days or times else ()),
        *chosen.items(),
    ):
        if values:
            marks = ",".join("?" * len(values))
            conditions.append(
                f"l.rowid IN (SELECT rowid FROM facets WHERE facet = ? AND value IN ({marks}))"
            )
            params += [facet, *values]
    source = "listings l"
    order = "l.name_sort"
    if request.text:
        words = [w for w in request.text.split() if w.isalnum()]
        if words:
            source = "listings_fts f JOIN listings l ON l.rowid = f.rowid"
            conditions.insert(0, "listings_fts MATCH ?")
            params.insert(0, " AND ".join(f'"{w}"' for w in words))
            order = "bm25(listings_fts, 3.0, 2.0, 1.0)"
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    rows = db.execute(
        f"SELECT l.id FROM {source}{where} ORDER BY {order} LIMIT 20", params
    ).fetchall()
    db.execute(f"SELECT count(*) FROM {source}{where}", params).fetchone()
    if facets:
        db.execute(
            f"WITH matched AS (SELECT l.rowid AS rowid FROM {source}{where}) "
            "SELECT facet, value, count(*) FROM facets JOIN matched USING (rowid) "
            "WHERE facet != 'districts' GROUP BY facet, value",
            params,
        ).fetchall()
    return [r[0] for r in rows]

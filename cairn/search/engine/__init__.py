"""Cairn's accelerators over Whoosh, apart from the indexes that use them.

These modules rely on Whoosh's private internals (listed, with why, in docs/dependencies.md):
check them there before upgrading whoosh-reloaded. The two process-wide patches are applied
by `install()`, which every index calls when it opens; nothing is patched on import."""

from __future__ import annotations

from cairn.search.engine import whoosh_reads, whoosh_writes


def install() -> None:
    """Apply Cairn's Whoosh patches: compound segments read in place, and new segments named
    from the OS's entropy. Idempotent, so each index may call it."""
    whoosh_reads.install()
    whoosh_writes.install()

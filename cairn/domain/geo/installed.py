"""The district file a deployment installed over the shipped copy (`cairn geo load`).

Installing checks the whole new file first, writes it beside the old one and renames it into
place, so a reader sees the old file or the new one, never part of either."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from cairn.domain.geo.districts import (
    District,
    GeoDataError,
    packaged_districts,
    read_outcodes,
    write_outcodes,
)
from cairn.domain.geo.loading import read_district_file
from cairn.domain.geo.places import Gazetteer, gazetteer_of

log = logging.getLogger(__name__)


def installed_districts(path: Path) -> dict[str, District] | None:
    """The installed districts, or None to use the shipped copy (none installed, or the
    installed one unreadable: logged, since search must keep working)."""
    if not path.exists():
        return None
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            return read_outcodes(stream)
    except (OSError, GeoDataError) as error:
        log.error("ignoring the installed district file %s: %s", path, error)
        return None


def installed_gazetteer(path: Path) -> Gazetteer:
    return gazetteer_of(installed_districts(path))


def install_district_file(source: Path, target: Path) -> dict[str, District]:
    """Check `source` (outcodes.csv or ONSPD shape) and install it at `target` in the
    outcodes.csv shape. Raises GeoDataError, with nothing written, if it will not do."""
    known = installed_districts(target) or packaged_districts()
    districts = read_district_file(source, known)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".outcodes-", suffix=".csv", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            write_outcodes(districts.values(), stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return districts

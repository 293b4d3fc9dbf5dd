"""`cairn geo load FILE`: refresh the postcode district centres a deployment uses."""

from __future__ import annotations

from pathlib import Path

import click

from cairn.bootstrap.settings import ConfigError, load_settings
from cairn.domain.geo.districts import ATTRIBUTION, GeoDataError
from cairn.domain.geo.installed import install_district_file


@click.group("geo")
def geo_group() -> None:
    """Postcode district centres used for distances and place names."""


@geo_group.command("load")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_command(source: Path) -> None:
    """Check FILE and install it: Cairn's outcodes.csv shape, or the ONS Postcode Directory
    CSV (ONSPD). All of it or nothing: a bad file leaves the districts in use as they were."""
    try:
        target = load_settings().geo_path
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    try:
        districts = install_district_file(source, target)
    except GeoDataError as error:
        raise click.ClickException(
            f"Nothing was installed: {source.name}: {error}. The districts in use are unchanged."
        ) from None
    scottish = sum(1 for d in districts.values() if d.in_scotland)
    click.echo(
        f"Installed {len(districts):,} postcode districts ({scottish:,} in Scotland) at {target}. "
        f"Restart Cairn to use them. Remember the attribution: {ATTRIBUTION}."
    )

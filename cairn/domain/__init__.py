"""Cairn's domain: aggregates, their events and the commands that are the only way in.

Events stored before the code moved into the `cairn` package carry topics such as
`domain.directory.provider:Provider.Registered`; registering the old package name lets the
event store (and backups) resolve them to the same classes here."""

import sys

from eventsourcing.utils import register_topic

register_topic("domain", sys.modules[__name__])

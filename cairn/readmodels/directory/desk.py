"""The CIC desk's working files: who is dealing with each provider's queue items, and the notes
administrators leave one another. Read only by the admin workspace, never by a provider's
own pages or the public ones."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Connection, DateTime, Index, Table, Text, Uuid

from cairn.domain.directory.desk import DeskFile
from cairn.readmodels.base import BatchedProjection, handles
from cairn.readmodels.database import metadata

desk_files = Table(
    "desk_files",
    metadata,
    Column("id", Uuid, primary_key=True),  # the desk file's own id
    Column("provider_id", Uuid, nullable=False, unique=True),
    Column("assignee", Uuid),  # an administrator's account id; None: nobody has taken it
    Column("assigned_at", DateTime(timezone=True)),
    Index("ix_desk_files_assignee", "assignee"),
)

desk_notes = Table(
    "desk_notes",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("provider_id", Uuid, nullable=False),
    Column("by", Uuid, nullable=False),
    Column("text", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_desk_notes_provider", "provider_id", "position"),
)


class DeskProjection(BatchedProjection):
    name = "desk"
    tables = (desk_files, desk_notes)

    @handles(DeskFile.Opened)
    def opened(self, conn: Connection, e: DeskFile.Opened, position: int) -> None:
        self.rows.insert(
            desk_files,
            dict(id=e.originator_id, provider_id=e.provider_id, assignee=None, assigned_at=None),
        )

    @handles(DeskFile.Assigned)
    def assigned(self, conn: Connection, e: DeskFile.Assigned, position: int) -> None:
        self.rows.update(
            desk_files,
            e.originator_id,
            dict(assignee=e.assignee, assigned_at=e.timestamp if e.assignee else None),
        )

    @handles(DeskFile.NoteAdded)
    def note_added(self, conn: Connection, e: DeskFile.NoteAdded, position: int) -> None:
        self.rows.append(
            desk_notes,
            dict(
                position=position, provider_id=e.provider_id, by=e.by, text=e.text, at=e.timestamp
            ),
        )

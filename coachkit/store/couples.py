"""Couples: two clients linked as partners, and what one chooses to share with the other.

The store keeps who is linked to whom and each share's life (asked, approved by the coach, withdrawn). It
knows nothing of safety: whether anything may be shared at all is ``coachkit.couples``' to decide, before
every share, and it calls these methods only when it may.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from coachkit.store import tables as t
from coachkit.store.records import CoupleRefused, MissingEntry, Share

SHARE_KINDS = ("summary", "card")


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _share(row: Row[Any]) -> Share:
    return Share(
        id=row.id,
        from_client_id=row.from_client_id,
        to_client_id=row.to_client_id,
        response_id=row.response_id,
        what=row.what,
        asked_at=_utc(row.asked_at),  # type: ignore[arg-type]
        approved_at=_utc(row.approved_at),
        withdrawn_at=_utc(row.withdrawn_at),
    )


class Couples:
    """The store's couple methods (mixed into ``Store``)."""

    now: Callable[[], dt.datetime]
    _writing: Callable[[], AbstractContextManager[Connection]]
    _reading: Callable[[], AbstractContextManager[Connection]]
    _require_client: Callable[..., None]

    def link_partners(self, first_id: int, second_id: int) -> None:
        """Link two clients as partners; ``CoupleRefused`` for one client twice, or one already linked."""
        if first_id == second_id:
            raise CoupleRefused("a client cannot be their own partner")
        members = t.couple_members
        with self._writing() as connection:
            for client_id in (first_id, second_id):
                self._require_client(connection, client_id, lock=True)
            mine = select(members.c.couple_id).where(members.c.client_id.in_([first_id, second_id]))
            together = select(members.c.couple_id, func.count()).where(members.c.couple_id.in_(mine))
            if any(size == 2 for _, size in connection.execute(together.group_by(members.c.couple_id))):
                raise CoupleRefused("one of them is already linked to a partner; unlink them first")
            # A client whose partner was deleted is left alone in their couple: they may be linked anew.
            connection.execute(delete(members).where(members.c.client_id.in_([first_id, second_id])))
            couple_id = (connection.execute(select(func.max(members.c.couple_id))).scalar() or 0) + 1
            now = self.now()
            connection.execute(
                insert(members),
                [
                    {"client_id": cid, "couple_id": couple_id, "linked_at": now}
                    for cid in (first_id, second_id)
                ],
            )

    def unlink_partners(self, client_id: int) -> None:
        """Unlink a client from their partner; every share between them is withdrawn. Nothing else changes."""
        partner = self.find_partner(client_id)
        if partner is None:
            return
        with self._writing() as connection:
            self._withdraw_between(connection, client_id, partner)
            connection.execute(
                delete(t.couple_members).where(t.couple_members.c.client_id.in_([client_id, partner]))
            )

    def find_partner(self, client_id: int) -> int | None:
        """The id of this client's partner, if they are linked."""
        members = t.couple_members
        mine = select(members.c.couple_id).where(members.c.client_id == client_id).scalar_subquery()
        query = select(members.c.client_id).where(
            members.c.couple_id == mine, members.c.client_id != client_id
        )
        with self._reading() as connection:
            return connection.execute(query).scalar_one_or_none()

    def find_couples(self) -> list[tuple[int, int]]:
        """Every couple, as (client id, partner id), lower id first."""
        members = t.couple_members
        with self._reading() as connection:
            rows = connection.execute(select(members.c.couple_id, members.c.client_id)).all()
        pairs: dict[int, list[int]] = {}
        for couple_id, client_id in rows:
            pairs.setdefault(couple_id, []).append(client_id)
        return sorted(tuple(sorted(ids)) for ids in pairs.values() if len(ids) == 2)  # type: ignore[misc]

    # -- sharing -----------------------------------------------------------------------------

    def add_share(self, from_client_id: int, response_id: int, what: str) -> Share:
        """A partner offers a finished response's ``what`` (summary or card) to the other."""
        if what not in SHARE_KINDS:
            raise CoupleRefused(f"only a {' or a '.join(SHARE_KINDS)} can be shared")
        partner = self.find_partner(from_client_id)
        if partner is None:
            raise CoupleRefused("only a client linked to a partner can share")
        r = t.responses
        with self._writing() as connection:
            row = connection.execute(select(r.c.client_id, r.c.status).where(r.c.id == response_id)).first()
            if row is None or row.client_id != from_client_id or row.status != "completed":
                raise CoupleRefused("only a client's own finished worksheet can be shared")
            values = {
                "from_client_id": from_client_id,
                "to_client_id": partner,
                "response_id": response_id,
                "what": what,
                "asked_at": self.now(),
            }
            share_id = connection.execute(insert(t.shares).values(values)).inserted_primary_key[0]
        return self.get_share(share_id)

    def get_share(self, share_id: int) -> Share:
        with self._reading() as connection:
            row = connection.execute(select(t.shares).where(t.shares.c.id == share_id)).first()
        if row is None:
            raise MissingEntry(f"no share {share_id}")
        return _share(row)

    def approve_share(self, share_id: int) -> Share:
        """The coach approves what they have seen: the partner may see it (unless it was withdrawn)."""
        with self._writing() as connection:
            connection.execute(
                update(t.shares)
                .where(t.shares.c.id == share_id, t.shares.c.approved_at.is_(None))
                .values(approved_at=self.now())
            )
        return self.get_share(share_id)

    def withdraw_share(self, share_id: int) -> Share:
        """Either partner, or the coach, withdraws a share: the partner sees it no more."""
        with self._writing() as connection:
            connection.execute(
                update(t.shares)
                .where(t.shares.c.id == share_id, t.shares.c.withdrawn_at.is_(None))
                .values(withdrawn_at=self.now())
            )
        return self.get_share(share_id)

    def find_shares(self, client_id: int | None = None) -> list[Share]:
        """Shares from or to this client (every share without one), newest first."""
        s = t.shares
        query = select(s).order_by(s.c.asked_at.desc(), s.c.id.desc())
        if client_id is not None:
            query = query.where((s.c.from_client_id == client_id) | (s.c.to_client_id == client_id))
        with self._reading() as connection:
            return [_share(row) for row in connection.execute(query)]

    def _withdraw_between(self, connection: Connection, first: int, second: int) -> None:
        s = t.shares
        between = ((s.c.from_client_id == first) & (s.c.to_client_id == second)) | (
            (s.c.from_client_id == second) & (s.c.to_client_id == first)
        )
        connection.execute(
            update(s).where(between, s.c.withdrawn_at.is_(None)).values(withdrawn_at=self.now())
        )

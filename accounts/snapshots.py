"""The signed-in account, read through Redis on the requests that only need to know who it is.

Every signed-in request loads its account by key (accounts.models.UserManager.get). With Redis
configured (settings.ACCOUNT_CACHE), a copy of the row is kept there, so a signed-in page that
is served from the page cache (jobtrax.pagecache) asks the database nothing at all.

What keeps a copy true:
- Each account has a generation in the cache, a random token. A copy is served only if it was
  kept under the account's current generation, and the generation is read in the same round
  trip as the copy.
- Every write to the account row ends the generation once the write is committed: saves and
  deletes (signals), and `QuerySet.update` and `bulk_update` (accounts.models.UserQuerySet).
  A copy read from the database just before a write and kept just after it is kept under the
  generation that was current before the read, so it is never served.
- Copies are read and kept only outside transactions: inside one, the account must be read
  with the transaction's own writes.
- A copy lives SECONDS at most (the bound, should Redis be unreachable when a write commits)
  and is not served by another release, field list or secret key.
- The password hash is never copied. A copy carries the session hash derived from it (which
  every session holds already); the hash itself is read from the database when something asks
  for it.
- Erasing an account deletes the account row, which ends its generation and deletes the copy.
- A signed-in request reads the copy and the generation in the round trip that reads its
  session (jobtrax.sessions.read_with_session).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from jobtrax.cache import cache_add_value, cache_delete_many, cache_get_many, cache_set
from jobtrax.pagecache import code_stamp
from jobtrax.sessions import read_with_session

SECONDS = 300
GENERATION_SECONDS = 24 * 3600
# Never copied: read from the database when asked for (a deferred field).
NOT_KEPT = frozenset({"password"})


def _key(pk: Any) -> str:
    return f"account:{pk}"


def _generation_key(pk: Any) -> str:
    return f"account:{pk}:generation"


@functools.cache
def _kept_names(model: type) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname not in NOT_KEPT)


def _stamp(model: type) -> str:
    """What a copy must have been kept under: this release, these fields, this secret key."""
    material = "|".join((code_stamp(), ",".join(_kept_names(model)), settings.SECRET_KEY))
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def read(model: type, alias: str, pk: Any) -> tuple[Any | None, str | None]:
    """The kept copy of account `pk` if it is current (one round trip), and the generation to
    keep a copy read from the database under. An account without a generation gets one now,
    before the database is asked, so that a write committed after this read ends it."""
    key, generation_key = _key(pk), _generation_key(pk)
    found = cache_get_many([key, generation_key])
    generation = found.get(generation_key)
    if not isinstance(generation, str):
        generation = secrets.token_hex(8)
        if not cache_add_value(generation_key, generation, GENERATION_SECONDS):
            return None, None  # another request started one at the same moment
        return None, generation
    kept = found.get(key)
    if not (isinstance(kept, tuple) and len(kept) == 4):
        return None, generation
    stamp, kept_generation, values, session_hash = kept
    if kept_generation != generation or stamp != _stamp(model):
        return None, generation
    user = model.from_db(alias, _kept_names(model), values)
    user._kept_session_hash = session_hash
    return user, generation


def keep(user: Any, generation: str | None) -> None:
    """Keep a copy of `user`, just read from the database, under `generation`: the one `read`
    returned before the database was asked (None: keep nothing)."""
    if generation is None:
        return
    row = vars(user)
    values = tuple(row[name] for name in _kept_names(type(user)))
    kept = (_stamp(type(user)), generation, values, user.get_session_auth_hash())
    cache_set(_key(user.pk), kept, SECONDS)


def _account_written(sender, instance, **kwargs) -> None:
    if settings.ACCOUNT_CACHE and instance.pk is not None:
        pk = instance.pk
        transaction.on_commit(lambda: forget([pk]), using=kwargs.get("using"))


def _read_with_session(request) -> tuple[str, ...]:
    return (_key("{}"), _generation_key("{}")) if settings.ACCOUNT_CACHE else ()


def connect(model: type) -> None:
    read_with_session(_read_with_session)
    post_save.connect(_account_written, sender=model, dispatch_uid="accounts.snapshots.save")
    post_delete.connect(_account_written, sender=model, dispatch_uid="accounts.snapshots.delete")


def forget(pks: list[Any]) -> None:
    """End the accounts' generations and delete their copies (tried even while the cache is
    paused after a failure, as every delete is)."""
    if pks:
        cache_delete_many([key for pk in pks for key in (_key(pk), _generation_key(pk))])

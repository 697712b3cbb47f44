"""The scoped MongoDB accessor: allow-listed, read-only access to registered collections.

``shield.collection("users")`` returns a :class:`ScopedCollection`. Every read:

1. refuses a request for a sensitive field (inclusion projection, ``distinct``, an
   aggregation stage that surfaces it) with :class:`SensitiveFieldError` and the
   ``sensitive-field-denied`` signal; filters *on* sensitive fields are allowed;
2. projects the sensitive fields out in the query itself, unless withheld-value tracking
   (``LLM_SHIELD_TRACK_WITHHELD``) is on: then it reads them, strips them before returning
   and registers their values as the request's known values, so a response or stream
   that repeats one of them is a ``known_value`` finding;
3. passes each result through the collection's schema as an allow-list: undeclared
   fields are dropped and reported once per (app, collection, field) with
   ``undeclared-field``.

Aggregation pipelines are analysed stage by stage against the document shape the
pipeline produces (see :class:`.pipeline.PipelineAnalyser` for what is understood and where the
analysis stops). Writes are not offered: use the pymongo collection itself.

Limits, stated plainly:

* Filters, sorts and join keys may use sensitive fields. That is the point (look a user
  up by email), but it makes every such query an oracle: whoever controls the filter can
  learn a value by asking yes/no questions (``{"ssn": {"$regex": "^1"}}`` + a count).
  Never let model output or user input choose filters on sensitive fields.
* With an inclusion projection only the sensitive values inside the included paths are
  read, so only those become known values.
* The signals ``sensitive-field-revealed`` and ``unregistered-collection`` are sent on
  every read that uses them; ``undeclared-field`` once per (app, collection, field path).
* pymongo's own DEBUG logging (``pymongo.command``) prints whole server replies, withheld
  fields included when tracking is on: keep it off in production.
"""

from ..errors import UnsupportedPipelineError
from .collection import ScopedCollection
from .cursors import ScopedCommandCursor, ScopedCursor

__all__ = [
    "ScopedCollection",
    "ScopedCommandCursor",
    "ScopedCursor",
    "UnsupportedPipelineError",
]

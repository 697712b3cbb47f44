"""What the accessor knows about MongoDB operators and server errors (data only).

The checks that use these tables live in :mod:`.queries` and :mod:`.failures`; a new
operator or error code is a line here. Facts were checked against mongod 6.0.
"""

from __future__ import annotations

#: ``{"$meta": kind}`` kinds whose value is a number the server computes (a score, a
#: distance, a random value, a record id). Every other kind is refused wherever it
#: appears: ``sortKey`` and ``indexKey`` return the sort/index key values (a withheld
#: field sorted on or indexed comes back under any name), ``geoNearPoint`` the stored
#: location, ``searchHighlights``/``searchScoreDetails``/``scoreDetails`` text or terms
#: taken from the documents, ``searchSequenceToken`` an encoded sort position; an unknown
#: kind is treated as one of those (fail closed).
NUMERIC_META = frozenset(
    {
        "textScore",
        "searchScore",
        "vectorSearchScore",
        "score",
        "randVal",
        "geoNearDistance",
        "recordId",
    }
)

#: Operators that run server-side JavaScript: the script can read any field of the
#: document (``this.ssn``) and throw it into the server's error message.
CODE_OPERATORS = frozenset({"$where", "$function", "$accumulator"})

#: Expression operators whose failure quotes an operand in the server's error message
#: (``Failed to parse number '<value>'``, ``unrecognized time zone identifier: "<value>"``,
#: ``Unknown type name: <value>``, ``invalid flag in regex options: <character>``), with
#: the arguments that are quoted (``None``: the whole operand). In a filter these
#: arguments may not read a sensitive or undeclared field; elsewhere such reads are
#: refused anyway. A date operator's ``date`` and a regex operator's ``input`` are only
#: type-checked (the message names the type), so they are not listed.
_DATE_TEXT = frozenset({"dateString", "format", "timezone", "unit", "startOfWeek"})
ECHOING_OPERATORS: dict[str, frozenset[str] | None] = {
    # conversions (parse errors quote the string; $convert's "to" is quoted too)
    "$convert": frozenset({"input", "to"}),
    "$toInt": None,
    "$toLong": None,
    "$toDouble": None,
    "$toDecimal": None,
    "$toDate": None,
    "$toObjectId": None,
    "$toUUID": None,
    # dates: the string parsed, the format, the unit and the timezone are quoted
    **dict.fromkeys(
        (
            "$dateFromString",
            "$dateToString",
            "$dateFromParts",
            "$dateToParts",
            "$dateAdd",
            "$dateSubtract",
            "$dateDiff",
            "$dateTrunc",
            "$year",
            "$month",
            "$week",
            "$dayOfYear",
            "$dayOfMonth",
            "$dayOfWeek",
            "$hour",
            "$minute",
            "$second",
            "$millisecond",
            "$isoWeek",
            "$isoWeekYear",
            "$isoDayOfWeek",
        ),
        _DATE_TEXT,
    ),
    # regular expressions: the first invalid option character is quoted
    **dict.fromkeys(("$regexMatch", "$regexFind", "$regexFindAll"), frozenset({"options"})),
}

#: Server error codes that mean "not now" rather than "not this query": the read becomes
#: a 503 (``DatabaseUnavailableError``) instead of a 400.
UNAVAILABLE_CODES = frozenset(
    {
        6,  # HostUnreachable
        7,  # HostNotFound
        13,  # Unauthorized (the app's credentials, not the request)
        18,  # AuthenticationFailed
        24,  # LockTimeout
        43,  # CursorNotFound
        46,  # LockBusy
        50,  # MaxTimeMSExpired
        89,  # NetworkTimeout
        91,  # ShutdownInProgress
        112,  # WriteConflict
        117,  # ConflictingOperationInProgress
        133,  # FailedToSatisfyReadPreference
        189,  # PrimarySteppedDown
        202,  # NetworkInterfaceExceededTimeLimit
        262,  # ExceededTimeLimit
        9001,  # SocketException
        10107,  # NotWritablePrimary
        11600,  # InterruptedAtShutdown
        11601,  # Interrupted
        11602,  # InterruptedDueToReplStateChange
        13435,  # NotPrimaryNoSecondaryOk
        13436,  # NotPrimaryOrSecondary
    }
)

"""Per-chunk overhead of the stream guard against an unguarded pass-through, same run.

Streams a clean, realistic model reply cut into 20-character chunks (and, separately, one
character per chunk) through :func:`flask_llm_shield.streaming.guard_stream` and through a
plain generator, and reports the added microseconds per chunk. Also reports the first-byte
delay the hold-back window adds, in characters and at a typical model speed.

Run from the repository root: ``python -m benchmarks.bench_stream`` (one core; the
numbers are ratios and differences against the baseline measured in the same process).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator

from flask_llm_shield.detect import Scanner
from flask_llm_shield.streaming import StreamScan, guard_stream

#: Model speed used to turn held-back characters into seconds (about 50 tokens/s).
CHARS_PER_SECOND = 200.0
SYSTEM_PROMPT = (
    "You are the billing assistant of Northwind Outfitters. Answer only questions about "
    "invoices, refunds and shipping fees, and always reply in a friendly, concise tone."
)
WORDS = (
    "the account invoice refund shipping customer order delivered payment pending review "
    "thanks please note that your request was processed and will arrive within three to "
    "five business days we apologise for any inconvenience this may have caused"
).split()


def reply_text(n_chars: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < n_chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16)))
        sentence = sentence.capitalize() + ". "
        out.append(sentence)
        size += len(sentence)
    return "".join(out)[:n_chars]


def chunked(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def passthrough(chunks: Iterable[str]) -> Iterator[str]:
    yield from chunks


def best_of(runs: int, fn: Callable[[], str]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def first_output_after(scanner: Scanner, window: int | None, chunk: int) -> int:
    """Characters fed before the guard emits its first character."""
    core = StreamScan(scanner, mode="redact", window=window)
    text = reply_text(200_000)
    fed = 0
    for piece in chunked(text, chunk):
        fed += len(piece)
        if core.feed(piece):
            return fed
    return fed


def lag_profile(scanner: Scanner, window: int | None, text: str, token: int = 4) -> list[int]:
    """Characters the model is ahead of the reader, sampled after every upstream chunk
    (LLM-style tokens of *token* characters)."""
    core = StreamScan(scanner, mode="redact", window=window)
    fed = sent = 0
    lags: list[int] = []
    for piece in chunked(text, token):
        fed += len(piece)
        sent += len(core.feed(piece))
        lags.append(fed - sent)
    return lags


def flask_end_to_end(text: str, runs: int) -> None:
    """The same reply as an SSE response through Flask's test client, guarded or not."""
    import json

    from flask import Flask, Response

    from flask_llm_shield import LLMShield, guarded_llm_route

    app = Flask("bench")
    app.config.update(SECRET_KEY="bench-secret-key-0123456789", LLM_SHIELD_STREAM_WINDOW=256)
    shield = LLMShield(app)
    chunks = chunked(text, 20)

    @app.get("/plain")
    def plain() -> Response:
        frames = ("data: " + json.dumps({"text": c}) + "\n\n" for c in chunks)
        return Response(frames, mimetype="text/event-stream")

    @app.get("/guarded")
    @guarded_llm_route(mode="redact")
    def guarded() -> Response:
        return shield.stream_response(iter(chunks))

    client = app.test_client()
    baseline = best_of(runs, lambda: client.get("/plain").get_data(as_text=True))
    elapsed = best_of(runs, lambda: client.get("/guarded").get_data(as_text=True))
    events = (
        client.get("/plain").get_data(as_text=True).count("data: "),
        client.get("/guarded").get_data(as_text=True).count("data: "),
    )
    print("Flask SSE end to end (window 256, redact route, 20-char chunks):")
    print(
        f"  unguarded {baseline * 1e3:6.1f} ms ({events[0]} events), guarded "
        f"{elapsed * 1e3:6.1f} ms ({events[1]} events: the guard coalesces held chunks): "
        f"{(elapsed - baseline) / len(chunks) * 1e6:+6.2f} us/chunk\n"
    )


def main() -> None:
    base = Scanner()
    request_scanner = base.derive(
        system_prompts=[SYSTEM_PROMPT],
        canaries=["shield-canary-0123456789abcdef"],
        known_values=["Quentin Abernathy-Vole", "12 Rue des Lilas, Lyon"],
    )
    pii_only = base.derive(kinds={"email", "us_ssn", "credit_card", "phone", "known_value"})
    cases: list[tuple[str, Scanner, int | None]] = [
        ("all kinds, scanner window", base, None),
        ("request scanner (prompt, canary, known values)", request_scanner, None),
        ("request scanner, LLM_SHIELD_STREAM_WINDOW=256", request_scanner, 256),
        ("PII kinds only (route kinds=...)", pii_only, None),
    ]
    text = reply_text(60_000)
    runs = 3
    print(f"python {sys.version.split()[0]}; reply {len(text)} chars, best of {runs}\n")
    for chunk in (20, 1):
        chunks = chunked(text if chunk == 20 else text[:20_000], chunk)
        baseline = best_of(runs, lambda c=chunks: "".join(passthrough(c)))  # type: ignore[misc]
        print(
            f"chunks of {chunk} char(s): {len(chunks)} chunks, pass-through "
            f"{baseline / len(chunks) * 1e6:.2f} us/chunk"
        )
        for name, scanner, window in cases:

            def guarded(
                c: list[str] = chunks, s: Scanner = scanner, w: int | None = window
            ) -> str:
                out = "".join(guard_stream(c, scanner=s, mode="redact", window=w))
                assert out == "".join(c), "clean stream must be byte-identical"
                return out

            elapsed = best_of(runs, guarded)
            extra = (elapsed - baseline) / len(chunks) * 1e6
            print(f"  {name:<50} +{extra:6.2f} us/chunk  ({elapsed / baseline:5.1f}x)")
        print()

    print("dense and scaling (request scanner, window 256, 20-char chunks):")
    dense = "".join(
        f"{sentence}Reference 123-45-{i % 9000 + 1000:04d} noted. "
        for i, sentence in enumerate(chunked(text, 100))
    )
    for label, sample in (("clean 30k", text[:30_000]), ("clean 60k", text), ("dense", dense)):
        chunks = chunked(sample, 20)
        baseline = best_of(runs, lambda c=chunks: "".join(passthrough(c)))  # type: ignore[misc]

        def redacting(c: list[str] = chunks) -> str:
            return "".join(guard_stream(c, scanner=request_scanner, mode="redact", window=256))

        elapsed = best_of(runs, redacting)
        print(
            f"  {label:<10} {len(sample):6d} chars: {elapsed * 1e3:7.1f} ms, "
            f"+{(elapsed - baseline) / len(chunks) * 1e6:6.2f} us/chunk"
        )
    print()

    flask_end_to_end(text, runs)

    print("lag on clean prose (4-character tokens, characters behind the model after each):")
    prose = reply_text(20_000, seed=11)
    for name, scanner, window in cases:
        lags = lag_profile(scanner, window, prose)
        print(
            f"  {name:<50} median {statistics.median(lags):5.0f}, max {max(lags):5d} "
            f"(~{statistics.median(lags) / CHARS_PER_SECOND:4.2f} s at "
            f"{CHARS_PER_SECOND:.0f} chars/s); target median <= 24, max <= 64 (adaptive)"
        )
    print()

    print("first-byte delay added by the hold-back window (20-char chunks):")
    for name, scanner, window in cases:
        w = window if window is not None else scanner.window
        held = first_output_after(scanner, window, 20)
        print(
            f"  {name:<50} window {w:5d}, first byte after {held:5d} chars "
            f"(~{held / CHARS_PER_SECOND:4.1f} s at {CHARS_PER_SECOND:.0f} chars/s)"
        )


if __name__ == "__main__":
    main()

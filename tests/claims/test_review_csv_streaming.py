"""The review's CSV export streams: it holds one chunk of claims at a time, so its memory
does not grow with the number of claims (docs/architecture.md, "Bounded desk pages")."""

import csv
import io
import tracemalloc

import pytest
from django.urls import reverse

from claims.models import Claim, statement_key
from claims.views.review import CSV_CHUNK

pytestmark = pytest.mark.django_db


def _claims(n: int, start: int = 0) -> None:
    statements = [
        f"Claim {i}: the Kremlin said something long enough to weigh in a spreadsheet "
        + "word " * 40
        for i in range(start, start + n)
    ]
    Claim.objects.bulk_create(
        [Claim(statement=s, key=statement_key(s), slug=f"claim-{i}") for i, s in
         zip(range(start, start + n), statements, strict=True)],
        batch_size=1000,
    )  # fmt: skip


def _export(client) -> tuple[int, int, int]:
    """(peak traced memory while the export is streamed, bytes, rows)."""
    response = client.get(reverse("review"), {"format": "csv", "status": "none"})
    assert response.streaming
    size, rows = 0, 0
    tracemalloc.start()
    try:
        for piece in response.streaming_content:  # consumed as a client would, not kept
            size += len(piece)
            rows += piece.count(b"\r\n")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, size, rows


def test_the_export_streams_in_constant_memory(reviewer_client):
    _claims(2 * CSV_CHUNK)
    small_peak, small_size, small_rows = _export(reviewer_client)
    _claims(4 * CSV_CHUNK, start=2 * CSV_CHUNK)
    large_peak, large_size, large_rows = _export(reviewer_client)
    assert (small_rows, large_rows) == (2 * CSV_CHUNK + 1, 6 * CSV_CHUNK + 1)
    assert large_size > 2.9 * small_size
    # Three times the claims, about the memory of two chunks (an export built whole holds
    # every claim and the whole file: three times as much).
    assert large_peak < 1.4 * small_peak, (small_peak, large_peak)


def test_the_streamed_export_is_one_well_formed_csv(reviewer_client):
    _claims(CSV_CHUNK + 3)
    response = reviewer_client.get(reverse("review"), {"format": "csv", "status": "none"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["claim", "slug"]
    assert len(rows) == CSV_CHUNK + 4
    assert len({row[1] for row in rows[1:]}) == CSV_CHUNK + 3  # every claim once

"""What an import did (or would do): counts, errors, preview rows and new accounts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .table import RowError

PREVIEW_ROWS = 20
LOOKUP_CHUNK = 2000  # values per `IN (…)` lookup: stays under every database's parameter limit
WRITE_BATCH = 500


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class NewAccount:
    """Credentials of an account the import created. Shown once; never logged."""

    full_name: str
    username: str
    password: str = field(repr=False)


@dataclass
class ImportReport:
    kind: str  # "units" or "people"
    dry_run: bool = False
    rows: int = 0
    headers: list[str] = field(default_factory=list)
    preview: list[tuple[int, list[str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, Counts] = field(default_factory=dict)
    accounts: list[NewAccount] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, row: int | None, column: str, message: str, value: object = "") -> None:
        self.errors.append(RowError(row, column, message, "" if value is None else str(value)))

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=RowError.sort_key)


def chunked(values: Iterable, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    batch: list = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch

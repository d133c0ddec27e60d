"""What every SQL output shares: the schema, records as rows, and the dialects."""

from .batches import RowBatches
from .dialects import DIALECTS, Dialect, Names, NulInText, get_dialect
from .rows import Row, RowBuilder
from .schema import INDEXES, TABLES, Column, Index, Table

__all__ = [
    "RowBatches",
    "DIALECTS",
    "Dialect",
    "Names",
    "NulInText",
    "get_dialect",
    "Row",
    "RowBuilder",
    "INDEXES",
    "TABLES",
    "Column",
    "Index",
    "Table",
]

"""Service stations' models: the station and its visits and wall (`stations.py`), the duty
roster (`roster.py`), the shared medicine box (`medicine.py`) and the books (`books.py`)."""

from .books import Book, BookCopy, BookLoan
from .medicine import MedicineItem, MedicineMove, MoveKind
from .roster import DutyException, DutyGapNotice, DutyShift, DutySwap, SwapStatus
from .stations import (
    Amenity,
    HoursException,
    Reflection,
    ReflectionStatus,
    Station,
    StationPhoto,
    StationVisit,
    StationVolunteer,
    VisitorType,
    exceptions_of,
    through_station,
)

__all__ = [
    "Amenity",
    "Book",
    "BookCopy",
    "BookLoan",
    "DutyException",
    "DutyGapNotice",
    "DutyShift",
    "DutySwap",
    "HoursException",
    "MedicineItem",
    "MedicineMove",
    "MoveKind",
    "Reflection",
    "ReflectionStatus",
    "Station",
    "StationPhoto",
    "StationVisit",
    "StationVolunteer",
    "SwapStatus",
    "VisitorType",
    "exceptions_of",
    "through_station",
]

"""The staff's and duty volunteers' pages of the stations: the station itself, its visits and
wall (`stations.py`), the duty roster (`roster.py`), the medicine box (`medicine.py`), the
books (`books.py`), and the lists the workbench links to (`lists.py`)."""

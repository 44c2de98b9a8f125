"""The five provider clients: each package holds its rules (``rules.py``, no I/O), its async client
(``_async.py``, the source) and the sync client generated from it (``_sync.py``)."""

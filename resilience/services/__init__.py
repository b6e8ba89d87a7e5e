"""The use cases the app and the command line share.

Each module takes a ``Store`` (or a database to open) and plain values, and returns
domain objects; screens and commands only parse, call one of these, and show the
answer. The store never imports from here.

- ``review``: reviewing a practice: the live score of a draft, what changed, edits that
  clash with a save made meanwhile (the context comes from ``Store.review_context``,
  the save is ``Store.save_assessment``).
- ``scoring``: scoring a file of practice-months, or rescoring a month from the database,
  with or without saving.
- ``imports``: planning a national file's import (scope applied, previous import
  found), previewing it and applying it.
- ``cohorts``: GPRP cohorts: proposals, sensitivity, applicants.

Older services still at the top of the package (kept there to keep imports stable):
``resilience.triage`` (public-data triage; also read by the store, so it cannot live
here), ``resilience.batch`` (reading and writing score files), ``resilience.report``
(the meeting pack), ``resilience.exporting`` and ``resilience.validation``.
"""

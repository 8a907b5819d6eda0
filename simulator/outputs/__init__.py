"""Outputs layer: files a person reads, grouped by what they serve.

What every writer shares sits here: ``folders`` (the folder safety rules: atomic, never
replacing anything outsim did not write), ``formatting`` (numbers in words), ``records``
(JSON, the package version), ``pages`` (HTML templates in ``templates/``, embedded images)
and ``workbooks`` (Excel sheets). Then ``figures/`` (a run's and a comparison's charts), and
one sub-package per kind of answer, none importing another: ``run/``, ``compare/``,
``sweep/``, ``optimise/``, ``discovery/``, ``validation/``. Nothing here imports the sweeps
or the interfaces above it (``tests/test_layers.py``).
"""

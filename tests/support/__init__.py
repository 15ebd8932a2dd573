"""What the tests, ``fuzz/`` and ``scripts/`` share: comparison helpers
(:mod:`.outcomes`), hypothesis strategies (:mod:`.strategies`), saved fuzz
cases (:mod:`.casefiles`), the leak checker (:mod:`.leakcheck`), app
comparisons (:mod:`.appcompare`) and the core switch (:mod:`.cores`).

Import it as ``tests.support`` with the repository root on ``sys.path``:
pytest puts it there (``tests`` is a package), and ``python -m fuzz.x`` /
``python -m scripts.x`` run from the root do too.
"""

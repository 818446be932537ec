"""What every package of dvm-advisor builds on: the model base, the errors that say what was
wrong and what would fix it, file writing, and the version.

It imports nothing else of the project, so that the probes (advisor.probes) can use it while
the advice, the report and the app import the probes' report models: the dependencies run one
way only (tests/unit/test_imports.py checks that).
"""

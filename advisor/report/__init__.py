"""The recommendation report: a document model built from the advice, and its PDF.

The model is loaded when first asked for: the probe's own summary (probe_view) lives here
too, and a probe run should not load the rule engine to print it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.report.model import ReportDocument, build_report

__all__ = ["ReportDocument", "build_report"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from advisor.report import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The recommendation report: a document model built from the advice, and its PDF."""

from advisor.report.model import ReportDocument, build_report

__all__ = ["ReportDocument", "build_report"]

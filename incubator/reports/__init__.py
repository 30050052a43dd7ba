"""Reports: the dashboard, the programme report, exports (CSV/XLSX) and calendar feeds."""

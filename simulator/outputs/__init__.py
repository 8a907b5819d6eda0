"""Outputs layer: files a person reads (results folders, plots, reports)."""

"""Simulation layer: one Mesa model of an outsourcing plan and its parts."""

from simulator.model.metrics import METRICS
from simulator.model.model import OutsourcingModel

__all__ = ["METRICS", "OutsourcingModel"]

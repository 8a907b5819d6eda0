"""Scheduled incidents: a data theft or mis-selling at a holder of records in a given month.

A case's record (an agent of an offshore centre selling customers' data, a vendor's staff
making offers nobody authorised) or a plan's stress test (``plan.incidents``). The incident
affects ``customers`` of the customers whose records its holder holds that month — the ones
with the smallest uniforms of its own stream, keyed by (``("incident", i)``, month, customer
slot), so the same customers are hit in every plan that holds them — or every one held, if
fewer. A holder that holds nothing then (a vendor in the status quo) has no victims, and
nothing happens. From there the model's own mechanisms take over (``privacy.py``,
``customers.py``):

- **data theft** is a breach of the victims' records: they are marked breached, their trust
  falls by the breach drop (scaled by privacy sensitivity), their one-off churn rises by
  ``BREACH_CHURN``; it costs the records at the holder's cost per record, the fixed response
  cost and the ``losses`` the company reimburses; it counts as a breach;
- **mis-selling** costs the ``losses`` (refunds, compensation); its victims' trust falls and
  their churn rises as a breach's victims' do, but no record is lost.

If ``public``, every customer's trust takes a breach's publicity drop. An incident is certain,
not a risk: its cost enters the decision cost in full in its month (a random breach enters at
its expected cost).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.model.streams import Streams
from simulator.scenario.schema import Incident


@dataclass(frozen=True)
class Struck:
    """What a scheduled incident did: its victims (customer slots) and its cost [USD]."""

    incident: Incident
    slots: np.ndarray
    cost: float

    @property
    def breach(self) -> bool:
        return self.incident.kind == "data_theft"


def victims(streams: Streams, index: int, month: int, held: np.ndarray, count: int) -> np.ndarray:
    """``count`` of the customer slots ``held`` (all of them if fewer): those with the
    smallest uniforms of incident ``index``'s stream this month, in slot order."""
    if len(held) <= count:
        return held
    u = streams.uniforms(("incident", str(index)), month, held)
    return np.sort(held[np.argpartition(u, count - 1)[:count]])


def incident_cost(
    incident: Incident, records: float, cost_per_record: float, fixed: float
) -> float:
    """A data theft: the records, the response and the losses; mis-selling: the losses
    [USD]. Nothing without victims."""
    if records == 0:
        return 0.0
    if incident.kind == "data_theft":
        return records * cost_per_record + fixed + incident.losses
    return incident.losses

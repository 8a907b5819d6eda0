"""Complaints to a regulator or an ombudsman.

Only an issue the company leaves unresolved can reach a regulator: the UK's Financial
Ombudsman Service and Ofcom's complaint handling take a complaint only after the firm has had
its chance to settle it (eight weeks), and a customer whose issue was resolved has nothing to
take further. So a customer whose issue ends the month unresolved (``customers.py``: not
resolved at the first contact nor after repeats, or never answered) complains to the regulator
with probability ``q``, the same for every channel.

``q`` is set once, from a published industry figure and the company's own centre: at its
starting operating point (the in-house channel alone, with its starting staff, proficiency and
morale — the baseline the customers' satisfaction is calibrated to), the expected complaints
equal the industry's rate ``r`` (``customers.regulator_complaints_per_100k_quarter``)::

    q = (r / 300,000) × N / (Σ_i (1 − P_i(no issue)) × p_unresolved⁰)        [per unresolved]

where N is the number of customers and P_i(no issue) each one's chance of raising none in a
month. A plan then changes complaints only through the model's service — fewer issues resolved
at the vendors, more abandoned contacts — never through a constant of its own. Each unresolved
customer's draw is keyed by (``("customers", "complaints")``, month, customer slot), so the
same customer left unresolved under two plans complains under both or neither (common random
numbers).
"""

from __future__ import annotations

import numpy as np

from simulator.model.streams import Streams

PER_QUARTER = 3 * 100_000  # a monthly share per customer × this = per 100,000 a quarter
STREAM = ("customers", "complaints")


def escalation_probability(
    rate_per_100k_quarter: float,
    customers: int,
    expected_issuers: float,
    p_unresolved: float,
) -> float:
    """``q``: the chance that an unresolved issue is taken to the regulator, such that
    ``expected_issuers`` issuers a month, ``p_unresolved`` of them left unresolved, give
    ``rate_per_100k_quarter`` complaints per 100,000 of ``customers`` a quarter (at most 1)."""
    unresolved = expected_issuers * p_unresolved
    if rate_per_100k_quarter <= 0 or unresolved <= 0:
        return 0.0
    return min(1.0, rate_per_100k_quarter / PER_QUARTER * customers / unresolved)


def file_complaints(streams: Streams, month: int, unresolved: np.ndarray, q: float) -> int:
    """How many of the customers in slots ``unresolved`` complain to the regulator this
    month."""
    if q <= 0 or len(unresolved) == 0:
        return 0
    return int(np.count_nonzero(streams.uniforms(STREAM, month, unresolved) < q))

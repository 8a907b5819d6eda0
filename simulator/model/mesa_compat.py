"""The one place outsim reaches into Mesa's internals.

Everything else uses Mesa 3's documented API (``mesa.Model(rng=…)``, ``Agent``,
``AgentSet``, ``agents_by_type``, ``DataCollector``). Moving to a newer Mesa means checking
this module and its test (``tests/test_mesa.py``) first.
"""

from __future__ import annotations

from collections.abc import MutableMapping

import mesa


def forget_model(model: mesa.Model) -> None:
    """Drop Mesa's class-level reference to ``model``.

    Mesa 3.3 keeps every model ever built in ``Agent._ids`` (a per-model id counter held by
    the ``Agent`` class), so a finished model and all its arrays stay in memory until the
    process ends (projectmesa/mesa#3179, fixed in Mesa 3.4, which needs Python 3.12). Where
    Mesa has no such registry this does nothing.
    """
    registry = getattr(mesa.Agent, "_ids", None)
    if isinstance(registry, MutableMapping):
        registry.pop(model, None)

"""Employee: one in-house worker as a Mesa agent, whose attributes are views of the
workforce's arrays (``employees.Workforce``), so ``model.agents_by_type[Employee]`` lists
real people while a month stays a handful of array operations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from simulator.model.employees import State, Workforce

if TYPE_CHECKING:
    from simulator.model.model import OutsourcingModel


class Employee(mesa.Agent):
    """One in-house worker; attributes are views of the workforce arrays."""

    def __init__(self, model: OutsourcingModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def _w(self) -> Workforce:
        return self.model.workforce

    @property
    def state(self) -> State:
        return State(int(self._w.state[self.index]))

    @property
    def age(self) -> float:
        """Age [years]."""
        return float(self._w.age[self.index])

    @property
    def tenure(self) -> float:
        """Tenure with the company [years]."""
        return float(self._w.tenure[self.index])

    @property
    def skill(self) -> float:
        """General skill [index 0-1]."""
        return float(self._w.skill[self.index])

    @property
    def wage(self) -> float:
        """Pre-displacement wage [USD/month]."""
        return float(self._w.wage[self.index])

    @property
    def earnings(self) -> np.ndarray:
        """Labour earnings by month so far [USD/month]."""
        return self._w.earnings[: self.model.month + 1, self.index]

    @property
    def state_name(self) -> str:
        """``in_house``, ``notice``, ``unemployed``, ``reemployed`` ..."""
        return self.state.name

    @property
    def earnings_this_month(self) -> float:
        """Labour earnings in the month just simulated [USD/month]."""
        return float(self._w.earnings[max(self.model.last_month, 0), self.index])

    @property
    def months_jobless(self) -> int:
        """Months without work since displacement [months]."""
        return int(self._w.jobless_months[self.index])

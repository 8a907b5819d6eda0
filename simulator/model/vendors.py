"""Vendors and their staff.

A :class:`Vendor` (Mesa agent) hires agents to meet the staffing its contract requires,
loses them to attrition, and trains them; each member of staff is a :class:`VendorAgent`
(Mesa agent) whose attributes live in the vendor's arrays, so a month is array work.

Attrition falls with relative pay (quit elasticity -0.5: Webber 2015, Manning 2003) and
with conditions, anti-harassment and career paths (Batt 2002); new hires quit more; pay,
conditions and workload set wellbeing. New hires start at low product proficiency and learn
(faster with joint knowledge sessions); language proficiency is drawn at hiring from the
vendor's pool, truncated at the contract's required minimum.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
from scipy.special import betainc, betaincinv

from simulator.model.service import Proficiency, staff_for_service_level
from simulator.scenario.schema import Communication, Costs, VendorStaff
from simulator.scenario.schema import Vendor as VendorParams

if TYPE_CHECKING:
    from simulator.model.model import OutsourcingModel

QUIT_PAY_ELASTICITY = 0.2  # direct term; with the wellbeing channel the total is -0.5
QUIT_CONDITIONS = 1.5  # attrition hazard ~ exp(-1.5 x (conditions - 0.5))
QUIT_ANTI_HARASSMENT = 0.90  # hazard multiplier with an anti-harassment programme
QUIT_CAREER = 0.85  # hazard multiplier with career development
QUIT_NEW_HIRE = 1.6  # hazard multiplier in the first 3 months
QUIT_WELLBEING = 1.0  # hazard ~ (1 + 1.0 x (WELLBEING_NORMAL - wellbeing))
WELLBEING_NORMAL = 0.55  # wellbeing at standard pay, average conditions and workload
LEARNING_RATE = 0.12  # monthly share of the proficiency gap closed on the job
LEARNING_SHARING_BOOST = 0.5  # faster learning with frequent joint sessions [share]
PROFICIENCY_AT_HIRE = 0.35  # product proficiency before product training
PROFICIENCY_PER_TRAINING = 0.30  # maximum gain from product training
TRAINING_HOURS_SCALE = 80.0  # hours to get 63% of the training gain [hours]
CULTURE_TRAINING_SCALE = 40.0  # hours to close 63% of the cultural gap [hours]
STANDARD_TRAINING_HOURS = 40.0  # product training included in the vendor's price [hours]
LANGUAGE_CONCENTRATION = 12.0  # beta concentration of language proficiency in the pool
INCIDENT_RATE = 0.004  # harassment / health incidents per agent-month at conditions 0
WAGE_SPREAD = 0.10  # log-sd of individual pay around the vendor's pay level
MEETINGS_FOR_FULL_SHARING = 4.0  # joint sessions a month for full knowledge sharing


def knowledge_sharing(meetings_per_month: float) -> float:
    """Share of full knowledge sharing reached with this cadence of joint sessions [0-1]."""
    return float(min(1.0, meetings_per_month / MEETINGS_FOR_FULL_SHARING))


class LanguagePool:
    """Language proficiency of the vendor's applicants: Beta(mean, LANGUAGE_CONCENTRATION)."""

    def __init__(self, mean: float) -> None:
        mean = float(np.clip(mean, 1e-3, 1 - 1e-3))
        self.a, self.b = mean * LANGUAGE_CONCENTRATION, (1 - mean) * LANGUAGE_CONCENTRATION

    def share_below(self, floor: float) -> float:
        """Share of applicants a proficiency floor rejects."""
        return float(betainc(self.a, self.b, floor))

    def mean_above(self, floor: float) -> float:
        """Mean proficiency of the applicants who pass the floor."""
        a, b = self.a, self.b
        passed = 1.0 - betainc(a, b, floor)
        return float(a / (a + b) * (1.0 - betainc(a + 1, b, floor)) / max(passed, 1e-12))

    def draw_above(self, floor: float, n: int, rng: np.random.Generator) -> np.ndarray:
        """Proficiency of ``n`` hires, drawn from the pool truncated at the floor."""
        low = betainc(self.a, self.b, floor)
        return betaincinv(self.a, self.b, rng.uniform(low, 1.0, n))


# one element per staff slot
# per staff slot, the rows of ``Vendor.staff`` (each also an attribute: a view of its row):
# product, language and cultural proficiency and wellbeing [0-1], pay [USD/hour], and what
# that pay does to quitting (relative pay ^ -QUIT_PAY_ELASTICITY) and wellbeing (0.30 ln)
STAFF_ROWS = (
    *("product", "language", "culture", "wellbeing"),
    *("wage", "pay_quit_factor", "pay_wellbeing"),
)


class VendorAgent(mesa.Agent):
    """One member of a vendor's staff; attributes are views of the vendor's arrays."""

    def __init__(self, model: OutsourcingModel, vendor: Vendor, slot: int) -> None:
        super().__init__(model)
        self.vendor = vendor
        self.slot = slot

    @property
    def tenure_months(self) -> int:
        return int(self.vendor.tenure[self.slot])

    @property
    def proficiency(self) -> float:
        """Product proficiency [index 0-1]."""
        return float(self.vendor.product[self.slot])

    @property
    def language(self) -> float:
        return float(self.vendor.language[self.slot])

    @property
    def wellbeing(self) -> float:
        return float(self.vendor.wellbeing[self.slot])

    @property
    def wage_per_hour(self) -> float:
        return float(self.vendor.wage[self.slot])


class Vendor(mesa.Agent):
    """An outsourcing partner and its customer-service staff."""

    def __init__(
        self,
        model: OutsourcingModel,
        params: VendorParams,
        fairness: VendorStaff,
        communication: Communication,
        costs: Costs,
        capacity: int = 64,
    ) -> None:
        super().__init__(model)
        self.params, self.fairness, self.communication, self.costs = (
            params,
            fairness,
            communication,
            costs,
        )
        self.name = params.name
        self.streams = model.streams  # this vendor's own luck: streams ("vendor", name, …)
        self.wage_ratio = max(params.wage_ratio, fairness.wage_floor_ratio)
        self.benefits_share = max(params.benefits_share, fairness.benefits_floor_share)
        self.conditions = max(params.conditions, fairness.conditions_floor)
        self.sharing = knowledge_sharing(communication.joint_meetings_per_month)
        # the contract's service level, else the company's standard (as in-house staffs)
        standard = model.scenario.company
        self.service_level_target = (
            params.service_level_target
            if params.service_level_target is not None
            else standard.service_level_target
        )
        self.answer_within_seconds = (
            params.answer_within_seconds
            if params.answer_within_seconds is not None
            else standard.answer_within_seconds
        )
        size = max(capacity, 1)
        self.active = np.zeros(size, dtype=bool)
        self.tenure = np.zeros(size, dtype=np.int32)  # [months]
        self._use(np.zeros((len(STAFF_ROWS), size)))
        self.staff_agents: dict[int, VendorAgent] = {}
        self.occupancy = 0.0  # of its agents' paid time this month, set when serving [0-1]
        self.region_support = 0.0  # community investment in the vendor's region [0-1]
        self.required = 0
        self.hired = self.quits = 0
        self.incidents = 0
        self.agent_months = 0
        # language floor: the share of the pool rejected sets a price premium
        self._pool = LanguagePool(params.language_proficiency_mean)
        self.rejected_share = self._pool.share_below(communication.language_proficiency_required)

    # -- derived quantities ------------------------------------------------------------------
    @property
    def headcount(self) -> int:
        return int(np.count_nonzero(self.active))

    @property
    def industry_wage(self) -> float:
        return self.params.industry_wage_per_hour

    def price_per_hour(self) -> float:
        """Billed price per paid agent hour [USD/hour], cost-plus: the quoted price is for
        agents paid the local industry standard (wage ratio 1, the vendor's own benefits);
        the labour share of the price moves with what the vendor actually pays per hour, by
        whatever route (its own pay, the contract's wage or benefits floor), so higher pay
        always costs the client and lower pay is passed on. A language floor adds its
        premium."""
        p = self.params
        quoted_cost = 1.0 * (1 + p.benefits_share)
        pay_cost = self.wage_ratio * (1 + self.benefits_share)
        pay_uplift = p.labour_share_of_price * (pay_cost / quoted_cost - 1.0)
        language = self.costs.language_premium_per_hour * self.rejected_share
        return p.price_per_agent_hour * (1.0 + pay_uplift) + language

    def fairness_cost_per_agent_month(self) -> float:
        c, f = self.costs, self.fairness
        return (
            c.conditions_cost_per_agent_month * (self.conditions - self.params.conditions)
            + c.anti_harassment_cost_per_agent_month * f.anti_harassment_programme
            + c.career_development_cost_per_agent_month * f.career_development
        )

    def extra_training_hours(self) -> float:
        """Training per new hire beyond what the price includes [hours]."""
        c = self.communication
        return max(0.0, c.product_training_hours - STANDARD_TRAINING_HOURS) + (
            c.cultural_training_hours
        )

    def new_hire_proficiency(self) -> Proficiency:
        """Expected abilities of a freshly hired and trained agent."""
        c = self.communication
        trained = 1 - np.exp(-c.product_training_hours / TRAINING_HOURS_SCALE)
        return Proficiency(
            product=PROFICIENCY_AT_HIRE + PROFICIENCY_PER_TRAINING * trained,
            language=self._pool.mean_above(c.language_proficiency_required),
            culture=1
            - self.params.cultural_distance
            * np.exp(-c.cultural_training_hours / CULTURE_TRAINING_SCALE),
            wellbeing=WELLBEING_NORMAL,
            knowledge_sharing=self.sharing,
        )

    def staff_needed(self, issues: float, paid_hours: float) -> int:
        """Agents the vendor staffs for a forecast of ``issues`` (at its current abilities) to
        meet the contract's service level (e.g. 80% answered within 20 s)."""
        p = self.proficiency() if self.headcount else self.new_hire_proficiency()
        return staff_for_service_level(
            issues, p, paid_hours, self.service_level_target, self.answer_within_seconds
        )

    def proficiency(self) -> Proficiency:
        a = self.active
        n = np.count_nonzero(a)
        if not n:
            return Proficiency(0.0, 0.0, 0.0, 0.0, self.sharing)
        # the staff's sums of product, language, culture and wellbeing in one reduction
        product, language, culture, wellbeing = (
            np.add.reduce(self.staff[:4], axis=1, where=a) / n
        ).tolist()
        return Proficiency(product, language, culture, wellbeing, self.sharing)

    def relative_pay(self) -> float:
        """Mean pay of the staff over the local industry standard (0 without staff)."""
        a = self.active
        return float((self.wage[a] / self.industry_wage).mean()) if a.any() else 0.0

    def mean_tenure(self) -> float:
        """Mean tenure of the staff [months] (0 without staff)."""
        a = self.active
        return float(self.tenure[a].mean()) if a.any() else 0.0

    def share_paid_fair(self) -> float:
        a = self.active
        return float((self.wage[a] >= self.industry_wage * (1 - 1e-9)).mean()) if a.any() else 0.0

    # -- monthly behaviour -------------------------------------------------------------------
    def hire(self, required: int) -> None:
        """Hire towards the staffing the contract requires (within hiring capacity)."""
        self.required = required
        gap = required - self.headcount
        self.hired = 0
        if gap < 0:
            self.release(-gap)
            return
        n = min(gap, self.params.hiring_capacity_per_month)
        free = np.flatnonzero(~self.active)
        if len(free) < n:
            self._grow(n - len(free))
            free = np.flatnonzero(~self.active)
        self.hired = n
        if n <= 0:
            return
        slots = free[:n]
        c = self.communication
        rng = self.streams.generator("vendor", self.name, "hiring", month=self.model.month)
        self.active[slots] = True
        self.tenure[slots] = 0
        trained = 1 - np.exp(-c.product_training_hours / TRAINING_HOURS_SCALE)
        self.product[slots] = np.clip(
            PROFICIENCY_AT_HIRE + PROFICIENCY_PER_TRAINING * trained + rng.normal(0, 0.05, n), 0, 1
        )
        self.language[slots] = self._pool.draw_above(c.language_proficiency_required, n, rng)
        gap_culture = self.params.cultural_distance * np.exp(
            -c.cultural_training_hours / CULTURE_TRAINING_SCALE
        )
        self.culture[slots] = np.clip(1 - gap_culture + rng.normal(0, 0.05, n), 0, 1)
        self.wellbeing[slots] = WELLBEING_NORMAL
        pay = self.industry_wage * self.wage_ratio * np.exp(rng.normal(0, WAGE_SPREAD, n))
        floor = self.industry_wage * self.fairness.wage_floor_ratio
        self.set_pay(slots, np.maximum(pay, floor))
        for s in slots:
            self.staff_agents[int(s)] = VendorAgent(self.model, self, int(s))

    def set_pay(self, slots: np.ndarray, wage_per_hour: np.ndarray) -> None:
        """Pay the staff in ``slots`` ``wage_per_hour`` [USD/hour], and note what it does to
        their quit hazard and wellbeing (fixed while they hold the job)."""
        self.wage[slots] = wage_per_hour
        relative_pay = np.maximum(self.wage[slots] / self.industry_wage, 1e-3)
        self.pay_quit_factor[slots] = np.power(relative_pay, -QUIT_PAY_ELASTICITY)
        self.pay_wellbeing[slots] = 0.30 * np.log(relative_pay)

    def _use(self, staff: np.ndarray) -> None:
        """Hold the staff table ``staff`` (one row per name in ``STAFF_ROWS``), each row also
        an attribute (``self.product``, ``self.wage``, ...)."""
        self.staff = staff
        for i, name in enumerate(STAFF_ROWS):
            setattr(self, name, staff[i])

    def _grow(self, extra: int) -> None:
        """Make room for more staff (arrays grow geometrically)."""
        add = max(extra, len(self.active))
        self.active = np.concatenate([self.active, np.zeros(add, dtype=bool)])
        self.tenure = np.concatenate([self.tenure, np.zeros(add, dtype=self.tenure.dtype)])
        self._use(np.concatenate([self.staff, np.zeros((len(STAFF_ROWS), add))], axis=1))

    def release(self, count: int) -> None:
        """The contract shrinks: the newest agents leave first."""
        idx = np.flatnonzero(self.active)
        order = idx[np.argsort(self.tenure[idx], kind="stable")][:count]
        self._remove(order)

    def _remove(self, slots: np.ndarray) -> None:
        self.active[slots] = False
        for s in slots:
            agent = self.staff_agents.pop(int(s), None)
            if agent is not None:
                agent.remove()

    def attrition_hazard(self) -> np.ndarray:
        """Monthly quit probability of each slot [probability]."""
        p, f = self.params, self.fairness
        base = p.base_attrition_annual / 12.0  # a rate per agent-year, as turnover is reported
        scale = (
            base
            * np.exp(-QUIT_CONDITIONS * (self.conditions - 0.5))
            * (QUIT_ANTI_HARASSMENT if f.anti_harassment_programme else 1.0)
            * (QUIT_CAREER if f.career_development else 1.0)
        )
        h = (
            scale
            * self.pay_quit_factor  # relative pay ^ -QUIT_PAY_ELASTICITY
            * np.where(self.tenure <= 3, QUIT_NEW_HIRE, 1.0)  # tenure counts this month
            * np.maximum(1.0 + QUIT_WELLBEING * (WELLBEING_NORMAL - self.wellbeing), 0.2)
        )
        return np.where(self.active, np.clip(h, 0, 1), 0.0)

    def lose_staff(self) -> int:
        """Attrition: agents quit."""
        staff = np.flatnonzero(self.active)
        luck = self.streams.uniforms(("vendor", self.name, "attrition"), self.model.month, staff)
        quitting = staff[luck < self.attrition_hazard().take(staff)]
        self._remove(quitting)
        self.quits = len(quitting)
        return self.quits

    def learn(self) -> None:
        """Agents learn the product on the job, faster with joint knowledge sessions.

        Every slot is updated, filled or not (fewer operations than picking the staff out;
        a slot's values are set afresh when someone is hired into it)."""
        rate = LEARNING_RATE * (1.0 + LEARNING_SHARING_BOOST * self.sharing)
        self.product += rate * (1.0 - self.product)
        self.language += 0.01 * (1.0 - self.language)
        self.culture += 0.01 * (1.0 - self.culture)
        self.tenure += 1

    def step(self) -> None:
        """The month for this vendor's staff after serving: wellbeing under the load they
        carried, learning, leaving, and incidents."""
        self.update_wellbeing(self.occupancy)
        self.learn()
        self.lose_staff()
        self.count_incidents()

    def update_wellbeing(self, occupancy: float) -> None:
        """Wellbeing moves a quarter of the way to what pay, conditions and workload imply
        (in every slot, filled or not, as in :meth:`learn`)."""
        f = self.fairness
        target = self.pay_wellbeing + (  # 0.30 log(relative pay), then the same for all
            WELLBEING_NORMAL
            + 0.40 * (self.conditions - 0.5)
            + 0.05 * f.anti_harassment_programme
            + 0.05 * f.career_development
            + 0.10 * self.region_support
            - 0.8 * max(0.0, occupancy - 0.85)
        )
        self.wellbeing += 0.25 * (np.clip(target, 0, 1) - self.wellbeing)

    def count_incidents(self) -> int:
        n = self.headcount
        rate = (
            INCIDENT_RATE
            * (1.0 - self.conditions)
            * (0.5 if self.fairness.anti_harassment_programme else 1.0)
        )
        rng = self.streams.generator("vendor", self.name, "incidents", month=self.model.month)
        self.incidents = int(rng.poisson(rate * n))
        self.agent_months += n
        return self.incidents

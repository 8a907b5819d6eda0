"""Random numbers keyed by what they decide: (stream, month, entity), all from the model's seed.

Common random numbers couple two plans only if a draw means the same thing in both. With
one generator for everything, a plan that draws once more anywhere (one more vendor, one
more breach) shifts every later draw, and the two runs decouple. So every draw is keyed by
the mechanism that uses it (the stream: ``("customers", "churn")``, ``("breach", holder)``),
the month, and the entity it decides for (a customer slot, a worker, a vendor's staff slot),
never by the order of use:

- :meth:`Streams.uniforms` — *counter-based* uniforms: a hash of (stream key, month, entity)
  for just the entities that need one. Routing and service outcomes draw only for this
  month's issuers, a breach only for the records its holder holds, attrition only for staff
  employed. A plan that draws for fewer entities neither shifts anyone else's luck nor pays
  for draws nobody uses. The hash is SplitMix64's output function on
  ``key(stream, month) + (entity + 1) · γ`` (Steele, Lea & Flood 2014: the finaliser is a
  bijection of 64-bit words that passes BigCrush on consecutive counters), keeping its top
  53 bits.
- :meth:`Streams.generator` with ``month`` — a numpy ``Generator`` of its own for one stream
  and month, for dense draws (one uniform per customer slot, in slot order, where most slots
  need one) and for distributions other than the uniform (a breach's share, new hires' pay).
  Generating a dense block is cheaper than hashing it, and the block is still keyed by
  (stream, month, slot): its position is the slot. The bit generator is numpy's SFC64
  (Doty-Humphrey's small fast chaotic generator; it passes PractRand), a third faster than
  numpy's default PCG64 at filling a block of doubles on this machine.
- :meth:`Streams.generator` without ``month`` — one generator for a stream's whole run, for
  the population drawn once when the model is built.

Stream keys come from the seed and the stream's name through ``SeedSequence``; the same
seed gives the same numbers, bit for bit.
"""

from __future__ import annotations

import zlib

import numpy as np

_TAG = 0x5EED  # keeps these children apart from any spawned by SeedSequence.spawn
_GAMMA = np.uint64(0x9E3779B97F4A7C15)  # SplitMix64's increment (2^64 / golden ratio)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_TO_UNIT = 2.0**-53  # 53 random bits to a double in [0, 1)
_TO_UNIT32, _LOW32, _S32 = 2.0**-32, np.uint64(0xFFFFFFFF), np.uint64(32)
_MASK64 = (1 << 64) - 1
_UNIFORM_SALT, _GENERATOR_SALT = 2, 3  # stream keys for hashed uniforms, monthly generators


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's output function, in place on ``z`` (uint64)."""
    t = np.right_shift(z, _S30)
    z ^= t
    z *= _MIX1
    np.right_shift(z, _S27, out=t)
    z ^= t
    z *= _MIX2
    np.right_shift(z, _S31, out=t)
    z ^= t
    return z


def _mix_int(z: int) -> int:
    """The same function on one Python integer."""
    z &= _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


def _hash(key: int | np.ndarray, entities: np.ndarray) -> np.ndarray:
    """SplitMix64 of ``key + (entity + 1) · γ`` for each entity (non-negative integers); with
    a column of keys, one row per key."""
    z = np.asarray(entities).astype(np.uint64)  # a copy: hashed in place below
    z += np.uint64(1)
    z *= _GAMMA
    if isinstance(key, np.ndarray):
        z = z + key[:, None]
    else:
        z += np.uint64(key & _MASK64)
    return _mix(z)


def hashed_uniforms(key: int, entities: np.ndarray) -> np.ndarray:
    """Uniforms in [0, 1), one per entity: the top 53 bits of its hash. A pure function of
    its arguments."""
    z = _hash(key, entities)
    z >>= _S11
    out = z.astype(np.float64)
    out *= _TO_UNIT
    return out


def hashed_uniform_pairs(key: int, entities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two independent uniforms in [0, 1) per entity, from the high and the low 32 bits of
    its hash (a resolution of 2^-32): half the hashing of two streams."""
    z = _hash(key, entities)
    low = np.bitwise_and(z, _LOW32).astype(np.float64)
    low *= _TO_UNIT32
    z >>= _S32
    high = z.astype(np.float64)
    high *= _TO_UNIT32
    return high, low


class Streams:
    """Keyed random numbers derived from one seed (an int or a ``SeedSequence``)."""

    def __init__(self, seed: int | np.random.SeedSequence) -> None:
        self.root = (
            seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        )
        self._generators: dict[tuple[str, ...], np.random.Generator] = {}
        self._monthly: dict[tuple[str, ...], np.random.Generator] = {}
        self._keys: dict[tuple[tuple[str, ...], int], int] = {}

    def _sequence(self, name: tuple[str, ...], *extra: int) -> np.random.SeedSequence:
        key = tuple(zlib.crc32(part.encode()) for part in name)
        return np.random.SeedSequence(
            self.root.entropy, spawn_key=(*self.root.spawn_key, _TAG, *key, *extra)
        )

    def generator(self, *name: str, month: int | None = None) -> np.random.Generator:
        """A generator for stream ``name``: for the whole run (the same object on every call),
        or with ``month`` one started afresh for that month (its draws depend on nothing drawn
        in other months or other streams; it is valid until the next call for the same
        stream, which starts it again)."""
        if month is None:
            gen = self._generators.get(name)
            if gen is None:
                seq = self._sequence(name)
                gen = self._generators[name] = np.random.Generator(np.random.SFC64(seq))
            return gen
        gen = self._monthly.get(name)
        if gen is None:
            gen = self._monthly[name] = np.random.Generator(np.random.SFC64(0))
        # SFC64's state from the (stream, month) key, then 12 outputs discarded as SFC64's own
        # seeding does: cheaper than a SeedSequence a month
        k = self.key(name, month, _GENERATOR_SALT)
        words = [_mix_int(k + i * int(_GAMMA)) for i in (1, 2, 3)]
        gen.bit_generator.state = {
            "bit_generator": "SFC64",
            "state": {"state": np.array([*words, 1], dtype=np.uint64)},
            "has_uint32": 0,
            "uinteger": 0,
        }
        gen.bit_generator.random_raw(12)
        return gen

    __call__ = generator  # ``streams("customers", "initial")``: the run's generator

    def key(self, name: tuple[str, ...], month: int, salt: int = _UNIFORM_SALT) -> int:
        """The 64-bit key of stream ``name`` in ``month`` (a stream's hashed uniforms and its
        monthly generator have keys of their own: ``salt``)."""
        base = self._keys.get((name, salt))
        if base is None:
            state = self._sequence(name, salt).generate_state(1, np.uint64)
            base = self._keys[(name, salt)] = int(state[0])
        return _mix_int(base + (month + 1) * int(_GAMMA))

    def uniforms(self, name: tuple[str, ...], month: int, entities: np.ndarray) -> np.ndarray:
        """One uniform in [0, 1) per entity of ``entities``: the same number for the same
        (seed, stream, month, entity), whoever else draws."""
        return hashed_uniforms(self.key(name, month), entities)

    def uniform_table(
        self, names: tuple[tuple[str, ...], ...], month: int, entities: np.ndarray
    ) -> np.ndarray:
        """:meth:`uniforms` of several streams at once: row j holds stream ``names[j]``'s
        uniforms for ``entities`` (one vectorised hash for them all)."""
        keys = np.array([self.key(name, month) for name in names], dtype=np.uint64)
        z = _hash(keys, entities)
        z >>= _S11
        out = z.astype(np.float64)
        out *= _TO_UNIT
        return out

    def uniform_pairs(
        self, name: tuple[str, ...], month: int, entities: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Two uniforms per entity (32-bit resolution), for two decisions about the same
        entity in the same month."""
        return hashed_uniform_pairs(self.key(name, month), entities)

    def uniform(self, name: tuple[str, ...], month: int, entity: int = 0) -> float:
        """One uniform in [0, 1) for one entity (by default the stream's only one): the same
        number :meth:`uniforms` gives that entity."""
        z = _mix_int(self.key(name, month) + (entity + 1) * int(_GAMMA))
        return (z >> 11) * _TO_UNIT

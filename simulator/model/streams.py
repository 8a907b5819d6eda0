"""Independent random streams, one per mechanism and entity, all from the model's one seed.

Common random numbers couple two plans only if a draw means the same thing in both. With
one generator for everything, a plan that draws once more anywhere (one more vendor, one
more breach) shifts every later draw, and the two runs decouple. So every mechanism gets a
stream of its own — ``streams("workforce", "search")``, ``streams("breach", holder)``,
``streams("vendor", name)`` — derived from the seed and the stream's name, never from the
order of use; and within a stream a mechanism draws one number per entity per month (a
uniform per worker for job search, per customer slot for churn), using those it needs.
Then the same worker faces the same luck in every plan, and the same data holder the same
breach draws, so paired differences show the plans' effects rather than their luck.
"""

from __future__ import annotations

import zlib

import numpy as np

_TAG = 0x5EED  # keeps these children apart from any spawned by SeedSequence.spawn


class Streams:
    """Named random generators derived from one seed (an int or a ``SeedSequence``)."""

    def __init__(self, seed: int | np.random.SeedSequence) -> None:
        self.root = (
            seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        )
        self._cache: dict[tuple[str, ...], np.random.Generator] = {}

    def __call__(self, *name: str) -> np.random.Generator:
        """The generator of stream ``name`` (the same object on every call)."""
        generator = self._cache.get(name)
        if generator is None:
            key = tuple(zlib.crc32(part.encode()) for part in name)
            seq = np.random.SeedSequence(
                self.root.entropy, spawn_key=(*self.root.spawn_key, _TAG, *key)
            )
            generator = self._cache[name] = np.random.default_rng(seq)
        return generator

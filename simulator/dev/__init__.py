"""Development tools, not the public API: the benchmarks behind ``outsim bench``
(``benchmark``: one replication at several scales; ``replications``: ``outsim run`` with many
replications on one and on several workers). See docs/PERFORMANCE.md."""

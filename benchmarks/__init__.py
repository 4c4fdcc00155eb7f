"""prometeo benchmarks (make bench): see benchmarks/README.md."""

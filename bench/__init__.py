"""Benchmarks with synthetic data generators. Never part of the test run."""

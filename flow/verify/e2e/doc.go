// Package e2e runs byok's verification engine (flow/verify) end to end
// against the built-in Microsoft simulator (flow/sim) over loopback HTTP,
// for every simulator scenario, and benchmarks a full live run. It has no
// non-test code; it is a separate package so that the engine's own unit
// tests never depend on the simulator.
package e2e

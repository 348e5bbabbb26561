"""The explorer: random office histories, checked against invariants, shrunk, classified (`wcsim explore`)."""

"""Windows hosts: power and sessions (host.py), fake disks (filesystem.py), shares and drive letters (network.py), the
registry (registry.py)."""
